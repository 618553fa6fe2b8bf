"""`rxbench sweep`: strategies across offered rates, or each one's maximum loss-free rate.

    rxbench sweep --strategies baseline,combined-list --rates 10k,50k,100k,200k --out sweep/
    rxbench sweep --strategies combined-list,iouring --auto --repetitions 3 --max-time 600 \\
        --scenario high-rate --rcvbuf 16777216

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
from reports.sweep import harness, knee as knee_mod, point as pt
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
    p.add_argument("--low", default="10k", help="--auto: a rate expected loss-free (default 10k)")
    p.add_argument("--high", default="650k",
                   help="--auto: a rate expected not loss-free (default 650k, above the generator)")
    p.add_argument("--resolution", type=float, default=0.05,
                   help="--auto: stop when high/low <= 1 + this (default 0.05)")
    p.add_argument("--repetitions", type=int, default=3, help="repetitions per point (default 3)")
    p.add_argument("--max-time", type=float, help="seconds; stop there and keep what finished")
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
        if self.out_of_time():
            raise knee_mod.OutOfTime()
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", strategy)
        out_file = os.path.join(self.args.out, "points", f"{name}@{int(rate)}.json")
        command = [self.binary] + harness.run_args(strategy, rate, self.args.repetitions,
                                                   out_file, self.forwarded)
        runs, error = harness.run(command, out_file, timeout=self.remaining())
        relative = os.path.relpath(out_file, self.args.out)
        p = pt.summarise(strategy, rate, runs or [], relative, error)
        self.points.append(p)
        say(f"sweep: {strategy} at {format_rate(rate)} pps: {p['verdict']}"
            + (f" ({p['error']})" if p.get("error") else ""))
        return p["verdict"]


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
        "mode": "auto" if args.auto else "grid",
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
