"""Building the harness at a revision: git worktree in the cache, Bazel there once."""
import contextlib
import io
import os
import stat
import subprocess
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
        self.assertEqual(binary, os.path.join(worktree, "bazel-bin", "commands", "rxbench"))
        self.assertTrue(os.path.exists(os.path.join(worktree, "README")))   # checked out
        self.assertEqual(self.box.bazel_calls(), [
            ["build", "-c", "opt", "--noshow_progress",
             "--disk_cache=" + os.path.join(self.box.cache, "rxbench", "bazel-disk-cache"),
             "//commands:rxbench"], ["shutdown"]])
        self.assertEqual(build.harness_at(self.box.repo, sha), binary)
        self.assertEqual(len(self.box.bazel_calls()), 2)   # cached: no second build

    def test_a_revision_before_the_split_builds_its_own_label(self):
        # Before issue 18 the binary was //harness:rxbench: an older revision has no
        # commands/ package, and `ci --against` it must build the label it has.
        git = ["git", "-C", self.box.repo, "-c", "user.name=t", "-c", "user.email=t@t"]
        subprocess.run(git + ["mv", "commands", "harness"], check=True)
        subprocess.run(git + ["commit", "-q", "-m", "the layout before the split"], check=True)
        old = build.resolve_revision(self.box.repo, "HEAD")
        with contextlib.redirect_stderr(io.StringIO()):
            binary = build.harness_at(self.box.repo, old)
        worktree = os.path.join(self.box.cache, "rxbench", "ci", old)
        self.assertEqual(binary, os.path.join(worktree, "bazel-bin", "harness", "rxbench"))
        self.assertTrue(os.path.exists(binary))
        self.assertEqual(self.box.bazel_calls()[0][-1], "//harness:rxbench")
        # And the revision after it, the current layout, its own.
        with contextlib.redirect_stderr(io.StringIO()):
            current = build.harness_at(self.box.repo, self.box.head)
        self.assertEqual(current, os.path.join(self.box.cache, "rxbench", "ci", self.box.head,
                                               "bazel-bin", "commands", "rxbench"))
        self.assertEqual(self.box.bazel_calls()[2][-1], "//commands:rxbench")

    def test_unknown_revision(self):
        with self.assertRaisesRegex(UsageError, "--against nope: no such commit"):
            build.resolve_revision(self.box.repo, "nope")


class Prune(SandboxTest):
    """Only the most recently used builds stay; real `git worktree` entries in the
    sandbox's repository, its cache pointed elsewhere by XDG_CACHE_HOME."""

    def setUp(self):
        super().setUp()
        git = ["git", "-C", self.box.repo, "-c", "user.name=t", "-c", "user.email=t@t"]
        for n in ("two", "three"):
            subprocess.run(git + ["commit", "-q", "--allow-empty", "-m", n], check=True)
        self.shas = [build.resolve_revision(self.box.repo, f"HEAD~{i}") for i in (2, 1, 0)]
        with contextlib.redirect_stderr(io.StringIO()):
            for sha in self.shas:
                build.harness_at(self.box.repo, sha)
        build.release_all()
        self.root = build.cache_root()
        # Last use: the first commit newest, the second oldest (set, not slept for).
        for sha, used in zip(self.shas, (3000, 1000, 2000)):
            os.utime(os.path.join(self.root, sha), (used, used))

    def worktrees(self):
        listing = subprocess.run(["git", "-C", self.box.repo, "worktree", "list",
                                  "--porcelain"], check=True, capture_output=True,
                                 text=True).stdout
        return {line.split(" ", 1)[1] for line in listing.splitlines()
                if line.startswith("worktree ")}

    def test_keeps_the_most_recently_used(self):
        oldest = os.path.join(self.root, self.shas[1])
        # Its Bazel output base, outside the worktree, read-only as Bazel leaves it.
        output_base = self.box.path("bazel-output-base")
        out = os.path.join(output_base, "execroot", "rxbench", "bazel-out")
        os.makedirs(out)
        with open(os.path.join(out, "rxbench"), "w") as f:
            f.write("binary")
        os.chmod(out, stat.S_IRUSR | stat.S_IXUSR)
        os.symlink(out, os.path.join(oldest, "bazel-out"))
        os.utime(oldest, (1000, 1000))   # the link touched it
        self.assertIn(oldest, self.worktrees())

        removed, in_use = build.prune(self.box.repo, keep=2)
        self.assertEqual((removed, in_use), ([oldest], []))
        self.assertFalse(os.path.exists(oldest))
        self.assertFalse(os.path.exists(output_base))
        self.assertFalse(os.path.exists(os.path.join(self.root, self.shas[1] + ".lock")))
        self.assertFalse(os.path.exists(os.path.join(self.root, self.shas[1] + ".build.log")))
        kept = {os.path.join(self.root, self.shas[i]) for i in (0, 2)}
        self.assertEqual(self.worktrees() - {self.box.repo}, kept)
        self.assertEqual(build.prune(self.box.repo, keep=2), ([], []))

    def test_a_build_in_use_stays(self):
        newest = os.path.join(self.root, self.shas[0])
        with contextlib.redirect_stderr(io.StringIO()):
            build.harness_at(self.box.repo, self.shas[1])   # the oldest, used now
        used = os.path.join(self.root, self.shas[1])
        self.assertEqual(sorted(os.listdir(self.root)), sorted(
            [s for s in self.shas] + [f"{s}.{x}" for s in self.shas
                                      for x in ("lock", "build.log")]))
        removed, in_use = build.prune(self.box.repo, keep=1)
        # harness_at made it the most recently used: the others go.
        self.assertEqual(in_use, [])
        self.assertEqual(sorted(removed), sorted(
            os.path.join(self.root, s) for s in (self.shas[0], self.shas[2])))
        self.assertTrue(os.path.exists(used))
        self.assertFalse(os.path.exists(newest))
        # Held by this process: even keep=0 leaves it.
        self.assertEqual(build.prune(self.box.repo, keep=0), ([], [used]))

    def test_ci_prune(self):
        code, out, err = self.box.ci("--prune", "--keep-builds", "1")
        self.assertEqual((code, out), (0, ""), err)
        removed = [os.path.join(self.root, self.shas[i]) for i in (2, 1)]
        self.assertEqual(err.splitlines(),
                         [f"rxbench: ci: removed the cached build {w}" for w in removed])
        self.assertEqual(self.box.harness_calls(), [])
        code, _, err = self.box.ci("--prune")
        self.assertEqual(code, 0)
        self.assertIn("nothing to prune", err)
        code, _, err = self.box.ci("--prune", "--against", "HEAD")
        self.assertEqual(code, 2)
        self.assertIn("--prune runs alone", err)

    def test_a_gate_prunes_after_its_build(self):
        code, _, err = self.box.ci("--against", "HEAD", "--repetitions", "8",
                                   "--max-repetitions", "8", "--keep-builds", "2",
                                   "--no-record")
        self.assertEqual(code, 0, err)
        # HEAD (the third commit) was used just now; the first is the newest of the rest.
        self.assertIn(f"removed the cached build {os.path.join(self.root, self.shas[1])}",
                      err)
        self.assertEqual(sorted(n for n in os.listdir(self.root) if "." not in n),
                         sorted([self.shas[0], self.shas[2]]))


if __name__ == "__main__":
    unittest.main()
