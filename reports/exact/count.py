"""One counted run: a strategy's receive side under callgrind, in lock-step, and its
per-packet figures by role. Used by `rxbench count` and by the exact tier of `rxbench ci`.

The run: `valgrind --tool=callgrind --separate-threads=yes --fair-sched=try
--collect-systime=nsec --instr-atstart=no <harness> run --strategy S --lock-step K
--packets N`. Lock-step makes each thread's batches and wake-ups the same from run to run
(the receiver reads a round of K only once all of it is queued, the generator sends the
next round only once the pipeline has let the last one go), and the harness opens
callgrind's instrumentation only for its measurement window (metrics/callgrind_window.h),
so the figures are the window's, divided by the packets measured in it (the results'
`window_packets`).

Wake-ups per packet are the harness's lock-step gate waits per measured packet (each a
sleep and a wake-up at a round boundary: the same in every run), and per role the futex
calls (figures.FUTEX_CALLS), which follow the scheduling.

Kernel work is not counted: figures.KERNEL_NOTE says so wherever they appear.
"""
import json
import os
import subprocess
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

from reports.exact import callgrind, figures, roles, valgrind

# Packets per round: two of combined-list's 32-datagram batches (--batch's default), so
# every batching strategy reads whole batches each round; a round is 64 x ~1.3 kB, far
# under the default 4 MB socket buffer and the 4096-buffer pools, so nothing waits on
# space inside a round.
DEFAULT_LOCK_STEP = 64
# Measured packets: 64 whole rounds (the 4 000, rounded to whole rounds, so that
# every run has the same rounds). Enough that once-per-run work (a clock read at the
# window's edges) is < 0.1 % of a packet's figures; short enough that baseline counts in
# seconds under callgrind.
DEFAULT_PACKETS = 4096
# A counted run that takes longer than this has hung (valgrind and a receive call it
# cannot run): it is stopped and reported, not waited for.
TIMEOUT_S = 600.0
# Each callgrind client request and the lock-step option appear in the harness's
# `run --help` only in builds that have the exact tier.
LOCK_STEP_OPTION = "--lock-step"
VALGRIND = ["valgrind", "--tool=callgrind", "--separate-threads=yes", "--fair-sched=try",
            "--collect-systime=nsec", "--instr-atstart=no"]
UDPSRC_REFUSAL = ("udpsrc reads on its own thread with GStreamer's pacing, which lock-step "
                  "cannot hold to rounds: not counted")


class CountFailed(RuntimeError):
    """A counted run did not complete (valgrind or the harness failed, or it hung)."""


@dataclass
class Counted:
    """One counted run of one strategy."""
    strategy: str
    figures: figures.Figures
    wakeups_per_packet: Optional[float]   # None: the harness did not say
    lock_step: Dict[str, Any] = field(default_factory=dict)
    roles: Dict[int, str] = field(default_factory=dict)
    threads: Dict[int, callgrind.ThreadProfile] = field(default_factory=dict)

    def to_json(self, top: int = 20) -> Dict[str, Any]:
        return {"strategy": self.strategy, **self.figures.to_json(top),
                "wakeups_per_packet": self.wakeups_per_packet, "lock_step": self.lock_step,
                "threads": {str(t): r for t, r in sorted(self.roles.items())}}


def _run(args: List[str], timeout: Optional[float] = 60.0) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)


def tier_unavailable(harness: str, label: str) -> Optional[str]:
    """Why `harness` (a build's binary) cannot be counted, or None: a build from before
    the exact tier has no lock-step in its `run --help`."""
    try:
        done = _run([harness, "run", "--help"])
    except (OSError, subprocess.SubprocessError) as e:
        return f"{label}: cannot run {harness} run --help: {e}"
    if LOCK_STEP_OPTION not in done.stdout + done.stderr:
        return (f"{label} predates the exact tier (its `run --help` has no "
                f"{LOCK_STEP_OPTION})")
    return None


def refusal(harness: str, strategy: str) -> Optional[str]:
    """Why `strategy` is not counted, or None: io_uring (valgrind cannot run it) and
    udpsrc (no lock-step) are refused before anything is started."""
    if strategy == "udpsrc" or strategy.startswith("udpsrc+"):
        return f"{strategy}: {UDPSRC_REFUSAL}"
    try:
        listing = _run([harness, "list"]).stdout
    except (OSError, subprocess.SubprocessError) as e:
        return f"cannot run {harness} list: {e}"
    return valgrind.refusal(strategy, listing)


def command(harness: str, strategy: str, lock_step: int, packets: int, out_file: str,
            results: str, options: Sequence[str] = ()) -> List[str]:
    return VALGRIND + [f"--callgrind-out-file={out_file}", harness, "run",
                       "--strategy", strategy, LOCK_STEP_OPTION, str(lock_step),
                       "--packets", str(packets), "--out", results] + list(options)


def count(harness: str, strategy: str, work_dir: str, lock_step: int = DEFAULT_LOCK_STEP,
          packets: int = DEFAULT_PACKETS, options: Sequence[str] = ()) -> Counted:
    """Runs `strategy` once under callgrind into `work_dir` and returns its figures.
    `options`: more `run` options (scenario, --inject-instructions)."""
    os.makedirs(work_dir, exist_ok=True)
    out_file = os.path.join(work_dir, "callgrind.out")
    results = os.path.join(work_dir, "results.json")
    args = command(harness, strategy, lock_step, packets, out_file, results, options)
    try:
        done = _run(args, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        raise CountFailed(f"{strategy}: the counted run took over {TIMEOUT_S:g} s: stopped "
                          f"(`{' '.join(args)}`)") from e
    except OSError as e:
        raise CountFailed(f"cannot run valgrind: {e}") from e
    with open(os.path.join(work_dir, "valgrind.log"), "w", encoding="utf-8") as log:
        log.write(done.stderr)
    if done.returncode != 0:
        # The harness's last word, not valgrind's summary (its lines start "==pid==").
        said = [line for line in done.stderr.splitlines()
                if line.strip() and not line.startswith("==")]
        last = said[-1] if said else "(no message)"
        raise CountFailed(f"{strategy}: counted run failed (exit {done.returncode}): {last}")
    try:
        with open(results, encoding="utf-8") as f:
            result = json.load(f)["benchmarks"][0]
    except (OSError, ValueError, KeyError, IndexError) as e:
        raise CountFailed(f"{strategy}: no results from the counted run: {e}") from e
    threads = callgrind.read_threads(callgrind.dump_files(out_file))
    if not threads:
        raise CountFailed(f"{strategy}: callgrind wrote no profile ({out_file}*)")
    mapping = roles.roles(threads)
    measured = measured_packets(result)
    lock = result.get("lock_step") or {}
    waits = lock.get("gate_waits")
    return Counted(strategy, figures.figures(threads, mapping, measured),
                   None if waits is None else waits / measured, dict(lock), mapping, threads)


def measured_packets(result: Dict[str, Any]) -> int:
    """The packets of the measurement window (the window callgrind counted)."""
    packets = result.get("window_packets")
    if not isinstance(packets, int) or packets <= 0:
        raise CountFailed(f"the results say no packets were measured (window_packets="
                          f"{packets!r})")
    return packets
