"""`rxbench ci`: the regression gate, in order: validate the options (harness dry run),
get the reference (build REV, or the stored baseline), run, judge, write the outputs,
record the history. The modes and exit codes are in options.DESCRIPTION (--help).
"""
import dataclasses
import os
import shutil
import tempfile

import numpy as np

from reports.ci import build, covariate_calibration, covariates, exact_tier
from reports.ci.adjusted import adjusted_analysis, describe as describe_adjustment, \
    pairs_with_covariates
from reports.ci.baseline import baseline_iterations, check_available, parse_baseline
from reports.ci.config import load_config
from reports.ci.decision import exit_code, judge, regressions
from reports.ci.harness import Harness
from reports.ci.interleave import Interleaving, Side
from reports.ci.loss import loss_of
from reports.ci.options import parse
from reports.ci.outcome import ci_document, exact_markdown, junit_text, markdown_text, \
    sequential_lines, verdict_line
from reports.ci.report_calibration import report_calibration, time_pools
from reports.ci.sequential import Gated, decide, fixed, stop_of
from reports.comparison.samples import paired_samples
from reports.comparison.analysis import Contender, analyze
from reports.comparison.section import to_section
from reports.files import write_atomically, write_json_atomically
from reports.history import store, unrecorded
from reports.history.db import HistoryError, open_db, shown
from reports.history.paths import default_db_path
from reports.history.run_info import CALIBRATE, CI, CI_REFERENCE, describe
from reports.optional import render_report
from reports.stats.needed import paired_minimum
from reports.render.console import render_console
from reports.results.load import load
from reports.results.metrics import COMPARED, lookup
from reports.stats.comparison import PAIRED, UNPAIRED
from reports.exact import count
from reports.usage import RunFailed, UsageError, say


def main(argv):
    args = parse(argv)
    if args.prune:
        return _prune(args.keep_builds)
    config = load_config(args.config)
    _check_repetitions(args, config)
    path = os.environ.get("RXBENCH_HARNESS")
    if not path:
        raise UsageError("ci: RXBENCH_HARNESS is not set (run `./rxbench ci`, which "
                         "builds the harness and sets it)")
    inject = ["--inject-cost-ns", str(args.inject_cost_ns)] if args.inject_cost_ns else []
    inject += _inject_instructions(args)
    candidate = Harness(path, "build under test", inject)
    candidate.validate(args.strategy_list, args.scenario)
    # A revision that does not exist is a usage error before anything is opened or written.
    args.against_sha = build.resolve_revision(_repo(), args.against) \
        if args.against and not args.calibrate else None

    conn = None
    if args.baseline or args.save_baseline:
        conn = open_db(args.db or default_db_path())
    elif args.record:
        try:
            conn = open_db(args.db or default_db_path())
        except HistoryError as e:
            # Only recording needs it, after the run: measure anyway, keep the results.
            say(f"ci: {e}; measuring anyway, recording is tried again at the end")
    spec = parse_baseline(args.baseline, args.baseline_any_host) if args.baseline else None
    if spec:
        check_available(conn, spec, os.uname().nodename)

    work = args.out or tempfile.mkdtemp(prefix="rxbench-ci-")
    try:
        return _gate(args, config, candidate, spec, conn, work)
    finally:
        if not args.out:
            shutil.rmtree(work, ignore_errors=True)


def _inject_instructions(args):
    if not args.inject_instructions:
        return []
    return ["--inject-instructions", str(args.inject_instructions)]


