"""Whether a strategy was loss-free at an offered rate: the words a sweep point's
verdict is written in (sweep.json), and the rule that picks one.

Loss-free means: in every repetition no packet was dropped (kernel, pipeline), rejected
(malformed, truncated) or unexplained, AND the generator offered the rate. A rate the
generator could not send is never called loss-free, whatever the receiver did with the
packets it did get: the receiver was not tested at that rate. This is stricter than
`metrics.lost_packets` (the C++ loss account's lost packets): a packet that arrived
malformed or truncated was not lost, but the rate was not handled cleanly either.
"""
from typing import Iterable, Mapping

LOSS_FREE = "loss-free"
LOSSY = "lossy"
GENERATOR_SHORT = "generator short"
FAILED = "failed"

LOSS_FIELDS = ["kernel_drops", "pipeline_drops", "malformed", "truncated", "unexplained_packets"]
# The C++ flags generator_fell_behind at 2 % short; older results are judged the same way.
ACHIEVED_TOLERANCE = 0.02


def generator_fell_behind(run: Mapping[str, object]) -> bool:
    flag = run.get("generator_fell_behind")
    if isinstance(flag, bool):
        return flag
    offered, achieved = run.get("offered_pps"), run.get("achieved_pps")
    if not isinstance(offered, (int, float)) or not offered \
            or not isinstance(achieved, (int, float)):
        return False
    return achieved < offered * (1 - ACHIEVED_TOLERANCE)


def packets_not_clean(run: Mapping[str, object]) -> int:
    """Packets of one repetition that count against "loss-free" (LOSS_FIELDS)."""
    return sum(int(run.get(k) or 0) for k in LOSS_FIELDS)  # type: ignore[call-overload]


def verdict(ok_runs: Iterable[Mapping[str, object]]) -> str:
    """LOSSY, GENERATOR_SHORT or LOSS_FREE for the repetitions that ran to the end."""
    runs = list(ok_runs)
    if any(packets_not_clean(r) for r in runs):
        return LOSSY
    return GENERATOR_SHORT if any(generator_fell_behind(r) for r in runs) else LOSS_FREE
