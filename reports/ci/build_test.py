"""Building the harness at a revision: git worktree in the cache, Bazel there once."""
import contextlib
import io
import os
import unittest

from reports.ci import build
from reports.ci.fake_setup import SandboxTest
from reports.usage import UsageError


class Build(SandboxTest):
    def test_cache_dir(self):
        self.assertEqual(build.cache_root(), os.path.join(self.box.cache, "rxbench", "ci"))

    def test_builds_once_per_commit(self):
        sha = build.resolve_revision(self.box.repo, "HEAD")
        self.assertEqual(sha, self.box.head)
        said = io.StringIO()
        with contextlib.redirect_stderr(said):
            binary = build.harness_at(self.box.repo, sha)
        self.assertIn(f"rxbench: building the harness at {sha[:12]}", said.getvalue())
        worktree = os.path.join(self.box.cache, "rxbench", "ci", sha)
        self.assertEqual(binary, os.path.join(worktree, "bazel-bin", "harness", "rxbench"))
        self.assertTrue(os.path.exists(os.path.join(worktree, "README")))   # checked out
        self.assertEqual(self.box.bazel_calls(), [
            ["build", "-c", "opt", "--noshow_progress",
             "--disk_cache=" + os.path.join(self.box.cache, "rxbench", "bazel-disk-cache"),
             "//harness:rxbench"], ["shutdown"]])
        self.assertEqual(build.harness_at(self.box.repo, sha), binary)
        self.assertEqual(len(self.box.bazel_calls()), 2)   # cached: no second build

    def test_unknown_revision(self):
        with self.assertRaisesRegex(UsageError, "--against nope: no such commit"):
            build.resolve_revision(self.box.repo, "nope")


if __name__ == "__main__":
    unittest.main()