def _check_repetitions(args, config):
    """A look with fewer pairs than the Wilcoxon test needs to reach p < the look's alpha
    could never fail: a first look that small spends its share of alpha for nothing, and
    a gate of one such look would say PASS whatever the build under test costs. That is
    a configuration error, said before anything is built or run."""
    if not args.against or args.tier == "exact":
        # --calibrate reports what n can see; --baseline depends on stored n; the exact
        # tier has no test.
        return
    looks = len(args.plan.looks)
    alpha = args.plan.alpha(config.alpha)
    least = paired_minimum(alpha)
    if args.repetitions < least:
        spread = f" ({config.alpha:g} over {looks} looks)" if looks > 1 else ""
        raise UsageError(f"ci: --repetitions {args.repetitions} is too few: with fewer "
                         f"than {least} pairs the Wilcoxon test cannot reach p < "
                         f"{alpha:g}{spread}, so the "
                         f"{'first look' if looks > 1 else 'gate'} could never fail; use "
                         f"--repetitions {least} or more")


def _gate(args, config, candidate, spec, conn, work):
    extra = {"inject_cost_ns": args.inject_cost_ns} if args.inject_cost_ns else {}
    if args.inject_instructions:
        extra["inject_instructions"] = args.inject_instructions
    reference, reference_label, reference_commit = _reference(args, candidate)
    exact = _exact_tier(args, config, candidate, reference, work)
    if exact is not None and not exact.skipped and args.tier == "exact":
        return _decide_exact_only(args, config, reference_label, exact, work)
    if exact is not None and exact.skipped and args.tier == "exact":
        say(f"ci: exact tier skipped: {exact.skipped}; running the time tier, which decides")
    results_file = None
    stops = None
    if reference:
        ref_side, cand_side, stops = _run_sequential(args, config, reference, candidate,
                                                     work)
        for note in ref_side.notes:
            say(f"reference build: results {note}")
        design = PAIRED
    else:
        # Unpaired: no looks, the cap's repetitions (the most a paired gate would run).
        results_file = candidate.compare(args.strategy_list, args.plan.cap,
                                         args.scenario, os.path.join(work, "candidate"))
        results = load(results_file)
        cand_side = Side(candidate, results.context, results.iterations)
        ref_side, design = None, UNPAIRED
    info = describe(cand_side.context, args.commit,
                    CALIBRATE if args.calibrate else CI, extra)
    if spec:
        reference_label = spec.label
        ref_side = Side(None, None, baseline_iterations(conn, spec, info))

    code = 0
    if ref_side is not None:
        code, results_file = _decide(args, config, design, reference_label, ref_side,
                                     cand_side, work, exact, stops)
    if args.record or args.save_baseline:
        recorded = []
        try:
            _record(args, conn, info, cand_side, ref_side if reference else None,
                    reference_commit, recorded)
        except HistoryError as e:
            _keep_unrecorded(args, e, info, cand_side, ref_side if reference else None,
                             reference_commit, recorded)
            # The verdict stands (a regression still exits 1); otherwise the job says
            # that what it had to keep was not kept.
            code = code if code == 1 else 2
    if args.report and results_file:
        # After recording, so that the trend over commits ends with this gate.
        render_report(results_file, args.report, history_db=args.db,
                      trend_metrics=list(config.thresholds))
    return code


def _reference(args, candidate):
    """The reference build (None in nightly or save-only mode), its label and commit."""
    if args.calibrate:
        return Harness(candidate.path, "same build (A/A)"), "itself (A/A)", None
    if not args.against:
        return None, None, None
    repo = _repo()
    sha = args.against_sha
    commit = build.describe_revision(repo, sha)
    path = build.harness_at(repo, sha)
    _prune(args.keep_builds, quiet=True)
    return Harness(path, f"reference build {args.against}", version=commit), \
        f"{args.against} ({commit})", commit


def _prune(keep, quiet=False):
    """Removes the cached builds beyond the `keep` most recently used and says which
    (`quiet`: only when something was removed)."""
    root = build.cache_root()
    removed, in_use = build.prune(_repo(), keep, root)
    for worktree in removed:
        say(f"ci: removed the cached build {worktree}")
    for worktree in in_use:
        say(f"ci: kept the cached build {worktree}: another gate is using it")
    if not quiet and not removed:
        say(f"ci: nothing to prune in {root} (keeping the {keep} most recently used)")
    return 0


