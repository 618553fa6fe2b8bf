"""The commits `bisect` searches: GOOD, then each commit on the first-parent ancestry
path from GOOD to BAD, oldest first, so that each commit's predecessor in the list is
its parent (the one a culprit is confirmed against)."""
import subprocess
from dataclasses import dataclass
from typing import List

from reports.usage import UsageError


@dataclass(frozen=True)
class Commit:
    sha: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:12]


def path(repo: str, good: str, bad: str) -> List[Commit]:
    """[GOOD, ..., BAD]: a usage error when GOOD is not an ancestor of BAD."""
    good_sha, bad_sha = _resolve(repo, good, "GOOD"), _resolve(repo, bad, "BAD")
    if good_sha == bad_sha:
        raise UsageError(f"bisect: GOOD and BAD are the same commit ({good_sha[:12]})")
    if _git(repo, "merge-base", "--is-ancestor", good_sha, bad_sha).returncode != 0:
        raise UsageError(f"bisect: GOOD {good} is not an ancestor of BAD {bad}")
    listed = _git(repo, "log", "--first-parent", "--ancestry-path", "--reverse",
                  "--format=%H %s", f"{good_sha}..{bad_sha}")
    commits = [Commit(*_split(line)) for line in listed.stdout.splitlines()]
    if not commits or commits[-1].sha != bad_sha:
        raise UsageError(f"bisect: BAD {bad} is not on the first-parent line from GOOD "
                         f"{good} (it is reached only through a merge's other parent)")
    return [Commit(good_sha, _subject(repo, good_sha))] + commits


def _split(line: str) -> List[str]:
    sha, _, subject = line.partition(" ")
    return [sha, subject]


def _resolve(repo: str, revision: str, which: str) -> str:
    done = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if done.returncode != 0:
        raise UsageError(f"bisect: {which} {revision}: no such commit in {repo}")
    return done.stdout.strip()


def _subject(repo: str, sha: str) -> str:
    return _git(repo, "log", "-1", "--format=%s", sha).stdout.strip()


def _git(repo: str, *args: str) -> "subprocess.CompletedProcess[str]":
    try:
        return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True,
                              check=False)
    except OSError as e:
        raise UsageError(f"cannot run git: {e}") from e
