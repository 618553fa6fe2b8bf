"""`rxbench ci`: the regression gate.

Modes:
  --against REV         A/B: the build under test ($RXBENCH_HARNESS) against REV, built
                        offline and cached, interleaved repetition by repetition (paired).
  --baseline NAME|history:N
                        nightly: against stored repetitions (unpaired).
  --calibrate           A/A: the build under test against itself; what the gate can see.
  --save-baseline NAME  (alone, or with a mode) stores the build under test's run as NAME.
Exit 1 only on a regression (worse beyond its threshold and significant, or new loss);
0 otherwise; 2 on usage or configuration errors.
"""
import argparse
import os
import shutil
import tempfile

from reports.ci import build
from reports.ci.baseline import baseline_iterations, check_available, parse_baseline
from reports.ci.config import load_config
from reports.ci.decision import exit_code, judge, regressions
from reports.ci.harness import Harness
from reports.ci.interleave import Side, run_interleaved
from reports.ci.loss import loss_of
from reports.ci.outcome import ci_document, junit_text, markdown_text, verdict_line
from reports.ci.report_calibration import report_calibration
from reports.comparison.analysis import Contender, analyze
from reports.files import write_atomically, write_json_atomically
from reports.history import store
from reports.history.db import open_db
from reports.history.paths import default_db_path
from reports.history.run_info import describe
from reports.optional import render_report
from reports.render.console import render_console
from reports.results.load import load
from reports.results.metrics import COMPARED
from reports.stats.comparison import PAIRED, UNPAIRED
from reports.usage import ArgumentParser, UsageError, say

DEFAULT_STRATEGIES = "combined-list,iouring"
# 20 pairs: the exact Wilcoxon test needs 8 to reach p < 0.01 at all; 20 leave room for
# noise, and 2 builds x 2 strategies x 20 stay within the 5-minute budget on the default
# scenario. `--calibrate` says what this machine needs.
DEFAULT_REPETITIONS = 20
# Options ci handles itself, which must not reach the harness from the scenario options.
_OWN = ("--out", "--strategy", "--dry-run")


def parser():
    p = ArgumentParser(
        prog="rxbench ci", description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Any other option is a scenario option passed to both builds unchanged "
               "(--scenario, --rate, --duration, --cpu-receiver, ...).")
    mode = p.add_argument_group("what to compare with")
    mode.add_argument("--against", metavar="REV", help="git revision to build and A/B-test")
    mode.add_argument("--baseline", metavar="NAME|history:N",
                      help="stored baseline, or the last N runs on this host (unpaired)")
    mode.add_argument("--calibrate", action="store_true",
                      help="A/A: the build under test against itself")
    run = p.add_argument_group("the run")
    run.add_argument("--strategies", default=DEFAULT_STRATEGIES,
                     help=f"strategies gated (default {DEFAULT_STRATEGIES})")
    run.add_argument("--repetitions", type=int, default=DEFAULT_REPETITIONS, metavar="N",
                     help=f"pairs of repetitions (default {DEFAULT_REPETITIONS})")
    run.add_argument("--measure", default="minimal", choices=("full", "minimal"),
                     help="harness measurement (default minimal: the least noise)")
    run.add_argument("--inject-cost-ns", type=int, default=0, metavar="N",
                     help="spin N ns per packet in the receiver of the build under test "
                          "only: checks that the gate catches a slowdown")
    out = p.add_argument_group("decision and output")
    out.add_argument("--config", metavar="FILE",
                     help='thresholds, e.g. {"thresholds": {"cpu_ns_per_packet_receive_path"'
                          ': 0.05}, "alpha": 0.01} (these are the defaults)')
    out.add_argument("--junit", metavar="FILE", help="JUnit XML: a testcase per strategy "
                                                     "x metric, a failure per regression")
    out.add_argument("--markdown", metavar="FILE", help="Markdown for a merge request")
    out.add_argument("--report", metavar="DIR", help="HTML report (reports.html)")
    out.add_argument("--out", metavar="DIR",
                     help="keep every repetition's results and ci.json here")
    hist = p.add_argument_group("history")
    hist.add_argument("--record", action=argparse.BooleanOptionalAction, default=True,
                      help="record the runs in the history (default: on)")
    hist.add_argument("--save-baseline", metavar="NAME",
                      help="store the build under test's run as baseline NAME")
    hist.add_argument("--db", metavar="PATH", help=f"history (default {default_db_path()})")
    hist.add_argument("--commit", help="commit of the code under test (default: "
                                       "git describe, from the harness)")
    return p


def parse(argv):
    args, scenario = parser().parse_known_args(argv)
    for option in scenario:
        if option.split("=", 1)[0] in _OWN:
            raise UsageError(f"ci: {option} is set by ci itself")
    if args.repetitions < 1:
        raise UsageError("ci: --repetitions must be at least 1")
    if args.inject_cost_ns < 0:
        raise UsageError("ci: --inject-cost-ns must be >= 0")
    modes = [m for m in ("against", "baseline", "calibrate") if getattr(args, m)]
    if len(modes) > 1:
        raise UsageError(f"ci: choose one of --{', --'.join(modes)}")
    if not modes and not args.save_baseline:
        raise UsageError("ci: nothing to compare with: give --against REV, "
                         "--baseline NAME|history:N, --calibrate or --save-baseline NAME")
    args.strategy_list = [s for s in args.strategies.split(",") if s]
    if not args.strategy_list:
        raise UsageError("ci: --strategies is empty")
    args.scenario = scenario + ["--measure", args.measure]
    return args


