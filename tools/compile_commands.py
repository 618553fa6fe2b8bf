#!/usr/bin/python3
"""Writes compile_commands.json at the workspace root, for clang-tidy (tools/tidy_check.sh)
and editors.

Bazel 4.2.3 cannot write one, but `bazel aquery` lists every C++ compile action with its
exact arguments. The paths in those arguments are relative to Bazel's execution root,
which is therefore each entry's "directory".
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

# The compiles clang-tidy must see: those of `./rxbench`'s own build (-c opt).
DEFAULT_QUERY = 'mnemonic("CppCompile", //...)'
BAZEL_FLAGS = ["-c", "opt"]
# Bazel's auto-configured toolchain is gcc; this database is read by clang tools
# (clang-tidy, clangd), whose driver stops with "unknown argument" on these.
# (gcc-only warning options are only warned about: tidy_check.sh silences those.)
GCC_ONLY_FLAGS = {"-fno-canonical-system-headers"}

Entry = Dict[str, Any]


def _argument_after(arguments: Sequence[str], flag: str) -> Optional[str]:
    for i, argument in enumerate(arguments[:-1]):
        if argument == flag:
            return arguments[i + 1]
    return None


def _rank(arguments: Sequence[str]) -> int:
    """Lower is preferred when a file is compiled more than once: tools that run during
    the build are compiled again for the host; a cc_library also compiles -fPIC
    objects for its shared library, which no binary here links (--dynamic_mode=off)."""
    output = _argument_after(arguments, "-o") or ""
    return 2 * ("/host/" in output) + output.endswith(".pic.o")


def compile_commands(aquery: Dict[str, Any], directory: str) -> List[Entry]:
    """The compile database of an aquery --output=jsonproto answer: one entry per source
    file, sorted by file. A file compiled more than once keeps the compile of the objects
    the binaries link."""
    chosen: Dict[str, List[str]] = {}
    for action in aquery.get("actions", []):
        if action.get("mnemonic") != "CppCompile":
            continue
        arguments = [str(a) for a in action.get("arguments", []) if a not in GCC_ONLY_FLAGS]
        source = _argument_after(arguments, "-c")
        if source is None:
            raise ValueError("a CppCompile action without -c SOURCE: " + " ".join(arguments))
        previous = chosen.get(source)
        if previous is None or _rank(arguments) < _rank(previous):
            chosen[source] = arguments
    return [{"directory": directory, "arguments": chosen[f], "file": f} for f in sorted(chosen)]


def _bazel(workspace: Path, *args: str) -> str:
    return subprocess.run(["bazel", *args], cwd=workspace, check=True,
                          stdout=subprocess.PIPE, text=True).stdout


def main(argv: Optional[Sequence[str]] = None) -> int:
    default_workspace = Path(os.environ.get("BUILD_WORKSPACE_DIRECTORY")
                             or Path(__file__).resolve().parent.parent)
    parser = argparse.ArgumentParser(
        prog="tools/compile_commands.py",
        description="Write compile_commands.json from `bazel aquery` (Bazel 4.2.3 has no "
                    "command for it).")
    parser.add_argument("--workspace", type=Path, default=default_workspace,
                        help="workspace root (default: %(default)s)")
    parser.add_argument("--query", default=DEFAULT_QUERY,
                        help="aquery expression (default: %(default)s)")
    parser.add_argument("--output", type=Path,
                        help="where to write (default: WORKSPACE/compile_commands.json)")
    parser.add_argument("--aquery-json", type=Path,
                        help="read this saved `aquery --output=jsonproto` answer instead of "
                             "running Bazel (needs --execution-root)")
    parser.add_argument("--execution-root",
                        help="the entries' directory (default: `bazel info execution_root`)")
    args = parser.parse_args(argv)

    if args.aquery_json is not None:
        if args.execution_root is None:
            parser.error("--aquery-json needs --execution-root")
        text = args.aquery_json.read_text()
    else:
        text = _bazel(args.workspace, "aquery", *BAZEL_FLAGS, "--output=jsonproto", args.query)
    directory = args.execution_root or _bazel(
        args.workspace, "info", *BAZEL_FLAGS, "execution_root").strip()

    entries = compile_commands(json.loads(text), directory)
    output = args.output or args.workspace / "compile_commands.json"
    # Written whole, then renamed: clang-tidy or an editor may be reading the old one.
    partial = output.with_name(output.name + ".partial")
    partial.write_text(json.dumps(entries, indent=1) + "\n")
    partial.replace(output)
    print(f"compile_commands: {len(entries)} files -> {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
