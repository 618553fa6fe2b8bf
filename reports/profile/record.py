"""`perf record` around one `rxbench run`, then `perf script` into text.

Unwinding: DWARF (`--call-graph dwarf`), not frame pointers (`-g`). The harness is
built with -fno-omit-frame-pointer, but Debian's glibc, GLib and GStreamer are not:
measured on this project's VM (baseline, 2 s, 10 kpps, cpu-clock), with `-g` 0 % of
the receiver's and pipeline threads' samples unwound to start_thread (stacks stopped
after 3-5 frames at the first library frame); with DWARF 99.5-100 % did, 11-13 frames
deep. The price is a larger perf.data (~3.3 MB per recorded second vs 0.05 MB) and
a slower `perf script`, both fine for a profile of a few seconds. Stripped libraries
still show their static functions as "[libgstbase-1.0.so]": installing the -dbgsym
packages would name them.
"""
import subprocess

from reports.usage import RunFailed, UsageError

EVENT = "cpu-clock"  # a software event: works without a PMU (these VMs have none)
UNWINDING = "dwarf"
SCRIPT_FIELDS = "comm,tid,period,ip,sym,dso"


def record_command(perf_data, harness_argv, frequency):
    # No -a: only the harness process and its threads. Kernel frames are included by
    # default for cpu-clock when perf_event_paranoid (or root) allows them.
    return ["perf", "record", "-q", "-e", EVENT, "-F", str(frequency), "--call-graph", UNWINDING,
            "-o", perf_data, "--"] + list(harness_argv)


def record(perf_data, harness_argv, frequency, timeout=None):
    done = subprocess.run(record_command(perf_data, harness_argv, frequency),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=timeout)
    last = (done.stderr.strip().splitlines() or [""])[-1].removeprefix("rxbench: ")
    if done.returncode == 2:
        raise UsageError(last or "the harness rejected its arguments")
    if done.returncode != 0:
        raise RunFailed(f"perf record of `{' '.join(harness_argv[1:4])}` failed: {last}")


def script(perf_data):
    done = subprocess.run(["perf", "script", "-i", perf_data, "-F", SCRIPT_FIELDS],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RunFailed(f"perf script failed: {done.stderr.strip()[:200]}")
    return done.stdout