def _repo():
    return os.environ.get("RXBENCH_ROOT") or os.getcwd()


def _exact_tier(args, config, candidate, reference, work):
    """The exact tier's outcome, or None when only the time tier was asked for."""
    if args.tier == "time":
        return None
    if reference is None:
        return exact_tier.Outcome(skipped="it needs two builds (--against REV or "
                                          "--calibrate); stored baselines hold no counts")
    why = exact_tier.unavailable(reference.path, candidate.path)
    if why:
        return exact_tier.Outcome(skipped=why)
    say(f"ci: exact tier: counting {len(args.strategy_list)} strategies x "
        f"{args.exact_repetitions} pair(s) under callgrind")
    try:
        runs = exact_tier.run_interleaved(
            reference.path, candidate.path, args.strategy_list, args.exact_repetitions,
            args.scenario, _inject_instructions(args), work)
    except count.CountFailed as e:
        raise RunFailed(f"exact tier: {e}") from e
    return exact_tier.judge(runs, config)


def _run_sequential(args, config, reference, candidate, work):
    """The time tier's pairs, look by look (sequential.py): more pairs of the strategies
    still undecided until each is decided or has the cap's. --calibrate runs the cap's
    pairs of every strategy whatever the looks say: they are its A/A pool. Returns the
    two Sides and each strategy's Stop."""
    plan, strategies = args.plan, args.strategy_list
    keys = list(config.thresholds)
    interleaving = Interleaving(reference, candidate, args.scenario, work)
    if args.calibrate:
        interleaving.run_to(strategies, plan.cap)

    names = _adjust_for(args, config)

    def pairs_at(n, rows):
        interleaving.run_to([strategies[i] for i in rows], n, plan.cap)
        return [[_ratios(interleaving, strategies[i], key, n, names) for i in rows]
                for key in keys]

    metrics = [Gated(config.rule(key), lookup(key).higher_is_better) for key in keys]
    stops = decide(pairs_at, metrics, plan, len(strategies))
    ref_side, cand_side = interleaving.result()
    return ref_side, cand_side, {s: stop_of(stops, i, keys, plan, config.alpha)
                                 for i, s in enumerate(strategies)}


def _ratios(interleaving, strategy, key, pairs, names):
    """The strategy's ratios B_i/A_i of `key` over its first `pairs` pairs (none when the
    metric was not measured), as the comparison pairs them; adjusted for the covariates
    `names` where every pair has them (adjusted.py), as the final judgement will be."""
    def of(name):
        return [it for it in interleaving.sides[name].iterations
                if it.strategy == strategy and it.repetition_index < pairs]
    if names:
        y, x, available = pairs_with_covariates(Contender(strategy, of("reference"),
                                                          of("candidate")), key, names)
        if available == names and len(y):
            return np.exp(covariates.adjust(y, x))
    samples = paired_samples(of("reference"), of("candidate"), key)
    return np.asarray(samples.candidate, dtype=float) / np.asarray(samples.reference,
                                                                   dtype=float)


def _adjust_for(args, config):
    """The covariates the time tier adjusts for: --adjust-for, else the config's."""
    return list(config.adjust_for if args.adjust_for is None else args.adjust_for)


def _settings(args, config, reference_label, design):
    plan = args.plan
    looked = design == PAIRED   # only a paired time tier has looks (null otherwise)
    return {"reference": reference_label, "design": design, "alpha": config.alpha,
            "thresholds": config.thresholds, "repetitions": args.repetitions,
            "max_repetitions": plan.cap, "look_every": plan.every,
            "looks": list(plan.looks) if looked else None,
            "look_alpha": plan.alpha(config.alpha) if looked else None,
            "strategies": args.strategy_list, "inject_cost_ns": args.inject_cost_ns,
            "inject_instructions": args.inject_instructions, "tier": args.tier,
            "exact_thresholds": config.exact, "exact_repetitions": args.exact_repetitions}


