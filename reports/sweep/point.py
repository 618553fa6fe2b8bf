"""One strategy at one offered rate: its repetitions summed up into a verdict.

Loss-free means: in every repetition no packet was dropped (kernel, pipeline), rejected
(malformed, truncated) or unexplained, AND the generator offered the rate. A rate the
generator could not send is never called loss-free, whatever the receiver did with the
packets it did get: the receiver was not tested at that rate.
"""
from reports.html import summary

LOSS_FREE = "loss-free"
LOSSY = "lossy"
GENERATOR_SHORT = "generator short"
FAILED = "failed"

LOSS_FIELDS = ["kernel_drops", "pipeline_drops", "malformed", "truncated", "unexplained_packets"]
# The C++ flags generator_fell_behind at 2 % short; older results are judged the same way.
ACHIEVED_TOLERANCE = 0.02


def generator_fell_behind(run):
    flag = run.get("generator_fell_behind")
    if isinstance(flag, bool):
        return flag
    offered, achieved = run.get("offered_pps"), run.get("achieved_pps")
    if not offered or achieved is None:
        return False
    return achieved < offered * (1 - ACHIEVED_TOLERANCE)


def summarise(strategy, offered_pps, runs, results_file=None, error=None):
    """The sweep point (a plain dict, as written to sweep.json)."""
    ok = [r for r in runs if r.get("ok", True)]
    point = {"strategy": strategy, "offered_pps": offered_pps, "repetitions": len(ok),
             "results_file": results_file, "error": error}
    if error or not ok or len(ok) < len(runs):
        failed = [r.get("error_message") for r in runs if not r.get("ok", True)]
        point.update(verdict=FAILED, error=error or (failed[0] if failed else "no repetition ran"))
        return point
    sent = sum(int(r.get("packets_sent") or 0) for r in ok)
    lost = sum(int(r.get(k) or 0) for r in ok for k in LOSS_FIELDS)
    short = any(generator_fell_behind(r) for r in ok)
    point.update(
        achieved_pps=summary.median_of(ok, "achieved_pps"),
        generator_fell_behind=short,
        packets_sent=sent, packets_lost=lost,
        loss_fraction=lost / sent if sent else None,
        cpu_ns_per_packet_receive_path=summary.median_of(ok, "cpu_ns_per_packet_receive_path"),
        latency_p99_ns=summary.median_of(ok, "latency_p99_ns"),
        verdict=LOSSY if lost else (GENERATOR_SHORT if short else LOSS_FREE))
    return point
