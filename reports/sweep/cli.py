"""`rxbench sweep`: strategies across offered rates or stream counts: the most each holds loss-free.

    rxbench sweep --strategies baseline,combined-list --rates 10k,50k,100k,200k --out sweep/
    rxbench sweep --strategies combined-list,iouring --auto --repetitions 3 --max-time 600 \\
        --scenario high-rate --rcvbuf 16777216
    rxbench sweep --strategies baseline,combined-list,udpsrc --streams --searches 3
    rxbench sweep --strategies baseline,combined-list --streams 1,8,64

Options it does not know (scenario and receiver options) go to every `run` unchanged.
Writes DIR/sweep.json, DIR/points/*.json (the raw results) and a report (DIR/index.html).
"""
import os
import re
import shlex
import sys
import time

from reports.files import write_json_atomically
from reports.html import report
from reports.html.units import format_rate
from reports.usage import ArgumentParser, UsageError, run_main, say
from reports.sweep import harness, knee as knee_mod, point as pt, streams as streams_mod
from reports.sweep.rates import parse_rate, parse_rates

GENERATOR_NOTE = ("The generator tops out near 600 kpps on these machines; a rate it could not "
                  "offer (achieved more than 2 % short) is never called loss-free.")


def parse(argv):
    p = ArgumentParser(command="sweep", description=__doc__.split("\n")[0],
                       epilog="Other options (--scenario, --payload, --rcvbuf, ...) are passed "
                              "to every `rxbench run`.")
    p.add_argument("--strategies", required=True, help="comma-separated strategies")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--rates", help="offered rates, e.g. 10k,20k,50k,100k")
    mode.add_argument("--auto", action="store_true",
                      help="find each strategy's maximum loss-free rate by bisection")
    mode.add_argument("--streams", nargs="?", const="auto", metavar="auto|N,N,...",
                      help="alone (or auto): find each strategy's largest loss-free stream "
                           "count on one core (1, 2, 4, ... until loss, then bisection); "
                           "with counts (1,8,64): measure those")
    p.add_argument("--low", default="10k", help="--auto: a rate expected loss-free (default 10k)")
    p.add_argument("--high", default="650k",
                   help="--auto: a rate expected not loss-free (default 650k, above the generator)")
    p.add_argument("--resolution", type=float, default=0.05,
                   help="--auto: stop when high/low <= 1 + this (default 0.05)")
    p.add_argument("--per-stream-rate", default="520",
                   help="--streams: packets per second of each stream (default 520: 1080p30 "
                        "at 5 Mbit/s)")
    p.add_argument("--max-streams", type=int, default=1024,
                   help="--streams: the highest count tried (default 1024)")
    p.add_argument("--streams-precision", type=int, default=1,
                   help="--streams: stop when the first lossy count is at most this above "
                        "the largest loss-free one (default 1: exact)")
    p.add_argument("--searches", type=int, default=1,
                   help="--streams: run each strategy's search this many times, for the "
                        "spread of its count (default 1)")
    p.add_argument("--reference", help="--streams: the strategy the others' counts are "
                                       "divided by (default: baseline if listed, else the "
                                       "first)")
    p.add_argument("--repetitions", type=int, default=3, help="repetitions per point (default 3)")
    p.add_argument("--max-time", type=float, help="seconds; stop there and keep what finished")
    p.add_argument("--point-timeout", type=float, default=900,
                   help="seconds one run (a point's repetitions) may take before it is killed and "
                        "counted as failed (default 900: hundreds of pipelines can stall)")
    p.add_argument("--out", default="sweep", help="output directory (default: sweep)")
    args, forwarded = p.parse_known_args(argv)
    harness.check_forwarded(forwarded)
    args.strategies = [s for s in args.strategies.split(",") if s]
    if not args.strategies:
        raise UsageError("--strategies needs at least one name")
    if args.repetitions < 1:
        raise UsageError("--repetitions must be at least 1")
    args.rates = parse_rates(args.rates) if args.rates else None
    args.low, args.high = parse_rate(args.low), parse_rate(args.high)
    args.per_stream_rate = parse_rate(args.per_stream_rate)
    if args.streams is not None:
        args.streams = streams_mod.parse_counts(args.streams)
        streams_mod.check(args)
    if args.auto and args.low >= args.high:
        raise UsageError("--low must be below --high")
    return args, forwarded


