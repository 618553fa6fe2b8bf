"""When each recorded commit was made, so the trend's x axis is in commit order.

Recording order is not commit order: `ci --against REV` records the older reference
after the build under test, and a bisection records old commits last. The history
stores `git describe` strings (`5d273f6`, `v1.2-3-g1234567-dirty`); the repository
($RXBENCH_ROOT, which ./rxbench sets, else the current directory) turns them into
commit dates. A name git cannot resolve (another repository, "unknown") keeps the
time it was first recorded.
"""
import datetime
import os
import subprocess


def commit_times(commits, repo=None):
    """{commit name: ISO 8601 UTC commit time} for the names git resolves in `repo`."""
    repo = repo or os.environ.get("RXBENCH_ROOT") or os.getcwd()
    out = {}
    for name in commits:
        rev = name.removesuffix("-dirty")
        try:
            done = subprocess.run(["git", "-C", repo, "log", "-1", "--format=%ct",
                                   f"{rev}^{{commit}}", "--"], capture_output=True,
                                  text=True, check=False, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return out   # no git here: recording order it is
        if done.returncode == 0 and done.stdout.strip().isdigit():
            when = datetime.datetime.fromtimestamp(int(done.stdout.strip()),
                                                   datetime.timezone.utc)
            out[name] = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return out
