"""The gate's decision, one check per strategy x metric (plus packet loss): pure
functions over the analysis, so the rules are tested on made-up numbers.

A gated metric fails only when it is worse by more than its threshold (the point
estimate: median ratio) AND the difference is significant at alpha. New loss where the
reference had none always fails. Everything else passes: noise must stay green.
"""
from dataclasses import dataclass

from reports.stats.verdict import evidence, headline, interval_text, is_worse

PASS = "pass"
REGRESSION = "regression"
SKIPPED = "skipped"
LOSS_KEY = "lost_packets"


@dataclass(frozen=True)
class Check:
    strategy: str
    metric: str        # metric key, or LOSS_KEY
    label: str
    status: str        # PASS, REGRESSION or SKIPPED
    message: str       # one line for a person


def judge(analysis, config, losses):
    """`losses`: strategy -> (reference Loss, candidate Loss)."""
    checks = [_metric_check(row, config) for row in analysis.rows]
    checks += [_loss_check(strategy, *pair) for strategy, pair in losses.items()]
    return checks


def regressions(checks):
    return [c for c in checks if c.status == REGRESSION]


def exit_code(checks):
    return 1 if regressions(checks) else 0


def _metric_check(row, config):
    label, strategy = row.metric.label, row.strategy
    if row.comparison is None:
        return Check(strategy, row.metric.key, label, SKIPPED, row.skipped)
    c = row.comparison
    higher = row.metric.higher_is_better
    summary = f"{headline(c, higher)}, {interval_text(c)} ({evidence(c)})"
    threshold = config.thresholds.get(row.metric.key)
    if threshold is None:
        return Check(strategy, row.metric.key, label, PASS, f"{summary}; not gated")
    beyond = c.median_ratio < 1 - threshold if higher else c.median_ratio > 1 + threshold
    if c.significant and is_worse(c, higher) and beyond:
        return Check(strategy, row.metric.key, label, REGRESSION,
                     f"{label} of {strategy}: {summary}, beyond the "
                     f"{threshold * 100:g} % threshold")
    return Check(strategy, row.metric.key, label, PASS,
                 f"{summary}; threshold {threshold * 100:g} %")


def _loss_check(strategy, reference, candidate):
    label = "packet loss"
    said = (f"lost {candidate.packets} packets in {candidate.repetitions} of "
            f"{candidate.of} repetitions; the reference lost {reference.packets}")
    if candidate.packets and not reference.packets:
        return Check(strategy, LOSS_KEY, label, REGRESSION,
                     f"new packet loss in {strategy}: {said}")
    return Check(strategy, LOSS_KEY, label, PASS, said)
