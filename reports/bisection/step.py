"""One step of the search: a paired gate of one commit's build (the candidate) against
another's (the reference) on the target's tier, and its verdict for the search.

A step decides one of three things:
- regressed: the gate's own rule (rule.py) fails the candidate; on the exact tier, its
  check fails (a role's instructions per packet up by more than the threshold, a
  syscall or allocation per packet more);
- unchanged: clearly not the regression looked for. On the time tier that takes more
  than the gate's pass: the estimate is within the ignored change AND the interval's
  worse end is short of the threshold (a change of the threshold's size is excluded at
  the gate's confidence). On the exact tier, whose counts barely vary and whose
  threshold is also its ignored change, the check's pass;
- unclear: neither. A time-tier estimate between the ignored change and the threshold
  that is not significant, or an interval too wide to exclude the threshold: going
  left or right on it would be a guess, so the search stops there and says so.
"""
import os
import statistics
from dataclasses import dataclass
from typing import Optional, Sequence

from reports.ci import exact_tier
from reports.ci.config import GateConfig
from reports.ci.decision import PASS, REGRESSION
from reports.ci.harness import Harness
from reports.ci.interleave import Interleaving
from reports.ci.rule import Rule, regressed
from reports.comparison.analysis import Contender, compare_metric
from reports.exact import count, figures, repeated
from reports.stats.comparison import PAIRED, Comparison
from reports.stats.verdict import format_p, interval_text
from reports.usage import RunFailed, UsageError

from reports.bisection.target import Target

REGRESSED = "regressed"
UNCHANGED = "unchanged"
UNCLEAR = "unclear"


@dataclass
class Step:
    verdict: str                       # REGRESSED, UNCHANGED or UNCLEAR
    summary: str                       # the numbers, for a person
    ratio: Optional[float] = None      # candidate / reference (median of the pairs')
    ci_low: Optional[float] = None     # its interval (time tier)
    ci_high: Optional[float] = None
    p_worse: Optional[float] = None    # one-sided p of "worse" (time tier)
    pairs: Optional[int] = None
    reference_value: Optional[float] = None   # medians: ns/packet, counts per packet
    candidate_value: Optional[float] = None


def decide_time(c: Optional[Comparison], rule: Rule, higher_is_better: bool,
                skipped: Optional[str] = None) -> Step:
    """The step's verdict from the time tier's paired comparison (None: `skipped`)."""
    if c is None:
        return Step(UNCLEAR, f"not compared: {skipped}")
    p_worse = c.p_lower if higher_is_better else c.p_higher
    summary = (f"{interval_text(c)}, one-sided p="
               f"{'-' if p_worse is None else format_p(p_worse)}, n={c.n}")
    step = Step(UNCLEAR, summary, c.median_ratio, c.ci_low, c.ci_high, p_worse, c.n,
                c.reference_median, c.median)
    if c.too_few:
        step.summary += f" (too few pairs: {c.n}, need {c.needed_repetitions})"
        return step
    if p_worse is not None and regressed(True, c.median_ratio, p_worse, rule,
                                         higher_is_better):
        step.verdict = REGRESSED
        return step
    sign = -1 if higher_is_better else 1
    worse = sign * (c.median_ratio - 1)
    bound = c.ci_low if higher_is_better else c.ci_high
    worse_end = None if bound is None else sign * (bound - 1)
    if worse <= rule.ignore_below and worse_end is not None and worse_end < rule.threshold:
        step.verdict = UNCHANGED
    return step


def time_step(reference: Harness, candidate: Harness, target: Target, strategy: str,
              repetitions: int, scenario: Sequence[str], config: GateConfig,
              work: str) -> Step:
    """Interleaved repetitions of both builds, as `ci --against` runs them."""
    interleaving = Interleaving(reference, candidate, scenario, work)
    interleaving.run_to([strategy], repetitions)
    ref_side, cand_side = interleaving.result()
    contender = Contender(strategy, ref_side.iterations, cand_side.iterations)
    row = compare_metric(contender, target.metric, PAIRED, config.alpha, config.confidence)
    rule = config.rule(target.key)
    assert rule is not None   # target.resolve accepts gated metrics only
    return decide_time(row.comparison, rule, target.higher_is_better, row.skipped)


def exact_step(reference: str, candidate: str, target: Target, strategy: str,
               repetitions: int, scenario: Sequence[str], config: GateConfig,
               work: str) -> Step:
    """Counted runs of both builds under callgrind, interleaved, judged by the exact
    tier's own check of the target."""
    why = exact_tier.unavailable(reference, candidate)
    if why:
        raise RunFailed(f"bisect: exact tier: {why}")
    try:
        runs = exact_tier.run_interleaved(reference, candidate, [strategy], repetitions,
                                          scenario, [], os.path.join(work, "exact"))
    except count.CountFailed as e:
        raise RunFailed(f"bisect: exact tier: {e}") from e
    both = runs[strategy]
    if both.refused:
        raise UsageError(f"bisect: the exact tier does not count {strategy}: {both.refused}")
    return decide_exact(both, target, strategy, config)


def decide_exact(both: exact_tier.StrategyRuns, target: Target, strategy: str,
                 config: GateConfig) -> Step:
    """The step's verdict from counted runs: the exact tier's own check of the target."""
    checks = exact_tier.judge_strategy(strategy, both, config)
    check = next((c for c in checks if c.metric == target.key), None)
    if check is None:
        return Step(UNCLEAR, f"{target.label}: not counted (the role did not run)")
    base, role = target.key.split(":")
    ref = repeated.median([r.figures for r in both.reference])
    cand = repeated.median([r.figures for r in both.candidate])
    a, b = _count(ref, base, role), _count(cand, base, role)
    ratio = None
    if base == exact_tier.INSTRUCTIONS:
        ratios = exact_tier.role_ratios(both, role, _path(both))
        ratio = statistics.median(ratios) if ratios else None
    verdict = {REGRESSION: REGRESSED, PASS: UNCHANGED}.get(check.status, UNCLEAR)
    return Step(verdict, check.message, ratio, pairs=len(both.reference),
                reference_value=a, candidate_value=b)


def _path(both: exact_tier.StrategyRuns) -> float:
    """The reference's receive path (the roles the tier gates), which a pipeline role's
    growth is a share of, as the tier judges it."""
    roles = exact_tier.gated_roles(both)
    ref = repeated.median([r.figures for r in both.reference])
    return sum(ref.instructions.get(r, 0.0) for r in roles)


def _count(f: figures.Figures, base: str, role: str) -> float:
    if base == exact_tier.INSTRUCTIONS:
        return f.instructions.get(role, 0.0)
    if base == exact_tier.SYSCALLS:
        return sum(n for name, n in f.syscalls.get(role, {}).items()
                   if name not in figures.FUTEX_CALLS)
    return sum(f.allocations.get(role, {}).values())
