"""The "busy_poll" section of compare.json: the busy-poll trade-off (busy_poll.py) as
data. Field names are a data contract: add, never rename."""
from reports.comparison.busy_poll import latency_verdict
from reports.comparison.section import _number


def to_busy_poll_section(trade_offs, confidence):
    return {"confidence": confidence, "pairs": [_pair(t) for t in trade_offs]}


def _pair(t):
    return {
        "sleeping": t.sleeping, "waiting": t.waiting, "wait": t.wait, "n": t.n,
        "repetitions": list(t.repetitions), "skipped": t.skipped,
        "extra_cpu_ns_per_packet_receive_path": _figure(t.extra_cpu),
        "extra_cpu_ns_per_packet_receiver": _figure(t.extra_receiver_cpu),
        "latency_gained_p50_us": dict(_figure(t.gained_p50),
                                      verdict=latency_verdict(t.gained_p50)),
        "latency_gained_p99_us": dict(_figure(t.gained_p99),
                                      verdict=latency_verdict(t.gained_p99)),
        # Ratio of the medians above, its interval from the same resamples.
        "p50_us_gained_per_extra_ns": _figure(t.rate_p50),
        "p99_us_gained_per_extra_ns": _figure(t.rate_p99),
        "notes": list(t.notes),
    }


def _figure(f):
    return {"median": _number(f.median), "ci_low": _number(f.low), "ci_high": _number(f.high)}
