"""`rxbench sweep --streams`: how many streams of --per-stream-rate pps each one core
holds loss-free, per strategy, and the ratio of each strategy's count to the reference's.

"One core": the receiver and every pipeline thread pinned to one CPU, the generator to
another (reports.ci.placement's default placement, unless the user gave --cpu-*).
A count is loss-free when all R repetitions of its run are (point.summarise_streams:
no stream and no total lost, dropped, rejected or unexplained a packet, and the
generator offered the rate). Each search (knee.search_max_count) is run --searches
times; capacity.py says how the spread is computed.
"""
import math
import os
import time

from reports.ci import placement
from reports.usage import UsageError
from reports.stats import median
from reports.sweep import capacity, knee as knee_mod

LOSS_FREE_RULE = ("a stream count is loss-free when every repetition of its run is: no "
                  "stream lost a packet, and in total no packet was dropped (kernel, "
                  "pipeline), rejected or unexplained, and the generator offered the rate "
                  "(within 2 %)")


def parse_counts(text):
    """"auto" (search) or the sorted stream counts of a list like 1,8,64."""
    if text.strip() == "auto":
        return "auto"
    try:
        counts = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise UsageError(f"--streams takes auto or stream counts like 1,8,64, not {text!r}")
    if not counts or counts[0] < 1:
        raise UsageError(f"--streams: stream counts must be 1 or more: {text!r}")
    return counts


def check(args):
    if args.max_streams < 1:
        raise UsageError("--max-streams must be at least 1")
    if args.streams_precision < 1:
        raise UsageError("--streams-precision must be at least 1")
    if args.searches < 1:
        raise UsageError("--searches must be at least 1")
    if args.reference is not None and args.reference not in args.strategies:
        raise UsageError(f"--reference {args.reference} is not one of --strategies")


def one_core(forwarded, allowed_cpus=None):
    """The --cpu-* options that pin the receive side to one CPU and the generator to
    another; none when the user placed the threads."""
    if placement.user_placed(forwarded):
        return []
    options = placement.default_placement(os.sched_getaffinity(0) if allowed_cpus is None
                                          else allowed_cpus)
    if not options:
        raise UsageError("sweep --streams measures one core with the generator on another: "
                         "it needs 2 CPUs (or place the threads with --cpu-*)")
    return options


def reference_of(args):
    if args.reference:
        return args.reference
    return "baseline" if "baseline" in args.strategies else args.strategies[0]


def check_runs(sweep):
    """Every strategy's run at 2 streams, checked by the harness before any is measured
    (udpsrc, for one, needs a socket per stream)."""
    for strategy in sweep.args.strategies:
        sweep.check_streams(strategy, 2)


def run_search(sweep):
    """Every strategy's search, --searches times; search by search, so that a stop by
    --max-time leaves every strategy with as many searches as the others, give or take
    one. Each (search, strategy) gets an equal share of the time left."""
    args = sweep.args
    knees = {s: [] for s in args.strategies}
    order = [(i, s) for i in range(args.searches) for s in args.strategies]
    for n, (i, strategy) in enumerate(order):
        left = sweep.remaining()
        share_end = None if left is None else time.monotonic() + left / (len(order) - n)
        knees[strategy].append(knee_mod.search_max_count(
            lambda count, s=strategy, i=i: sweep.measure_streams(s, count, i),
            args.max_streams, args.streams_precision,
            should_stop=lambda: share_end is not None and time.monotonic() >= share_end))
    return knees


def run_list(sweep):
    """The counts listed, count by count, every strategy at each."""
    for count in sweep.args.streams:
        for strategy in sweep.args.strategies:
            sweep.measure_streams(strategy, count)


def knees_of_list(sweep):
    return {s: [knee_mod.knee_of_grid([p for p in sweep.points if p["strategy"] == s],
                                      unit=knee_mod.STREAMS)]
            for s in sweep.args.strategies}


def document_part(args, knees, one_core_options):
    """The streams-only part of sweep.json."""
    ref = reference_of(args)
    found = {s: [k.as_dict() for k in ks] for s, ks in knees.items()}
    return {
        "streams": {"counts": None if args.streams == "auto" else args.streams,
                    "per_stream_pps": args.per_stream_rate, "max_streams": args.max_streams,
                    "precision": args.streams_precision,
                    "searches": args.searches if args.streams == "auto" else None,
                    "placement": one_core_options, "reference": ref,
                    "loss_free_rule": LOSS_FREE_RULE, "spread": capacity.__doc__},
        "knees": found,
        "capacity": {s: capacity.of_strategy(ks) for s, ks in found.items()},
        "ratios": {s: capacity.ratio(ks, found[ref]) for s, ks in found.items() if s != ref},
    }


def console(sweep_doc):
    """The console table: per strategy its count, its brackets, and CPU per packet and
    p99 latency at each count measured (medians over the searches that measured it)."""
    lines = []
    rate = sweep_doc["streams"]["per_stream_pps"]
    for s in sweep_doc["strategies"]:
        c = sweep_doc["capacity"][s]
        brackets = ", ".join(_bracket(k) for k in sweep_doc["knees"][s])
        count = "-" if c["median"] is None else f"{c['median']:g}"
        spread = "" if c["min"] is None or c["min"] == c["max"] else \
            f" (min {c['min']}, max {c['max']})"
        lines.append(f"{s}: {count} streams of {rate:g} pps loss-free{spread}"
                     f"{' or more (loss-free at the highest count tried)' if c['at_cap'] else ''}"
                     f"; bracket per search: {brackets}")
        # Why each bracket ended where it did (e.g. the generator, not the receiver).
        lines += [f"  {note}" for note in dict.fromkeys(k["note"] for k in sweep_doc["knees"][s])]
        lines.append(f"  {'streams':>8} {'verdicts':<24} {'CPU ns/packet':>14} {'p99 µs':>10}")
        for count, points in _by_count(sweep_doc["points"], s):
            verdicts = ", ".join(sorted({p["verdict"] for p in points}))
            lines.append(f"  {count:>8} {verdicts:<24} "
                         f"{_median(points, 'cpu_ns_per_packet_receive_path', 1, 0):>14} "
                         f"{_median(points, 'latency_p99_ns', 1e-3, 1):>10}")
    ref = sweep_doc["streams"]["reference"]
    for s, r in sweep_doc["ratios"].items():
        lines.append(f"{s} / {ref}: {_number(r['ratio_of_medians'], 2)} "
                     f"(range {_pair(r['range'])}, {r['confidence']:.0%} interval "
                     f"{_pair(r['interval'])})")
    return "\n".join(lines)


def _bracket(k):
    good, bad = k["max_loss_free_streams"], k["first_bad_streams"]
    text = f"[{'-' if good is None else good}, {'-' if bad is None else bad})"
    return text + ("" if k["finished"] else " stopped")


def _by_count(points, strategy):
    counts = {}
    for p in points:
        if p["strategy"] == strategy:
            counts.setdefault(p["streams"], []).append(p)
    return sorted(counts.items())


def _median(points, key, scale, digits):
    m = median.median_of(points, key)
    return "-" if m is None else f"{m * scale:,.{digits}f}"


def _number(value, digits):
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:.{digits}f}"


def _pair(pair):
    return f"{_number(pair[0], 2)}..{_number(pair[1], 2)}"
