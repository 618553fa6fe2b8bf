"""`rxbench ci`'s command line: its own options, and the scenario options it passes on
to the harness unchanged (parse_known_args: whatever ci does not know is the harness's,
which validates it in a dry run)."""
import argparse

from reports.ci.build import DEFAULT_KEEP
from reports.ci.covariates import COVARIATES, parse_names
from reports.ci.exact_tier import DEFAULT_REPETITIONS as EXACT_REPETITIONS
from reports.ci.placement import placement_for
from reports.ci.sequential import Plan
from reports.history.db import check_target
from reports.history.paths import default_db_path
from reports.usage import ArgumentParser, UsageError

DESCRIPTION = """Modes:
  --against REV         A/B: the build under test ($RXBENCH_HARNESS) against REV, built
                        offline and cached, interleaved repetition by repetition (paired).
  --baseline NAME|history:N
                        nightly: against stored repetitions (unpaired).
  --calibrate           A/A: the build under test against itself; what the gate can see.
  --save-baseline NAME  (alone, or with a mode) stores the build under test's run as NAME.
  --prune               removes cached builds of other revisions beyond the --keep-builds
                        most recently used, says which, and exits.
Tiers (--tier, default both):
  time   wall-clock CPU per packet, --repetitions interleaved pairs, a one-sided test;
         with --max-repetitions it looks at --repetitions pairs, then every --look-every
         more up to the cap, and stops at the first look that says regression or pass
         (docs/deciding.md).
  exact  instructions per packet per thread role, syscalls and allocations per packet,
         counted under valgrind's callgrind in a lock-step run (`rxbench count`), a few
         interleaved pairs (--exact-repetitions); kernel work is not counted. Skipped,
         with the reason, when valgrind is missing or a build predates it (no --lock-step
         in its `run --help`); the time tier then decides.
Exit 1 only on a regression (time tier: significantly worse, one-sided at alpha, by
more than the ignored change: 2 % for the default 5 % threshold, which is the regression
the gate must catch; or new loss; exact tier: a role's instructions per packet up by more
than 1 %, or a syscall or allocation per packet up by more than 0.01); 0 otherwise; 2 on
usage or configuration errors.
"""

DEFAULT_STRATEGIES = "combined-list,iouring"
# The time tier: a fixed 30 pairs by default, one decision at the whole alpha. Looks
# (--max-repetitions above --repetitions) are there for a quieter machine: on this VM's
# noise (CV of the pairs 8-12 %) the gate rarely decides early, and each look's share of
# alpha costs more power than the early stops save (docs/deciding.md, "The time tier's
# looks"). A first look, when --max-repetitions alone is given: 12 pairs, then every 6.
DEFAULT_REPETITIONS = 30
DEFAULT_FIRST_LOOK = 12
DEFAULT_LOOK_EVERY = 6
# Options ci handles itself, which must not reach the harness from the scenario options.
_OWN = ("--out", "--strategy", "--dry-run", "--lock-step", "--packets")
TIERS = ("both", "time", "exact")


