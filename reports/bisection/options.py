"""`rxbench bisect`'s command line: GOOD and BAD first, its own options, and the
scenario options it passes on to every build unchanged, as `ci` does (whatever bisect
does not know is the harness's, which validates it in a dry run)."""
import argparse
from typing import List, Optional, Set

from reports.ci.exact_tier import DEFAULT_REPETITIONS as EXACT_REPETITIONS
from reports.ci.options import DEFAULT_REPETITIONS
from reports.ci.placement import placement_for
from reports.results.metrics import RECEIVE_PATH_CPU
from reports.usage import ArgumentParser, UsageError

from reports.bisection.target import TIERS

DESCRIPTION = """Finds the first commit after GOOD, up to BAD, where a metric got worse.

Each step builds two commits (offline, cached per commit like `ci --against`'s builds)
and gates one against the other, interleaved pair by pair:
  1. BAD against GOOD: there must be a regression to look for;
  2. binary search: the middle commit against the last commit known good;
  3. the culprit against its parent, which confirms it alone carries the change.
A step that is neither clearly worse (the gate's rule) nor clearly not (time tier: the
estimate within the ignored change and the interval short of the threshold) stops the
search: the culprit cannot be told apart, and the range left is named.
Tiers: the exact tier (instructions, syscalls, allocations per packet, counted under
callgrind) for its metrics; the time tier (wall-clock CPU per packet) otherwise. Commits
from before the exact tier can only be bisected on the time tier.
Exit 0: culprit found; 1: it cannot be told apart, or a build or run failed; 2: usage.
"""
DEFAULT_STRATEGY = "combined-list"
# Options bisect sets itself, which must not reach the harness from the scenario options.
_OWN = ("--out", "--strategy", "--strategies", "--dry-run", "--lock-step", "--packets")


def parser() -> ArgumentParser:
    p = ArgumentParser(
        command="bisect", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="GOOD and BAD come first. Any other option is a scenario option passed to "
               "every build unchanged (--scenario, --rate, --duration, --cpu-receiver, ...).")
    p.add_argument("good", metavar="GOOD", help="a commit without the regression")
    p.add_argument("bad", metavar="BAD", help="a later commit with it (GOOD an ancestor)")
    p.add_argument("--strategy", default=DEFAULT_STRATEGY,
                   help=f"the strategy measured (default {DEFAULT_STRATEGY})")
    p.add_argument("--metric", metavar="M",
                   help=f"default {RECEIVE_PATH_CPU.key} (time tier), or with --tier exact "
                        "instructions (the receiver's); exact tier: instructions[:ROLE], "
                        "syscalls, allocations")
    p.add_argument("--tier", choices=TIERS,
                   help="the tier that measures (default: the metric's)")
    p.add_argument("--repetitions", type=int, metavar="N",
                   help=f"pairs per step (default {DEFAULT_REPETITIONS} on the time tier, "
                        f"{EXACT_REPETITIONS} counted pairs on the exact tier)")
    p.add_argument("--measure", default="minimal", choices=("full", "minimal"),
                   help="harness measurement (default minimal: the least noise)")
    p.add_argument("--pin", action=argparse.BooleanOptionalAction, default=True,
                   help="pin the threads as `ci` does (default: on)")
    p.add_argument("--config", metavar="FILE",
                   help="the gate's thresholds, alpha and ignored changes, as for `ci`")
    p.add_argument("--json", metavar="FILE", help="the steps and the answer, as JSON")
    return p


def parse(argv: List[str], allowed_cpus: Optional[Set[int]] = None) -> argparse.Namespace:
    if not any(a in ("-h", "--help") for a in argv) and \
            any(a.startswith("-") for a in argv[:2]):
        # An option's value would otherwise be taken for GOOD or BAD.
        raise UsageError("bisect: GOOD and BAD come first: bisect GOOD BAD [options]")
    args, scenario = parser().parse_known_args(argv)
    for option in scenario:
        if option.split("=", 1)[0] in _OWN:
            raise UsageError(f"bisect: {option} is set by bisect itself")
    if args.repetitions is not None and args.repetitions < 1:
        raise UsageError("bisect: --repetitions must be at least 1")
    args.placement = placement_for(scenario, args.pin, allowed_cpus)
    args.scenario = scenario + args.placement + ["--measure", args.measure]
    return args
