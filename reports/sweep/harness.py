"""Runs the C++ harness (`$RXBENCH_HARNESS run ...`) and reads back its results JSON.

The wrapper exports RXBENCH_HARNESS; the harness's own exit codes carry through:
2 (usage) stops the whole command with its one-line message, 1 is one failed run.
"""
import json
import os
import subprocess

from reports.usage import UsageError
from reports.sweep.knee import OutOfTime

# Options the orchestrators set themselves; forwarding them too would be ambiguous.
OWNED_OPTIONS = {"--strategy", "--strategies", "--rate", "--bitrate", "--repetitions", "--out"}


def harness_path():
    path = os.environ.get("RXBENCH_HARNESS")
    if not path:
        raise UsageError("RXBENCH_HARNESS is not set (run this through ./rxbench, which sets it "
                         "to the built harness binary)")
    if not os.access(path, os.X_OK):
        raise UsageError(f"RXBENCH_HARNESS={path} is not an executable file")
    return path


def check_forwarded(options, owned=OWNED_OPTIONS):
    """Rejects stray words and options that the orchestrator sets itself."""
    if options and not options[0].startswith("-"):
        raise UsageError(f"unexpected argument {options[0]!r}")
    for option in options:
        name = option.split("=", 1)[0]
        if name in owned:
            raise UsageError(f"{name} is set by this command; "
                             "it cannot be forwarded to the harness")


def run_args(strategy, rate, repetitions, out_file, forwarded, streams=None):
    """With `streams`, `rate` is each stream's: the harness's --rate with --streams N
    (its results' offered_pps is N times that, which sweep --streams checks)."""
    args = ["run", "--strategy", strategy, "--repetitions", str(repetitions), "--out", out_file]
    if rate is not None:
        args[3:3] = ["--rate", str(int(rate))]
    if streams is not None:
        args[3:3] = ["--streams", str(streams)]
    return args + list(forwarded)


def dry_run(command):
    """Has the harness check `command` (argv, harness first) without sending traffic:
    a usage error (exit 2) stops the whole command with its one-line message, before
    any measurement rather than hours into one."""
    done = subprocess.run(command + ["--dry-run"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    last = (done.stderr.strip().splitlines() or [""])[-1].removeprefix("rxbench: ")
    if done.returncode == 2:
        raise UsageError(last or f"{command[0]} rejected its arguments")


def run(command, out_file, timeout=None, point_timeout=None):
    """Runs `command` (argv, harness first); returns (iterations, None) or (None, error).
    `timeout`: what is left of the sweep's time (OutOfTime past it); `point_timeout`: the
    most one run may take; a run killed there is a failed point, and the sweep goes on."""
    bounds = [t for t in (timeout, point_timeout) if t is not None]
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=min(bounds) if bounds else None)
    except subprocess.TimeoutExpired:
        if point_timeout is not None and (timeout is None or point_timeout < timeout):
            return None, f"did not finish within {point_timeout:g} s (killed)"
        raise OutOfTime()
    last = (done.stderr.strip().splitlines() or [""])[-1].removeprefix("rxbench: ")
    if done.returncode == 2:
        raise UsageError(last or f"{command[0]} rejected its arguments")
    if done.returncode != 0:
        return None, last or f"exit code {done.returncode}"
    try:
        with open(out_file, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        return None, f"no readable results in {out_file}: {e}"
    return [b for b in doc.get("benchmarks", []) if b.get("run_type") == "iteration"], None