def _decide_exact_only(args, config, reference_label, exact, work):
    """--tier exact: the exact tier alone decides (no time runs, nothing recorded)."""
    checks = exact.checks
    print(verdict_line(checks, reference_label))
    print(exact_tier.render(exact))
    calibration = _exact_calibration(args, config, exact) if args.calibrate else ""
    if calibration:
        print(calibration)
    for check in regressions(checks):
        say(f"regression: {check.message}")
    document = {"context": {"ci": _settings(args, config, reference_label, None)},
                "benchmarks": [],
                "gate": {"failed": bool(regressions(checks)),
                         "checks": [dataclasses.asdict(c) for c in checks]},
                "exact": exact_tier.document(exact, args.exact_repetitions)}
    write_json_atomically(os.path.join(work, "ci.json"), document)
    if args.junit:
        write_atomically(args.junit, junit_text(checks))
    if args.markdown:
        write_atomically(args.markdown, exact_markdown(checks, reference_label, exact)
                         + _calibration_markdown(calibration))
    return 0 if args.calibrate else exit_code(checks)


def _exact_calibration(args, config, exact):
    """The exact tier's calibration tables ('' when the tier was skipped)."""
    if exact.skipped:
        return ""
    return (report_calibration([("exact", exact_tier.pools(exact.runs, config),
                                 fixed(args.exact_repetitions))])
            + "\n(exact tier: no test; a simulated gate fails when the median of its "
              "pairs' ratios passes the threshold)")


def _calibration_markdown(text):
    """--calibrate's tables for --markdown, as printed: docs quote them from here."""
    return f"\n## Calibration\n\n```\n{text}\n```\n" if text else ""


def _decide(args, config, design, reference_label, ref_side, cand_side, work, exact=None,
            stops=None):
    """`stops`: strategy -> sequential.Stop for a paired gate (its checks are judged on
    the pairs it had at its stop, at the looks' alpha), None for a nightly one."""
    contenders = [Contender(s, [it for it in ref_side.iterations if it.strategy == s],
                            [it for it in cand_side.iterations if it.strategy == s])
                  for s in args.strategy_list]
    judged, gate = contenders, config
    if stops is not None:
        # --calibrate ran past the stops for its pool; the gate's checks stop where it did.
        judged = [Contender(c.strategy, *[[it for it in side if it.repetition_index <
                                           stops[c.strategy].pairs]
                                          for side in (c.reference_iterations,
                                                       c.candidate_iterations)])
                  for c in contenders]
        gate = dataclasses.replace(config, alpha=args.plan.alpha(config.alpha))
    analysis = analyze(reference_label, judged, COMPARED, design, gate.alpha,
                       gate.confidence)
    losses = {c.strategy: (loss_of(c.reference_iterations), loss_of(c.candidate_iterations))
              for c in judged}
    time_checks = judge(analysis, gate, losses, stops)
    names = _adjust_for(args, config)
    adjusted, adjust_notes = None, []
    if names and design == PAIRED:
        adjusted, adjust_notes = adjusted_analysis(reference_label, judged, gate, names)
        time_checks = _adjusted_decides(time_checks, judge(adjusted, gate, {}, stops),
                                        config)
    checks = time_checks + (exact.checks if exact is not None else [])

    print(verdict_line(checks, reference_label))
    print("time tier:")
    looks = sequential_lines(stops, args.plan, config.alpha) if stops else []
    for line in looks:
        print(line)
    print(render_console(analysis), end="", flush=True)
    if adjusted is not None:
        print(f"time tier, gated metrics adjusted for {', '.join(names)} "
              "(these decide):")
        print(render_console(adjusted), end="")
        print("\n".join(describe_adjustment(adjust_notes)), flush=True)
    elif names:
        say("ci: --adjust-for needs paired repetitions (--against or --calibrate); "
            "the raw comparison decides")
    if exact is not None:
        print(exact_tier.render(exact), flush=True)
    calibration = ""
    if args.calibrate:
        injected = bool(args.inject_cost_ns)
        parts = [report_calibration([("time", time_pools(contenders, config), args.plan)]),
                 covariate_calibration.render(
                     covariate_calibration.rows(contenders, config, injected, args.plan),
                     injected, args.plan, chosen=tuple(names))]
        if exact is not None:
            parts.append(_exact_calibration(args, config, exact))
        calibration = "\n".join(p for p in parts if p)
        print(calibration, flush=True)
    for check in regressions(checks):
        say(f"regression: {check.message}")

    document = ci_document(cand_side.context, cand_side.iterations, analysis, checks,
                           _settings(args, config, reference_label, design), stops)
    if adjusted is not None:
        document["adjusted"] = {"covariates": names, "comparison": to_section(adjusted),
                                "notes": [dataclasses.asdict(n) for n in adjust_notes]}
    if exact is not None:
        document["exact"] = exact_tier.document(exact, args.exact_repetitions)
    ci_json = os.path.join(work, "ci.json")
    write_json_atomically(ci_json, document)
    if args.junit:
        write_atomically(args.junit, junit_text(checks))
    if args.markdown:
        write_atomically(args.markdown, markdown_text(analysis, checks, reference_label,
                                                      exact, looks)
                         + _calibration_markdown(calibration))
    return (0 if args.calibrate else exit_code(checks)), ci_json


