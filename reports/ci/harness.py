"""Runs a built harness binary: the validation dry run, and one `compare` invocation.

The gate drives the C++ binary directly (not ./rxbench): the wrapper would rebuild the
workspace's harness, while the gate runs two different builds.
"""
import os
import subprocess

from reports.usage import RunFailed, UsageError


class Harness:
    def __init__(self, path, label, extra_args=(), version=None):
        """`extra_args` go to this build only (e.g. --inject-cost-ns for the build
        under test, never for the reference). `version`: what this build's results say
        it is (their context's rxbench_version, which the harness takes from
        $RXBENCH_VERSION); None keeps ours, which ./rxbench set for the checkout."""
        self.path = path
        self.label = label
        self.extra_args = list(extra_args)
        self.version = version

    def validate(self, strategies, options):
        """Lets the harness check the options before anything is built or run: it exits
        2 with one line on stderr on a bad option, which becomes our usage error."""
        done = self._run(self._compare_args(strategies, 1, options) + ["--dry-run"], None)
        if done.returncode == 2:
            raise UsageError(_last_line(done.stderr).removeprefix("rxbench: "))
        if done.returncode != 0:
            raise RunFailed(f"{self.label}: dry run failed (exit {done.returncode}): "
                            f"{_last_line(done.stderr)}")

    def compare(self, strategies, repetitions, options, out_dir):
        """Runs `compare`; returns the path of its results file. The harness's own table
        goes to out_dir/console.txt, not to our output."""
        os.makedirs(out_dir, exist_ok=True)
        args = self._compare_args(strategies, repetitions, options) + ["--out", out_dir]
        with open(os.path.join(out_dir, "console.txt"), "w") as console:
            done = self._run(args, console)
        if done.returncode != 0:
            raise RunFailed(f"{self.label}: `{' '.join(args)}` failed "
                            f"(exit {done.returncode}): {_last_line(done.stderr)}")
        return os.path.join(out_dir, "compare.json")

    def _compare_args(self, strategies, repetitions, options):
        return [self.path, "compare", "--strategies", ",".join(strategies),
                "--repetitions", str(repetitions)] + list(options) + self.extra_args

    def _run(self, args, stdout):
        env = dict(os.environ)
        env.pop("RXBENCH_HANDOFF", None)   # the gate reads --out; no hand-off file
        if self.version:
            # Another revision's binary would otherwise inherit the checkout's version.
            env["RXBENCH_VERSION"] = self.version
        try:
            return subprocess.run(args, stdout=stdout or subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, env=env, check=False)
        except OSError as e:
            raise UsageError(f"cannot run the {self.label} harness {self.path}: {e}") from e


def _last_line(text):
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "(no message)"
