"""The harness at another git revision, built offline and cached by commit.

`git worktree add` puts the revision at $XDG_CACHE_HOME/rxbench/ci/<full sha> (default
~/.cache), `bazel build -c opt //harness:rxbench` builds it there. The worktree stays:
a later gate against the same commit reuses the binary without building. A lock file per
commit keeps two gates from building in one worktree at once.
"""
import fcntl
import os
import subprocess

from reports.usage import RunFailed, UsageError, say

TARGET = "//harness:rxbench"
BINARY = os.path.join("bazel-bin", "harness", "rxbench")


def _cache_home():
    return os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                            ".cache")


def cache_root():
    return os.path.join(_cache_home(), "rxbench", "ci")


def disk_cache():
    """The Bazel disk cache the wrapper's builds of the harness fill (./rxbench): a
    revision already built there is assembled from it instead of compiled."""
    return os.path.join(_cache_home(), "rxbench", "bazel-disk-cache")


def resolve_revision(repo, revision):
    """The full commit sha of `revision` in `repo`; a usage error if there is none."""
    done = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if done.returncode != 0:
        raise UsageError(f"--against {revision}: no such commit in {repo}")
    return done.stdout.strip()


def describe_revision(repo, sha):
    done = _git(repo, "describe", "--always", "--tags", sha)
    return done.stdout.strip() if done.returncode == 0 else sha[:12]


def harness_at(repo, sha, root=None):
    """Path of the harness binary built at commit `sha`, building it the first time."""
    root = root or cache_root()
    worktree = os.path.join(root, sha)
    binary = os.path.join(worktree, BINARY)
    if os.path.exists(binary):
        return binary
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, f"{sha}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # another gate may be building this commit
        if not os.path.exists(binary):
            _build(repo, sha, worktree, os.path.join(root, f"{sha}.build.log"))
    return binary


def _build(repo, sha, worktree, log_path):
    if not os.path.isdir(worktree):
        _git(repo, "worktree", "prune")   # forget worktrees whose cache was deleted
        done = _git(repo, "worktree", "add", "--detach", worktree, sha)
        if done.returncode != 0:
            raise RunFailed(f"git worktree add {worktree} failed: {done.stderr.strip()}")
    say(f"building the harness at {sha[:12]} in {worktree} (once per commit; minutes)")
    command = ["bazel", "build", "-c", "opt", "--noshow_progress",
               f"--disk_cache={disk_cache()}", TARGET]
    with open(log_path, "w") as log:
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        built = subprocess.run(command, cwd=worktree, stdout=log, stderr=subprocess.STDOUT,
                               check=False)
        # Each worktree has its own Bazel server; do not leave it holding memory.
        subprocess.run(["bazel", "shutdown"], cwd=worktree, stdout=log,
                       stderr=subprocess.STDOUT, check=False)
    if built.returncode != 0 or not os.path.exists(os.path.join(worktree, BINARY)):
        raise RunFailed(f"building the harness at {sha[:12]} failed; log: {log_path}")


def _git(repo, *args):
    try:
        return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True,
                              check=False)
    except OSError as e:
        raise UsageError(f"cannot run git: {e}") from e
