"""The gate's decision, one check per strategy x metric (plus packet loss): pure
functions over the analysis, so the rules are tested on made-up numbers.

A gated metric fails by the rule of rule.py: significantly worse (one-sided, at alpha)
AND worse by more than its ignore-below level; its threshold is the size of regression
the gate must catch. New loss where the reference had none always fails. Everything else
passes: noise must stay green. A paired gate's checks are judged at its looks' alpha on
the pairs it had when it stopped (sequential.py), and say at which look and why.
"""
from dataclasses import dataclass

from reports.ci.rule import regressed
from reports.ci.sequential import PASS as WITHIN, UNDECIDED
from reports.stats.verdict import evidence, format_p, headline, interval_text

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


def judge(analysis, config, losses, stops=None):
    """`losses`: strategy -> (reference Loss, candidate Loss); `stops`: strategy ->
    sequential.Stop (None: a gate without looks)."""
    stops = stops or {}
    checks = [_metric_check(row, config, stops.get(row.strategy)) for row in analysis.rows]
    checks += [_loss_check(strategy, *pair) for strategy, pair in losses.items()]
    return checks


def regressions(checks):
    return [c for c in checks if c.status == REGRESSION]


def exit_code(checks):
    return 1 if regressions(checks) else 0


def _metric_check(row, config, stop):
    label, strategy = row.metric.label, row.strategy
    if row.comparison is None:
        return Check(strategy, row.metric.key, label, SKIPPED, row.skipped)
    c = row.comparison
    higher = row.metric.higher_is_better
    summary = f"{headline(c, higher)}, {interval_text(c)} ({evidence(c)})"
    rule = config.rule(row.metric.key)
    if rule is None:
        return Check(strategy, row.metric.key, label, PASS, f"{summary}; not gated")
    p_worse = c.p_lower if higher else c.p_higher
    ignored = f"{rule.ignore_below * 100:g} %"
    gate = f"threshold {rule.threshold * 100:g} %"
    where = "" if stop is None or stop.looks == 1 else \
        f" at look {stop.look} of {stop.looks} ({stop.pairs} pairs)"
    if p_worse is not None and regressed(not c.too_few, c.median_ratio, p_worse, rule,
                                         higher):
        return Check(strategy, row.metric.key, label, REGRESSION,
                     f"{label} of {strategy}: {summary}; significantly worse (one-sided "
                     f"p={format_p(p_worse)} < {rule.alpha:g}) and by more than the "
                     f"{ignored} ignored ({gate}){where}")
    return Check(strategy, row.metric.key, label, PASS,
                 f"{summary}; {_why_pass(stop, row.metric.key, rule, higher)}{gate}, "
                 f"changes up to {ignored} ignored{where}")


def _why_pass(stop, key, rule, higher):
    """What the looks said of a metric that passed ('' without looks)."""
    if stop is None or key not in stop.metrics:
        return ""
    status, p_within = stop.metrics[key]
    size = f"{'-' if higher else '+'}{rule.threshold * 100:g} %"
    p = "-" if p_within is None else format_p(p_within)
    if status == WITHIN:
        return (f"a {size} regression excluded (one-sided p={p} < {rule.alpha:g} that it "
                "is smaller); ")
    if status == UNDECIDED and stop.look == stop.looks:
        return (f"undecided at the cap: neither significantly worse nor a {size} "
                f"regression excluded (p={p}), so it passes; ")
    return f"undecided when the strategy stopped (a {size} regression not excluded); "


def _loss_check(strategy, reference, candidate):
    label = "packet loss"
    said = (f"lost {candidate.packets} packets in {candidate.repetitions} of "
            f"{candidate.of} repetitions; the reference lost {reference.packets}")
    if candidate.packets and not reference.packets:
        return Check(strategy, LOSS_KEY, label, REGRESSION,
                     f"new packet loss in {strategy}: {said}")
    return Check(strategy, LOSS_KEY, label, PASS, said)
