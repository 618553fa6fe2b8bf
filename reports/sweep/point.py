"""One strategy at one offered rate, or at one stream count: its repetitions summed up
into a sweep point, with the verdict reports.results.rate_verdict gives them."""
from reports.results.rate_verdict import (ACHIEVED_TOLERANCE, FAILED, GENERATOR_SHORT,
                                          LOSS_FREE, LOSSY, generator_fell_behind,
                                          packets_not_clean, verdict)
from reports.stats import median

# A stream's packets lost (sent but not delivered) and its socket's drops, where known.
PER_STREAM_LOSS_FIELDS = ("lost", "kernel_drops")

__all__ = ["FAILED", "GENERATOR_SHORT", "LOSS_FREE", "LOSSY", "summarise", "summarise_streams"]


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


def summarise_streams(strategy, streams, per_stream_pps, runs, results_file=None, error=None):
    """The point of `streams` streams at `per_stream_pps` each. The entry's totals are over
    all streams (they decide as for a rate); besides, a repetition in which any stream
    lost a packet (per_stream[].lost or .kernel_drops) is lossy, and one whose harness
    did not run the streams asked for (per_stream has another length, or it offered
    another total rate) fails the point: its figures would be of another load."""
    point = summarise(strategy, streams * per_stream_pps, runs, results_file, error)
    point.update(streams=streams, per_stream_pps=per_stream_pps)
    if point["verdict"] == FAILED:
        return point
    for r in runs:
        per_stream = r.get("per_stream")
        if not isinstance(per_stream, list) or len(per_stream) != streams:
            got = len(per_stream) if isinstance(per_stream, list) else "no"
            point.update(verdict=FAILED, error=f"asked for {streams} streams, the harness "
                         f"reported {got} per_stream entries")
            return point
        offered = r.get("offered_pps")
        if isinstance(offered, (int, float)) and \
                abs(offered - point["offered_pps"]) > ACHIEVED_TOLERANCE * point["offered_pps"]:
            point.update(verdict=FAILED, error=f"offered {offered:g} pps in all, not "
                         f"{streams} x {per_stream_pps:g}: does the harness's --rate still "
                         "mean each stream's rate?")
            return point
    # Summed over repetitions; a null (a loss the harness cannot attribute to a stream)
    # is left to the totals, which count every drop.
    lossy = sum(1 for r in runs for s in r["per_stream"]
                if any(int(s.get(k) or 0) > 0 for k in PER_STREAM_LOSS_FIELDS))
    point["streams_with_loss"] = lossy
    if lossy:
        point["verdict"] = LOSSY
    return point
