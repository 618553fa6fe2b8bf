"""Can perf record call graphs here? Decided by trying, explained in words when not.

Trying beats reading settings alone: perf may be installed for another kernel, a
container may forbid perf_event_open whatever perf_event_paranoid says. The setting
is still read, because it is usually the reason and the user can change it.
"""
import os
import shutil
import subprocess
import tempfile

PARANOID = "/proc/sys/kernel/perf_event_paranoid"


def paranoid_level():
    try:
        with open(PARANOID) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def unusable_reason(perf="perf"):
    """None when `perf record -e cpu-clock --call-graph dwarf` works; else why not."""
    if shutil.which(perf) is None:
        return "perf is not installed (Debian package linux-perf)"
    with tempfile.TemporaryDirectory() as tmp:
        try:
            done = subprocess.run([perf, "record", "-q", "-e", "cpu-clock", "--call-graph", "dwarf",
                                   "-o", os.path.join(tmp, "probe.data"), "--", "true"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  timeout=30)
        except (OSError, subprocess.TimeoutExpired) as e:
            return f"perf record could not run: {e}"
    if done.returncode == 0:
        return None
    level = paranoid_level()
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    reason = f"perf record failed: {lines[0] if lines else f'exit code {done.returncode}'}"
    if level is not None and level > 1 and os.geteuid() != 0:
        reason += (f" (kernel.perf_event_paranoid is {level}; profiling one's own processes "
                   "with kernel frames needs 1 or lower, or root: "
                   "sysctl kernel.perf_event_paranoid=1)")
    return reason