def _adjusted_decides(raw_checks, adjusted_checks, config):
    """The raw checks, with each gated metric's replaced by its adjusted check (loss and
    ungated metrics stay raw)."""
    adjusted = {(c.strategy, c.metric): c for c in adjusted_checks}
    return [adjusted.get((c.strategy, c.metric), c) if config.rule(c.metric) else c
            for c in raw_checks]


def _reference_info(args, ref_side, reference_commit):
    """What to record of a built reference (its numbers are as real), or None."""
    if not args.record or ref_side is None or ref_side.context is None:
        return None
    return describe(ref_side.context, reference_commit,
                    CALIBRATE if args.calibrate else CI_REFERENCE)


def _record(args, conn, info, cand_side, ref_side, reference_commit, recorded):
    """Records the build under test (and a built reference), and saves the named
    baseline. --save-baseline records even with --no-record. `conn` None: the database
    was unreachable at the start; it is tried again now. `recorded` gets the sides
    recorded, so that a failure keeps only the others."""
    if conn is None:
        conn = open_db(args.db or default_db_path())
    run_id = store.record(conn, info, cand_side.iterations)
    recorded.append("candidate")
    ref_info = _reference_info(args, ref_side, reference_commit)
    if ref_info is not None:
        store.record(conn, ref_info, ref_side.iterations)
        recorded.append("reference")
    if args.save_baseline:
        store.save_baseline(conn, args.save_baseline, run_id)
        say(f"saved as baseline '{args.save_baseline}' (run {run_id})")


def _keep_unrecorded(args, error, info, cand_side, ref_side, reference_commit, recorded):
    """Recording failed: the runs not recorded go to files `history --import` records
    later, in --out or a directory that is kept."""
    where = args.out or tempfile.mkdtemp(prefix="rxbench-unrecorded-")
    files = []
    if "candidate" not in recorded:
        files.append(unrecorded.write(os.path.join(where, "unrecorded-candidate.json"),
                                      info, cand_side.context, cand_side.iterations))
    ref_info = _reference_info(args, ref_side, reference_commit)
    if ref_info is not None and "reference" not in recorded:
        files.append(unrecorded.write(os.path.join(where, "unrecorded-reference.json"),
                                      ref_info, ref_side.context, ref_side.iterations))
    say(f"ci: recording in the history failed: {error}")
    if files:
        say(f"ci: the runs not recorded are kept; record them later with `rxbench history "
            f"--import {' '.join(files)}{' --db ' + shown(args.db) if args.db else ''}`")
    if args.save_baseline:
        say(f"ci: baseline '{args.save_baseline}' was not saved")
