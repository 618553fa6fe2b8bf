"""The calibration (A/A) summary, one table per tier: per strategy and gated metric, how
noisy the pairs are, how often the gate would fail for nothing, how often it would catch
+1, +2, +5 and +10 % and its threshold, from which slowdown it catches 95 %, how many
repetitions a fixed-count gate would need to keep the threshold's promise, and how many
pairs the gate's sequence of looks used, with no change and at the threshold.

A tier is a list of Pools (the A/A pairs of one strategy and metric, and that metric's
rule). The time tier's pools come from the run's repetitions (time_pools); another tier
(e.g. an exact, counted one) brings its own pools and is printed the same way.
"""
import math
from dataclasses import dataclass
from typing import Optional, Sequence

from reports.ci.calibrate import DETECTION, MAX_FALSE_ALARMS, PAIRS_PERCENTILES, \
    REPORTED_EFFECTS, TRIALS, calibrate
from reports.ci.rule import Rule
from reports.ci.sequential import Plan
from reports.comparison.samples import paired_samples
from reports.results.metrics import lookup


@dataclass(frozen=True)
class Pool:
    strategy: str
    label: str                   # the metric as people read it
    log_ratios: Sequence[float]  # per A/A pair: log(B_i / A_i)
    rule: Rule
    higher_is_better: bool = False
    skipped: Optional[str] = None   # why there are no pairs to resample
    tested: bool = True   # False: the exact tier's rule (the median ratio alone decides)


def time_pools(contenders, config):
    """The time tier: every gated metric of every strategy, from the A/A repetitions."""
    pools = []
    for c in contenders:
        for key in config.thresholds:
            metric, rule = lookup(key), config.rule(key)
            samples = paired_samples(c.reference_iterations, c.candidate_iterations, key)
            skipped = samples.skipped or \
                ("too few pairs" if len(samples.reference) < 2 else None)
            logs = [] if skipped else \
                [math.log(b / a) for a, b in zip(samples.reference, samples.candidate)]
            pools.append(Pool(c.strategy, metric.label, logs, rule,
                              metric.higher_is_better, skipped))
    return pools


def report_calibration(tiers, trials=TRIALS):
    """`tiers`: (name, pools, sequential.Plan of its gate) in the order to print."""
    lines = ["calibration: rates from resampling this run's A/A pairs, not from repeated "
             f"gate runs. A rate is the share of {trials} simulated gates that fail; each",
             "simulated gate draws its pairs with replacement from the 'A/A pairs', gives "
             "each a random sign, makes them e worse for '+e', and is judged as the gate",
             "judges: the time tier looks at its pairs as the gate does and fails when "
             "significantly worse (one-sided p < the look's alpha) and worse by more than",
             "the ignored change; it stops early when a regression of the threshold's size "
             "is excluded, and passes undecided at the cap."]
    for name, pools, plan in tiers:
        lines += _tier(name, pools, plan, trials)
    return "\n".join(lines)


def _tier(name, pools, plan, trials):
    effects = "".join(f"{'+' + format(e * 100, 'g') + ' %':>8}" for e in REPORTED_EFFECTS)
    used = "pairs used, mean " + "/".join(f"p{q}" for q in PAIRS_PERCENTILES)
    lines = [f"{name} tier: {_looks(plan)}",
             f"{'strategy':<15} {'metric':<20} {'A/A pairs':>9} {'CV':>7} "
             f"{'threshold':>9} {'ignored':>7} {'alpha':>6} {'false alarms':>12}{effects}"
             f" {'at threshold':>12}  {'caught 95 % from':>16}  {'repetitions for threshold':>25}"
             f"  {used + ': A/A':>30}  {'at threshold':>15}"]
    for pool in pools:
        head = f"{pool.strategy:<15} {pool.label:<20}"
        if pool.skipped:
            lines.append(f"{head} {pool.skipped}")
            continue
        rule = pool.rule
        cal = calibrate(pool.log_ratios, plan, rule, trials, pool.higher_is_better,
                        pool.tested)
        caught = "".join(f"{_percent(cal.catch_rates[e]):>8}" for e in REPORTED_EFFECTS)
        from_ = "-" if cal.detectable_effect is None else \
            f"+{cal.detectable_effect * 100:.1f} %"
        reps = "-" if cal.suggested_repetitions is None else str(cal.suggested_repetitions)
        lines.append(f"{head} {cal.pool:>9} {_percent(cal.cv):>7} "
                     f"{rule.threshold * 100:>7g} % {rule.ignore_below * 100:>5g} % "
                     f"{rule.alpha:>6g} {_percent(cal.false_alarm_rate):>12}{caught} "
                     f"{_percent(cal.caught_at_threshold):>12}  {from_:>16}  {reps:>25}"
                     f"  {_pairs(cal.pairs_aa):>30}  {_pairs(cal.pairs_at_threshold):>15}")
    lines.append(f"({name} tier: 'caught 95 % from' is the smallest slowdown caught in >= "
                 f"{DETECTION * 100:.0f} % of gates as run; 'repetitions for threshold' "
                 "the fewest pairs with which a gate of one look (all of alpha) catches the "
                 f"threshold in >= {DETECTION * 100:.0f} % with <= "
                 f"{MAX_FALSE_ALARMS * 100:g} % false alarms, '-' if none up to 60; 'pairs "
                 "used' the mean and percentiles of the pairs simulated gates ran)")
    return lines


def _looks(plan: Plan) -> str:
    looks = plan.looks
    if len(looks) == 1:
        return f"each gate {looks[0]} pairs, one decision"
    return (f"each gate looks at {', '.join(map(str, looks))} pairs, each look at alpha / "
            f"{len(looks)}")


def _pairs(used):
    if used is None:
        return "-"
    return f"{used.mean:.1f} " + "/".join(f"{used.percentiles[q]:g}"
                                          for q in PAIRS_PERCENTILES)


def _percent(rate):
    return "-" if rate is None else f"{rate * 100:.1f} %"