def parser():
    p = ArgumentParser(
        command="ci", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Any other option is a scenario option passed to both builds unchanged "
               "(--scenario, --rate, --duration, --cpu-receiver, ...).")
    mode = p.add_argument_group("what to compare with")
    mode.add_argument("--against", metavar="REV", help="git revision to build and A/B-test")
    mode.add_argument("--baseline", metavar="NAME|history:N",
                      help="stored baseline, or the last N runs on this machine: the same "
                           "host, kernel and CPU model (unpaired)")
    mode.add_argument("--baseline-any-host", action="store_true",
                      help="with --baseline history:N: the last N runs on any machine")
    mode.add_argument("--calibrate", action="store_true",
                      help="A/A: the build under test against itself")
    run = p.add_argument_group("the run")
    run.add_argument("--strategies", default=DEFAULT_STRATEGIES,
                     help=f"strategies gated (default {DEFAULT_STRATEGIES})")
    run.add_argument("--repetitions", type=int, metavar="N",
                     help="pairs of repetitions of the time tier (default "
                          f"{DEFAULT_REPETITIONS}); with --max-repetitions, the pairs at "
                          f"its first look (default {DEFAULT_FIRST_LOOK}, or M if smaller)")
    run.add_argument("--look-every", type=int, default=DEFAULT_LOOK_EVERY, metavar="S",
                     help="pairs added between looks while undecided (default "
                          f"{DEFAULT_LOOK_EVERY})")
    run.add_argument("--max-repetitions", type=int, metavar="M",
                     help="sequential looks: add pairs while undecided, up to M, where "
                          "undecided passes (default: none, a fixed count of N). Nightly "
                          "and --save-baseline runs take M repetitions, --calibrate M "
                          "pairs")
    run.add_argument("--measure", default="minimal", choices=("full", "minimal"),
                     help="harness measurement (default minimal: the least noise)")
    run.add_argument("--pin", action=argparse.BooleanOptionalAction, default=True,
                     help="pin the generator to the first CPU and the receive side "
                          "(receiver and pipeline threads) to the last, unless a --cpu-* "
                          "option is given (default: on; the least noise measured)")
    run.add_argument("--inject-cost-ns", type=int, default=0, metavar="N",
                     help="spin N ns per packet in the receiver of the build under test "
                          "only: checks that the gate catches a slowdown")
    run.add_argument("--inject-instructions", type=int, default=0, metavar="N",
                     help="a loop of N iterations per packet in the receiver of the build "
                          "under test only: checks that the exact tier catches more work")
    run.add_argument("--tier", default="both", choices=TIERS,
                     help="which tiers gate (default both; see Tiers above)")
    run.add_argument("--exact-repetitions", type=int, default=EXACT_REPETITIONS,
                     metavar="N", help="pairs of counted runs per strategy in the exact "
                                       f"tier (default {EXACT_REPETITIONS})")
    out = p.add_argument_group("decision and output")
    out.add_argument("--config", metavar="FILE",
                     help='thresholds, e.g. {"thresholds": {"cpu_ns_per_packet_receive_path"'
                          ': 0.05}, "alpha": 0.01} (these are the defaults); optional '
                          '"ignore_below": {metric: fraction} (default 0.4 x threshold); '
                          '"exact_thresholds": {"instructions_per_packet": 0.01, '
                          '"syscalls_per_packet": 0.01, "allocations_per_packet": 0.01}')
    out.add_argument("--adjust-for", metavar="COVARIATES|none",
                     help="time tier: adjust the gated metrics' paired log ratios for these "
                          "per-repetition covariates (comma-separated: "
                          f"{', '.join(COVARIATES)}; default: the config's 'adjust_for', "
                          "else none); raw and adjusted are printed side by side, the "
                          "adjusted decides")
    out.add_argument("--junit", metavar="FILE", help="JUnit XML: a testcase per strategy "
                                                     "x metric, a failure per regression")
    out.add_argument("--markdown", metavar="FILE", help="Markdown for a merge request")
    out.add_argument("--report", metavar="DIR", help="HTML report (reports.html)")
    out.add_argument("--out", metavar="DIR",
                     help="keep every repetition's results and ci.json here")
    cache = p.add_argument_group("cached builds of other revisions (--against)")
    cache.add_argument("--keep-builds", type=int, default=DEFAULT_KEEP, metavar="N",
                       help="keep the N most recently used (default "
                            f"{DEFAULT_KEEP}); older ones are removed after each gate")
    cache.add_argument("--prune", action="store_true",
                       help="remove the older ones now, say which, and exit")
    hist = p.add_argument_group("history")
    hist.add_argument("--record", action=argparse.BooleanOptionalAction, default=True,
                      help="record the runs in the history (default: on)")
    hist.add_argument("--save-baseline", metavar="NAME",
                      help="store the build under test's run as baseline NAME")
    hist.add_argument("--db", metavar="PATH|URL",
                      help=f"history: a SQLite file (default {default_db_path()}) or "
                           "postgresql://USER@HOST:PORT/DB (the password from PGPASSFILE, "
                           "PGPASSWORD or a service file, never in the URL)")
    hist.add_argument("--commit", help="commit of the code under test (default: "
                                       "git describe, from the harness)")
    return p


def parse(argv, allowed_cpus=None):
    """`allowed_cpus`: the CPUs the default placement may use (default: this process's
    affinity)."""
    args, scenario = parser().parse_known_args(argv)
    for option in scenario:
        if option.split("=", 1)[0] in _OWN:
            raise UsageError(f"ci: {option} is set by ci itself")
    if args.repetitions is None:
        args.repetitions = DEFAULT_REPETITIONS if args.max_repetitions is None else \
            min(DEFAULT_FIRST_LOOK, args.max_repetitions)
    if args.repetitions < 1:
        raise UsageError("ci: --repetitions must be at least 1")
    if args.look_every < 1:
        raise UsageError("ci: --look-every must be at least 1")
    if args.max_repetitions is None:
        args.max_repetitions = args.repetitions
    if args.max_repetitions < args.repetitions:
        raise UsageError(f"ci: --max-repetitions {args.max_repetitions} is below "
                         f"--repetitions {args.repetitions} (the first look)")
    args.plan = Plan(args.repetitions, args.look_every, args.max_repetitions)
    if args.inject_cost_ns < 0:
        raise UsageError("ci: --inject-cost-ns must be >= 0")
    if args.inject_instructions < 0:
        raise UsageError("ci: --inject-instructions must be >= 0")
    if args.exact_repetitions < 1:
        raise UsageError("ci: --exact-repetitions must be at least 1")
    if args.keep_builds < 1:
        raise UsageError("ci: --keep-builds must be at least 1")
    modes = [m for m in ("against", "baseline", "calibrate") if getattr(args, m)]
    if args.prune and (modes or args.save_baseline):
        raise UsageError("ci: --prune runs alone (it prunes and exits)")
    if len(modes) > 1:
        raise UsageError(f"ci: choose one of --{', --'.join(modes)}")
    if not modes and not args.save_baseline and not args.prune:
        raise UsageError("ci: nothing to compare with: give --against REV, "
                         "--baseline NAME|history:N, --calibrate or --save-baseline NAME")
    if args.adjust_for is not None:
        try:
            args.adjust_for = parse_names(args.adjust_for)
        except ValueError as e:
            raise UsageError(f"ci: --adjust-for: {e}") from e
    if args.baseline_any_host and not (args.baseline or "").startswith("history:"):
        raise UsageError("ci: --baseline-any-host goes with --baseline history:N")
    if args.db:
        check_target(args.db)
    args.strategy_list = [s for s in args.strategies.split(",") if s]
    if not args.strategy_list:
        raise UsageError("ci: --strategies is empty")
    args.placement = placement_for(scenario, args.pin, allowed_cpus)
    args.scenario = scenario + args.placement + ["--measure", args.measure]
    return args
