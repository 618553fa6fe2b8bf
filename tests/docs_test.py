"""The docs cannot drift from the CLI: every `./rxbench ...` command quoted in
README.md, CONTRIBUTING.md and docs/**/*.md (fenced code blocks and inline code)
is checked against the binary this build made, and every relative link between
the pages must resolve.

How a command is checked depends on what the CLI can check without running
traffic:
  run, compare        `--dry-run` appended: the harness validates every option and
                      value (strategies, scenario, pipeline, output paths) and exits 0.
  microbench          `--benchmark_list_tests=true` appended: Google Benchmark
                      refuses a flag it does not know.
  test                each `--config=X` must be a configuration of .bazelrc; the
                      other flags are Bazel's own and are not checked.
  everything else     `SUB --help` must exit 0 and name every option the command
                      uses (ci, bisect, sweep and profile pass the options they do not know
                      on to the harness, so for them the harness's run/compare help
                      counts too).
A synopsis (`--strategy NAME [--out FILE]`) cannot be run: only its subcommand
and option names are checked. Lines that start with anything else (`ip`,
`gst-launch-1.0`, `bazel-bin/...`, shell) are left out.

Usage (Bazel passes these): docs_test.py WRAPPER HARNESS MICROBENCH
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unittest

WRAPPER, HARNESS, MICROBENCH, CLIP = (os.path.abspath(p) for p in sys.argv[1:5])
del sys.argv[1:5]

DOCS = ["README.md", "CONTRIBUTING.md"] + sorted(
    os.path.join(d, f) for d, _, fs in os.walk("docs") for f in fs if f.endswith(".md"))

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
SEPARATORS = {"&&", "||", ";", "|", "&"}
METAVAR = re.compile(r"^[A-Z][A-Z0-9_]*(\.[a-z]+)?(:[A-Z]+)?$")
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9_-]*)")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def split_blocks(text):
    """(prose with fenced blocks blanked out, [code lines])."""
    prose, code, fence = [], [], None
    for line in text.split("\n"):
        m = FENCE.match(line)
        if fence is None and m:
            fence = m.group(2)
            prose.append("")
            continue
        if fence is not None:
            if m and m.group(2).startswith(fence[0]) and len(m.group(2)) >= len(fence) \
                    and not m.group(3).strip():
                fence = None
            else:
                code.append(line)
            prose.append("")
            continue
        prose.append(line)
    return "\n".join(prose), code


def shell_commands(line):
    """The ./rxbench commands of one shell line, as token lists."""
    line = line.strip()
    if line.startswith("$ "):
        line = line[2:]
    lex = shlex.shlex(line, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    lex.commenters = "#"
    try:
        tokens = list(lex)
    except ValueError:  # an unbalanced quote
        if line.startswith("./rxbench"):
            return [["./rxbench", "<unbalanced quote>", line]]
        return []
    out, current = [], []
    for t in tokens + [";"]:
        if t in SEPARATORS:
            if current and current[0] == "./rxbench":
                out.append(current)
            current = []
        else:
            current.append(t)
    return out


def quoted_commands(path):
    """[(where, raw text, tokens)] for every ./rxbench command quoted in `path`."""
    text = read(path)
    prose, code = split_blocks(text)
    found = []
    joined, pending = [], ""
    for line in code:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    for line in joined:
        for tokens in shell_commands(line):
            found.append((path + " (code block)", " ".join(tokens), tokens))
    for m in re.finditer(r"(`+)(.+?)\1", prose, re.S):
        span = " ".join(m.group(2).replace("\\|", "|").split())
        if span.startswith("./rxbench"):
            for tokens in shell_commands(span) or [span.split()]:
                found.append((path + " (inline)", span, tokens))
    return found


def is_synopsis(raw, tokens):
    parts = [p for t in tokens[2:] for p in re.split(r"[,=+]", t)]
    return any(c in raw for c in "[]…(") or any(METAVAR.match(p) for p in parts)


def run(cmd, cwd):
    env = dict(os.environ, RXBENCH_BIN=HARNESS, HOME=cwd, XDG_CACHE_HOME=cwd)
    # `--media h264` reads the default clip from the cache, where the wrapper
    # would make it on first use: there, already made (//media:default_clip).
    media = os.path.join(cwd, "rxbench", "media")
    if not os.path.exists(os.path.join(media, os.path.basename(CLIP))):
        os.makedirs(media, exist_ok=True)
        os.symlink(CLIP, os.path.join(media, os.path.basename(CLIP)))
    return subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=300)


_help = {}


def help_text(sub):
    if sub not in _help:
        with tempfile.TemporaryDirectory() as tmp:
            r = run([WRAPPER] + ([sub] if sub else []) + ["--help"], tmp)
        _help[sub] = (r.returncode, r.stdout + r.stderr)
    return _help[sub]


def bazelrc_configs():
    configs = set()
    for line in read(".bazelrc").split("\n"):
        m = re.match(r"^\w+:([\w-]+)\s", line)
        if m:
            configs.add(m.group(1))
    return configs


def check(raw, tokens):
    """'' when the command agrees with the CLI, else what is wrong."""
    if tokens[1:2] == ["<unbalanced quote>"]:
        return "cannot be split into words (an unbalanced quote)"
    sub = tokens[1] if len(tokens) > 1 and not tokens[1].startswith("-") else ""
    args = tokens[2:] if sub else tokens[1:]
    synopsis = is_synopsis(raw, tokens)
    if sub == "test":
        for a in args:
            if a.startswith("--config="):
                name = a.split("=", 1)[1]
                if name not in bazelrc_configs():
                    return f"--config={name} is not a configuration in .bazelrc"
        return ""
    if sub == "microbench":
        if synopsis:
            return ""
        with tempfile.TemporaryDirectory() as tmp:
            r = run([MICROBENCH] + args + ["--benchmark_list_tests=true"], tmp)
        return "" if r.returncode == 0 else f"microbench refused it: {r.stderr.strip()[-300:]}"
    if sub in ("run", "compare") and not synopsis:
        with tempfile.TemporaryDirectory() as tmp:
            r = run([WRAPPER, sub] + args + ["--dry-run"], tmp)
        if r.returncode != 0:
            return f"--dry-run exit {r.returncode}: {r.stderr.strip()[-300:]}"
        return ""
    code, text = help_text(sub)
    if code != 0:
        return f"`{sub} --help` exit {code}: {text.strip()[-300:]}"
    known = set(OPTION.findall(text))
    if sub in ("ci", "bisect", "sweep", "profile"):  # they pass what they do not know on
        known |= set(OPTION.findall(help_text("run")[1])) | set(OPTION.findall(help_text("compare")[1]))
    options = set(OPTION.findall(raw)) if synopsis else {
        a.split("=", 1)[0] for a in args if a.startswith("--")}
    missing = sorted(options - known - {"--help"})
    return f"not in `{sub} --help`: {', '.join(missing)}" if missing else ""


def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    prose, _ = split_blocks(read(path))
    seen, out = {}, set()
    for m in re.finditer(r"^#{1,6}\s+(.*?)\s*#*$", prose, re.M):
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


class DocsTest(unittest.TestCase):

    def test_docs_exist(self):
        self.assertIn("docs/user_guide.md", DOCS)
        self.assertGreater(len(DOCS), 5)

    def test_every_quoted_command_agrees_with_the_cli(self):
        commands = [c for path in DOCS for c in quoted_commands(path)]
        # Most of the docs' commands must be found: a broken extractor passes vacuously.
        self.assertGreater(len(commands), 50)
        done, problems = {}, []
        for where, raw, tokens in commands:
            key = tuple(tokens) + (raw,)
            if key not in done:
                done[key] = check(raw, tokens)
            if done[key]:
                problems.append(f"{where}: {raw}\n    {done[key]}")
        print(f"{len(commands)} quoted commands, {len(done)} distinct, checked against the CLI")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_every_relative_link_resolves(self):
        problems = []
        for path in DOCS:
            prose, _ = split_blocks(read(path))
            prose = re.sub(r"(`+).+?\1", "", prose, flags=re.S)
            for m in re.finditer(r"\]\(([^)\s]+)\)", prose):
                target = m.group(1)
                if re.match(r"^[a-z]+:", target):
                    continue
                file, _, anchor = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
                if not os.path.exists(dest):
                    problems.append(f"{path}: {target}: no such file")
                elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
                    problems.append(f"{path}: {target}: no heading #{anchor} in {dest}")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))


if __name__ == "__main__":
    unittest.main()
