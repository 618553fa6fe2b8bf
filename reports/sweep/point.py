"""One strategy at one offered rate: its repetitions summed up into a sweep point, with
the verdict reports.results.rate_verdict gives them."""
from reports.results.rate_verdict import (FAILED, GENERATOR_SHORT, LOSS_FREE, LOSSY,
                                          generator_fell_behind, packets_not_clean, verdict)
from reports.stats import median

__all__ = ["FAILED", "GENERATOR_SHORT", "LOSS_FREE", "LOSSY", "summarise"]


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
    lost = sum(packets_not_clean(r) for r in ok)
    point.update(
        achieved_pps=median.median_of(ok, "achieved_pps"),
        generator_fell_behind=any(generator_fell_behind(r) for r in ok),
        packets_sent=sent, packets_lost=lost,
        loss_fraction=lost / sent if sent else None,
        cpu_ns_per_packet_receive_path=median.median_of(ok, "cpu_ns_per_packet_receive_path"),
        latency_p99_ns=median.median_of(ok, "latency_p99_ns"),
        verdict=verdict(ok))
    return point
