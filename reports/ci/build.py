"""The harness at another git revision, built offline and cached by commit.

`git worktree add` puts the revision at $XDG_CACHE_HOME/rxbench/ci/<full sha> (default
~/.cache), `bazel build -c opt //commands:rxbench` builds it there (`//harness:rxbench`
for a revision from before the harness was split into packages). The worktree stays:
a later gate against the same commit reuses the binary without building. A lock file per
commit keeps two gates from building in one worktree at once, and a gate holds it shared
while it uses the build, so that pruning never removes a build in use.

Each worktree costs its checkout plus its own Bazel output base (hundreds of MB), so only
the `keep` most recently used are kept (`prune`, after each gate and `ci --prune`). The
worktree directory's mtime is its last use.
"""
import contextlib
import fcntl
import os
import re
import shutil
import stat
import subprocess

from reports.usage import RunFailed, UsageError, say

# Where the harness binary is, by the revision's layout, newest first: commands/ since
# the harness was split into packages (issue 18), harness/ before. `ci --against` an
# older revision builds the label that revision has.
PACKAGES = ("commands", "harness")
# Cached builds kept by default: a merge request's base and a few recent ones.
DEFAULT_KEEP = 8
_COMMIT_DIR = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")   # SHA-1 or SHA-256
# Locks of the builds this process uses, held shared until it exits.
_IN_USE: dict = {}


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


def harness_target(worktree):
    """(label, binary path) of the harness in the revision checked out at `worktree`; the
    current layout's when the checkout has neither package (or is not there yet)."""
    package = next((p for p in PACKAGES
                    if os.path.exists(os.path.join(worktree, p, "BUILD.bazel"))), PACKAGES[0])
    return f"//{package}:rxbench", os.path.join(worktree, "bazel-bin", package, "rxbench")


def harness_at(repo, sha, root=None):
    """Path of the harness binary built at commit `sha`, building it the first time. The
    build stays locked against pruning (shared) while this process runs."""
    root = root or cache_root()
    worktree = os.path.join(root, sha)
    os.makedirs(root, exist_ok=True)
    lock = _IN_USE.get(os.path.join(root, sha))
    if lock is None:
        lock = _lock(root, sha, fcntl.LOCK_EX)   # another gate may be building this commit
        try:
            if not os.path.exists(harness_target(worktree)[1]):
                _build(repo, sha, worktree, os.path.join(root, f"{sha}.build.log"))
            fcntl.flock(lock, fcntl.LOCK_SH)
        except BaseException:
            lock.close()
            raise
        _IN_USE[os.path.join(root, sha)] = lock
    os.utime(worktree)   # its last use, which pruning goes by
    return harness_target(worktree)[1]


def release_all():
    """Lets this process's builds be pruned (tests; a process exiting releases them too)."""
    for lock in _IN_USE.values():
        lock.close()
    _IN_USE.clear()


def prune(repo, keep=DEFAULT_KEEP, root=None):
    """Removes the cached builds beyond the `keep` most recently used, with their Bazel
    output bases; a build another gate is using stays. Returns (removed, in_use): the
    worktree paths, newest first."""
    root = root or cache_root()
    try:
        names = [n for n in os.listdir(root) if _COMMIT_DIR.match(n)
                 and os.path.isdir(os.path.join(root, n))]
    except FileNotFoundError:
        return [], []
    worktrees = sorted((os.path.join(root, n) for n in names), key=os.path.getmtime,
                       reverse=True)
    removed, in_use = [], []
    for worktree in worktrees[keep:]:
        sha = os.path.basename(worktree)
        if worktree in _IN_USE:
            in_use.append(worktree)
            continue
        try:
            lock = _lock(root, sha, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            in_use.append(worktree)
            continue
        with lock:
            _remove_output_base(worktree)
            shutil.rmtree(worktree, onerror=_force)
            for leftover in (f"{sha}.build.log", f"{sha}.lock"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(root, leftover))
        removed.append(worktree)
    if removed:
        _git(repo, "worktree", "prune")   # forget the removed worktrees
    return removed, in_use


def _lock(root, sha, mode):
    """The commit's lock file, locked with `mode`. Pruning unlinks a lock file it holds;
    a gate that was waiting on it then holds a file no one else sees, so it opens the
    new one."""
    path = os.path.join(root, f"{sha}.lock")
    while True:
        lock = open(path, "a")
        try:
            fcntl.flock(lock, mode)
            if os.path.exists(path) and os.path.samestat(os.fstat(lock.fileno()),
                                                         os.stat(path)):
                return lock
        except BaseException:
            lock.close()
            raise
        lock.close()


def _remove_output_base(worktree):
    """Bazel keeps a worktree's outputs outside it, in an output base named after its
    path (bazel-out -> <output base>/execroot/<workspace>/bazel-out)."""
    link = os.path.join(worktree, "bazel-out")
    if not os.path.islink(link):
        return
    execroot = os.path.dirname(os.path.dirname(os.path.realpath(link)))
    if os.path.basename(execroot) != "execroot":
        return
    output_base = os.path.dirname(execroot)
    if os.path.exists(os.path.join(output_base, "server", "server.pid.txt")):
        # A Bazel server still runs there: let it exit before its files go.
        subprocess.run(["bazel", "shutdown"], cwd=worktree, capture_output=True,
                       check=False)
    shutil.rmtree(output_base, onerror=_force)


def _force(function, path, _):
    """Bazel makes its outputs read-only: allow their removal, then retry."""
    with contextlib.suppress(OSError):
        os.chmod(os.path.dirname(path), stat.S_IRWXU)
        if not os.path.islink(path):
            os.chmod(path, stat.S_IRWXU)
        function(path)


def _build(repo, sha, worktree, log_path):
    if not os.path.isdir(worktree):
        _git(repo, "worktree", "prune")   # forget worktrees whose cache was deleted
        done = _git(repo, "worktree", "add", "--detach", worktree, sha)
        if done.returncode != 0:
            raise RunFailed(f"git worktree add {worktree} failed: {done.stderr.strip()}")
    say(f"building the harness at {sha[:12]} in {worktree} (once per commit; minutes)")
    target, binary = harness_target(worktree)
    command = ["bazel", "build", "-c", "opt", "--noshow_progress",
               f"--disk_cache={disk_cache()}", target]
    with open(log_path, "w") as log:
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        built = subprocess.run(command, cwd=worktree, stdout=log, stderr=subprocess.STDOUT,
                               check=False)
        # Each worktree has its own Bazel server; do not leave it holding memory.
        subprocess.run(["bazel", "shutdown"], cwd=worktree, stdout=log,
                       stderr=subprocess.STDOUT, check=False)
    if built.returncode != 0 or not os.path.exists(binary):
        raise RunFailed(f"building the harness at {sha[:12]} failed; log: {log_path}")


def _git(repo, *args):
    try:
        return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True,
                              check=False)
    except OSError as e:
        raise UsageError(f"cannot run git: {e}") from e