def main(argv):
    args = parse(argv)
    config = load_config(args.config)
    path = os.environ.get("RXBENCH_HARNESS")
    if not path:
        raise UsageError("ci: RXBENCH_HARNESS is not set (run `./rxbench ci`, which "
                         "builds the harness and sets it)")
    inject = ["--inject-cost-ns", str(args.inject_cost_ns)] if args.inject_cost_ns else []
    candidate = Harness(path, "build under test", inject)
    candidate.validate(args.strategy_list, args.scenario)

    conn = None
    if args.record or args.baseline or args.save_baseline:
        conn = open_db(args.db or default_db_path())
    spec = parse_baseline(args.baseline) if args.baseline else None
    if spec:
        check_available(conn, spec, os.uname().nodename)

    work = args.out or tempfile.mkdtemp(prefix="rxbench-ci-")
    try:
        return _gate(args, config, candidate, spec, conn, work)
    finally:
        if not args.out:
            shutil.rmtree(work, ignore_errors=True)


def _gate(args, config, candidate, spec, conn, work):
    extra = {"inject_cost_ns": args.inject_cost_ns} if args.inject_cost_ns else {}
    reference, reference_label, reference_commit = _reference(args, candidate)
    if reference:
        ref_side, cand_side = run_interleaved(reference, candidate, args.strategy_list,
                                              args.repetitions, args.scenario, work)
        design = PAIRED
    else:
        results = load(candidate.compare(args.strategy_list, args.repetitions,
                                         args.scenario, os.path.join(work, "candidate")))
        cand_side = Side(candidate, results.context, results.iterations)
        ref_side, design = None, UNPAIRED
    info = describe(cand_side.context, args.commit,
                    "calibrate" if args.calibrate else "ci", extra)
    if spec:
        reference_label = spec.label
        ref_side = Side(None, None, baseline_iterations(conn, spec, info))

    code = 0
    if ref_side is not None:
        code = _decide(args, config, design, reference_label, ref_side, cand_side, work)
    if conn is not None:
        _record(args, conn, info, cand_side, ref_side if reference else None,
                reference_commit)
    return code


def _reference(args, candidate):
    """The reference build (None in nightly or save-only mode), its label and commit."""
    if args.calibrate:
        return Harness(candidate.path, "same build (A/A)"), "itself (A/A)", None
    if not args.against:
        return None, None, None
    repo = os.environ.get("RXBENCH_ROOT") or os.getcwd()
    sha = build.resolve_revision(repo, args.against)
    commit = build.describe_revision(repo, sha)
    path = build.harness_at(repo, sha)
    return Harness(path, f"reference build {args.against}"), f"{args.against} ({commit})", \
        commit


def _decide(args, config, design, reference_label, ref_side, cand_side, work):
    contenders = [Contender(s, [it for it in ref_side.iterations if it.strategy == s],
                            [it for it in cand_side.iterations if it.strategy == s])
                  for s in args.strategy_list]
    analysis = analyze(reference_label, contenders, COMPARED, design, config.alpha,
                       config.confidence)
    losses = {c.strategy: (loss_of(c.reference_iterations), loss_of(c.candidate_iterations))
              for c in contenders}
    checks = judge(analysis, config, losses)

    print(verdict_line(checks, reference_label))
    print(render_console(analysis), end="", flush=True)
    if args.calibrate:
        print(report_calibration(contenders, args.repetitions, config))
    for check in regressions(checks):
        say(f"regression: {check.message}")

    settings = {"reference": reference_label, "design": design, "alpha": config.alpha,
                "thresholds": config.thresholds, "repetitions": args.repetitions,
                "strategies": args.strategy_list, "inject_cost_ns": args.inject_cost_ns}
    document = ci_document(cand_side.context, cand_side.iterations, analysis, checks,
                           settings)
    ci_json = os.path.join(work, "ci.json")
    write_json_atomically(ci_json, document)
    if args.junit:
        write_atomically(args.junit, junit_text(checks))
    if args.markdown:
        write_atomically(args.markdown, markdown_text(analysis, checks, reference_label))
    if args.report:
        render_report(ci_json, args.report)
    return 0 if args.calibrate else exit_code(checks)


def _record(args, conn, info, cand_side, ref_side, reference_commit):
    """Records the build under test (and a built reference: its numbers are as real),
    and saves the named baseline. --save-baseline records even with --no-record."""
    run_id = None
    if args.record or args.save_baseline:
        run_id = store.record(conn, info, cand_side.iterations)
    if args.record and ref_side is not None and ref_side.context is not None:
        ref_info = describe(ref_side.context, reference_commit,
                            "calibrate" if args.calibrate else "ci-reference")
        store.record(conn, ref_info, ref_side.iterations)
    if args.save_baseline:
        store.save_baseline(conn, args.save_baseline, run_id)
        say(f"saved as baseline '{args.save_baseline}' (run {run_id})")
