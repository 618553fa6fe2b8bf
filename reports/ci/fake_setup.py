"""A sandbox for tests of the gate: a git repository, a fake `bazel` on PATH that
"builds" by copying the fake harness, and the environment ./rxbench would set
(RXBENCH_HARNESS, RXBENCH_ROOT), all in a temporary directory."""
import contextlib
import io
import json
import os
import subprocess
import tempfile
import unittest
from unittest import mock

from reports import __main__ as dispatch
from reports.ci import build

FAKE_HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata",
                            "fake_rxbench.py")
FAKE_BAZEL = """#!/bin/sh
echo "$PWD $*" >> "$FAKE_BAZEL_LOG"
if [ "$1" = build ]; then
  for label; do :; done   # the last argument: //PACKAGE:rxbench
  package="${label#//}" && package="${package%%:*}"
  mkdir -p "bazel-bin/$package" && cp "$FAKE_HARNESS_SOURCE" "bazel-bin/$package/rxbench"
  # A cost planted in this revision (cost.txt) is built in: the harness reads it beside
  # itself, as a real build carries its revision's code.
  if [ -f cost.txt ]; then cp cost.txt "bazel-bin/$package/cost.txt"; fi
fi
"""


class Sandbox:
    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.root = self._tmp.name
        self.repo = self.path("repo")
        self.cache = self.path("cache")
        self.harness_log = self.path("harness.log")
        self.bazel_log = self.path("bazel.log")
        self.db = self.path("history.db")
        bin_dir = self.path("bin")
        os.makedirs(bin_dir)
        with open(os.path.join(bin_dir, "bazel"), "w") as f:
            f.write(FAKE_BAZEL)
        os.chmod(os.path.join(bin_dir, "bazel"), 0o755)
        self.env = {
            "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": self.path("home"), "XDG_CACHE_HOME": self.cache,
            "RXBENCH_HARNESS": FAKE_HARNESS, "RXBENCH_ROOT": self.repo,
            "FAKE_HARNESS_SOURCE": FAKE_HARNESS, "FAKE_RXBENCH_LOG": self.harness_log,
            "FAKE_BAZEL_LOG": self.bazel_log,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        os.makedirs(self.repo)
        for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "one"]):
            if args[0] == "add":
                with open(os.path.join(self.repo, "README"), "w") as f:
                    f.write("repo under test\n")
                # The harness's package, as this revision of rxbench has it.
                os.makedirs(os.path.join(self.repo, "commands"))
                with open(os.path.join(self.repo, "commands", "BUILD.bazel"), "w") as f:
                    f.write("# //commands:rxbench\n")
            subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                           cwd=self.repo, check=True, env={**os.environ, **self.env})
        self.head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=self.repo, check=True,
                                   capture_output=True, text=True).stdout.strip()

    def commit(self, message, files):
        """Commits `files` (path -> text) to the repository; returns the new sha."""
        for name, text in files.items():
            with open(os.path.join(self.repo, name), "w") as f:
                f.write(text)
        env = {**os.environ, **self.env}
        for args in (["add", "-A"], ["commit", "-q", "-m", message]):
            subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                           cwd=self.repo, check=True, env=env)
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=self.repo, check=True,
                              capture_output=True, text=True).stdout.strip()

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def close(self):
        self._tmp.cleanup()

    def ci(self, *argv, **env):
        """Runs `rxbench ci ARGV --db <sandbox db>` in this process; (code, out, err)."""
        out, err = io.StringIO(), io.StringIO()
        with mock.patch.dict(os.environ, {**self.env, **env}), \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = dispatch.main(["ci", *argv, "--db", self.db])
        return code, out.getvalue(), err.getvalue()

    def harness_calls(self):
        """Each call of a harness: (which binary, argv)."""
        if not os.path.exists(self.harness_log):
            return []
        with open(self.harness_log) as f:
            calls = [json.loads(line) for line in f]
        return [("candidate" if c[0] == FAKE_HARNESS else "reference", c[1:]) for c in calls]

    def bazel_calls(self):
        if not os.path.exists(self.bazel_log):
            return []
        with open(self.bazel_log) as f:
            return [line.split()[1:] for line in f]


class SandboxTest(unittest.TestCase):
    """A test case with a fresh Sandbox as self.box and its environment in os.environ."""

    def setUp(self):
        self.box = Sandbox()
        self.addCleanup(self.box.close)
        self.addCleanup(build.release_all)   # the builds this test's gates held
        patch = mock.patch.dict(os.environ, self.box.env)
        patch.start()
        self.addCleanup(patch.stop)