class Sweep:
    """Runs points and remembers them; the time budget is checked before every run."""

    def __init__(self, args, forwarded, binary):
        self.args, self.forwarded, self.binary = args, forwarded, binary
        self.start = time.monotonic()
        self.deadline = self.start + args.max_time if args.max_time else None
        self.points = []
        os.makedirs(os.path.join(args.out, "points"), exist_ok=True)

    def remaining(self):
        return None if self.deadline is None else self.deadline - time.monotonic()

    def out_of_time(self):
        left = self.remaining()
        return left is not None and left <= 0

    def measure(self, strategy, rate):
        p = self._point(strategy, f"{int(rate)}", rate, None,
                        lambda runs, file, error: pt.summarise(strategy, rate, runs, file, error))
        say(f"sweep: {strategy} at {format_rate(rate)} pps: {p['verdict']}"
            + (f" ({p['error']})" if p.get("error") else ""))
        return p["verdict"]

    def measure_streams(self, strategy, count, search=None):
        """`count` streams at --per-stream-rate each; `search`: which repeated search
        (0-based) asked, None for a listed count."""
        each = self.args.per_stream_rate
        tag = f"{count}streams" + ("" if search is None else f"-search{search + 1}")
        p = self._point(strategy, tag, each, count,
                        lambda runs, file, error: pt.summarise_streams(strategy, count, each,
                                                                       runs, file, error))
        p["search"] = search
        say(f"sweep: {strategy} with {count} streams ({format_rate(count * each)} pps in all)"
            f": {p['verdict']}" + (f" ({p['error']})" if p.get("error") else ""))
        return p["verdict"]

    def check_streams(self, strategy, count):
        """The harness's verdict on the options of a run of `count` streams (dry run)."""
        out_file = os.path.join(self.args.out, "points", "dry-run.json")
        harness.dry_run([self.binary] + harness.run_args(
            strategy, self.args.per_stream_rate, self.args.repetitions, out_file,
            self.forwarded, count))

    def _point(self, strategy, tag, rate, streams, summarise):
        if self.out_of_time():
            raise knee_mod.OutOfTime()
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", strategy)
        out_file = os.path.join(self.args.out, "points", f"{name}@{tag}.json")
        command = [self.binary] + harness.run_args(strategy, rate, self.args.repetitions,
                                                   out_file, self.forwarded, streams)
        runs, error = harness.run(command, out_file, timeout=self.remaining(),
                                  point_timeout=self.args.point_timeout)
        p = summarise(runs or [], os.path.relpath(out_file, self.args.out), error)
        self.points.append(p)
        return p


def run_grid(sweep):
    # Rate by rate, every strategy at each: a stop by --max-time leaves comparable coverage.
    for rate in sweep.args.rates:
        for strategy in sweep.args.strategies:
            sweep.measure(strategy, rate)


def run_auto(sweep):
    knees = {}
    for i, strategy in enumerate(sweep.args.strategies):
        # Each strategy gets an equal share of what is left, so one cannot starve the others.
        left = sweep.remaining()
        still_to_do = len(sweep.args.strategies) - i
        share_end = None if left is None else time.monotonic() + left / still_to_do
        knees[strategy] = knee_mod.bisect_max_loss_free(
            lambda rate, s=strategy: sweep.measure(s, rate), sweep.args.low, sweep.args.high,
            sweep.args.resolution,
            should_stop=lambda: share_end is not None and time.monotonic() >= share_end)
    return knees


def main(argv):
    """The subcommand: exit code 0/1/2, errors as one line on stderr (any dispatcher)."""
    return run_main(_main, argv)


def _main(argv):
    args, forwarded = parse(argv)
    if args.streams is not None:
        return _main_streams(argv, args, forwarded)
    sweep = Sweep(args, forwarded, harness.harness_path())
    stopped = False
    knees = {}
    try:
        if args.auto:
            knees = run_auto(sweep)
            stopped = any(not k.finished for k in knees.values())
        else:
            run_grid(sweep)
    except knee_mod.OutOfTime:
        stopped = True
    if not args.auto:
        knees = {s: knee_mod.knee_of_grid([p for p in sweep.points if p["strategy"] == s])
                 for s in args.strategies}
    doc = document(argv, args, forwarded, sweep, knees, stopped)
    path = os.path.join(args.out, "sweep.json")
    write_json_atomically(path, doc)
    index = report.render(args.out, sweep=doc)
    print(f"sweep: {path}\nreport: {index}")
    for note in doc["sweep"]["notes"]:
        say(note)
    return 1 if any(p["verdict"] == pt.FAILED for p in sweep.points) else 0


def _main_streams(argv, args, forwarded):
    one_core = streams_mod.one_core(forwarded)
    sweep = Sweep(args, forwarded + one_core, harness.harness_path())
    knees = {}
    stopped = False
    streams_mod.check_runs(sweep)
    try:
        if args.streams == "auto":
            knees = streams_mod.run_search(sweep)
            stopped = any(not k.finished for ks in knees.values() for k in ks)
        else:
            streams_mod.run_list(sweep)
    except knee_mod.OutOfTime:
        stopped = True
    if args.streams != "auto":
        knees = streams_mod.knees_of_list(sweep)
    doc = document(argv, args, forwarded, sweep, {}, stopped)
    doc["sweep"].update(streams_mod.document_part(args, knees, one_core))
    path = os.path.join(args.out, "sweep.json")
    write_json_atomically(path, doc)
    index = report.render(args.out, sweep=doc)
    print(streams_mod.console(doc["sweep"]))
    print(f"sweep: {path}\nreport: {index}")
    for note in doc["sweep"]["notes"]:
        say(note)
    return 1 if any(p["verdict"] == pt.FAILED for p in sweep.points) else 0


def document(argv, args, forwarded, sweep, knees, stopped):
    notes = [GENERATOR_NOTE]
    if stopped:
        done = sorted({p["strategy"] for p in sweep.points})
        notes.append(f"Stopped by --max-time {args.max_time:g} s; kept the {len(sweep.points)} "
                     f"points that finished (strategies measured: {', '.join(done) or 'none'}).")
    return {"sweep": {
        "version": 1,
        "command_line": "rxbench sweep " + shlex.join(argv),
        "strategies": args.strategies,
        "mode": "streams" if args.streams is not None else "auto" if args.auto else "grid",
        "rates": args.rates,
        "auto": {"low": args.low, "high": args.high, "resolution": args.resolution}
        if args.auto else None,
        "repetitions": args.repetitions,
        "forwarded": forwarded,
        "max_time_s": args.max_time,
        "stopped_by_time": stopped,
        "elapsed_s": round(time.monotonic() - sweep.start, 1),
        "points": sweep.points,
        "knees": {s: k.as_dict() for s, k in knees.items()},
        "notes": notes,
    }}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
