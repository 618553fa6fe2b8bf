"""The time tier's sequential decision: a gate looks at its pairs after `first`, then every
`every` more, up to `cap`, and stops as soon as it can say "regression" or "pass" (as
Chromium's Pinpoint adds repetitions while a comparison is undecided). One function,
decide, runs the whole sequence both for the real gate (a row per strategy, its pairs
run on demand) and for `ci --calibrate` (a row per simulated gate, thousands at once),
so the rates calibrate reports are those of the sequence the gate runs.

At each look, per gated metric, on the pairs so far:
- worse: rule.regressed at the look's alpha (significantly worse, one-sided, and beyond
  the ignored change);
- within: a regression of the threshold's size is excluded: the one-sided Wilcoxon
  signed-rank test of the log ratios against log(1 + threshold) says they are
  significantly below it, at the look's alpha (the signed-rank upper confidence bound
  of the ratios' centre is below 1 + threshold), with at least the pairs the gate's own
  test needs at that alpha.
A strategy stops with "regression" when any of its gated metrics is worse, with "pass"
when all are within, and otherwise takes more pairs; at the cap it stops "undecided",
which passes and is reported as such.

Alpha is spent over the planned looks by Bonferroni: each look tests at alpha / looks.
So with no change the gate fails in at most alpha of runs over all its looks, and with a
true regression of the threshold's size it stops early with "pass" in at most alpha of
runs (each for noise symmetric between the builds); how often such a regression is
caught, and how many pairs gates use, is what `ci --calibrate` measures.
"""
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

import numpy as np

from reports.ci.rule import Rule, regressed
from reports.stats.needed import paired_minimum
from reports.stats.paired import signed_rank_p

REGRESSION = "regression"
PASS = "pass"
UNDECIDED = "undecided"


@dataclass(frozen=True)
class Plan:
    first: int   # pairs at the first look (--repetitions)
    every: int   # pairs added between looks (--look-every)
    cap: int     # pairs at the last look (--max-repetitions)

    @property
    def looks(self):
        """Pairs at each look: first, first + every, ..., and the cap (a shorter last
        step when every does not divide cap - first)."""
        return tuple(range(self.first, self.cap, self.every)) + (self.cap,)

    def alpha(self, alpha):
        """Each look's level: alpha spread evenly over the planned looks (Bonferroni)."""
        return alpha / len(self.looks)


def fixed(pairs):
    """A gate without looks: all its pairs, then one decision at the whole alpha."""
    return Plan(pairs, 1, pairs)


@dataclass(frozen=True)
class Gated:
    rule: Rule
    higher_is_better: bool = False


@dataclass(frozen=True)
class Stops:
    """Where each row's sequence stopped."""
    status: Any        # per row: REGRESSION, PASS, or UNDECIDED (at the cap)
    look: Any          # per row: the look it stopped at, 1-based
    pairs: Any         # per row: the pairs it had run then
    metric_status: Any   # per row and gated metric, at the stopping look
    p_worse: Any       # per row and metric: one-sided p of "worse" at the stopping look
    p_within: Any      # per row and metric: one-sided p of "better than the threshold"


# pairs_at(n, rows): for the rows still open, their first n pairs' ratios B_i/A_i, one
# entry per gated metric: a 2-D array (rows x n), or a list of 1-D arrays (a row with
# fewer usable pairs, or none: a metric not measured, which holds no row open).
PairsAt = Callable[[int, np.ndarray], Sequence[Any]]


def decide(pairs_at: PairsAt, metrics: Sequence[Gated], plan: Plan, rows: int) -> Stops:
    looks = plan.looks
    status = np.full(rows, UNDECIDED, dtype=object)
    look = np.zeros(rows, dtype=int)
    pairs = np.zeros(rows, dtype=int)
    metric_status = np.full((rows, len(metrics)), UNDECIDED, dtype=object)
    p_worse = np.full((rows, len(metrics)), np.nan)
    p_within = np.full((rows, len(metrics)), np.nan)
    open_rows = np.arange(rows)
    for k, n in enumerate(looks, start=1):
        if open_rows.size == 0:
            break
        per_metric = pairs_at(n, open_rows)
        any_worse = np.zeros(open_rows.size, dtype=bool)
        all_within = np.ones(open_rows.size, dtype=bool)
        states = []
        for ratios, gated in zip(per_metric, metrics):
            worse, within, pw, pin = look_at(ratios, gated, plan.alpha(gated.rule.alpha))
            any_worse |= worse
            all_within &= within
            states.append((worse, within, pw, pin))
        stop = any_worse | all_within | (k == len(looks))
        stopped = open_rows[stop]
        status[stopped] = np.where(any_worse, REGRESSION,
                                   np.where(all_within, PASS, UNDECIDED))[stop]
        look[stopped] = k
        pairs[stopped] = n
        for j, (worse, within, pw, pin) in enumerate(states):
            metric_status[stopped, j] = np.where(worse, REGRESSION,
                                                 np.where(within, PASS, UNDECIDED))[stop]
            p_worse[stopped, j] = pw[stop]
            p_within[stopped, j] = pin[stop]
        open_rows = open_rows[~stop]
    return Stops(status, look, pairs, metric_status, p_worse, p_within)


def look_at(ratios, gated, alpha):
    """One look at one metric: (worse, within, p_worse, p_within), one entry per row."""
    if isinstance(ratios, np.ndarray) and ratios.ndim == 2:
        return _look_rows(ratios, gated, alpha)
    parts = [_look_rows(np.asarray(row, dtype=float)[np.newaxis, :], gated, alpha)
             if len(row) else _NOT_MEASURED for row in ratios]
    return tuple(np.concatenate([part[i] for part in parts]) for i in range(4))


# A metric with no pairs (not measured) says nothing and holds nothing open.
_NOT_MEASURED = (np.array([False]), np.array([True]), np.array([np.nan]),
                 np.array([np.nan]))


def _look_rows(ratios, gated, alpha):
    rule = replace(gated.rule, alpha=alpha)
    higher = gated.higher_is_better
    logs = np.log(ratios)
    enough = ratios.shape[1] >= paired_minimum(alpha)
    p_worse = np.atleast_1d(signed_rank_p(logs, "less" if higher else "greater"))
    worse = np.atleast_1d(regressed(enough, np.median(ratios, axis=-1), p_worse, rule,
                                    higher))
    bound = np.log(1 - rule.threshold if higher else 1 + rule.threshold)
    p_within = np.atleast_1d(signed_rank_p(logs - bound, "greater" if higher else "less"))
    within = ~worse & enough & (p_within < alpha)
    return worse, within, p_worse, p_within


@dataclass(frozen=True)
class Stop:
    """One strategy's stop in the real gate, for its checks and outputs."""
    status: str        # REGRESSION, PASS or UNDECIDED
    look: int          # 1-based
    looks: int         # planned
    pairs: int
    alpha: float       # each look's level
    metrics: dict      # gated metric key -> (status, p_within) at the stopping look

    def reason(self):
        where = f"look {self.look} of {self.looks}, {self.pairs} pairs"
        if self.status == REGRESSION:
            return f"stopped at {where}: regression"
        if self.status == PASS:
            return (f"stopped at {where}: pass, a regression of the threshold's size "
                    "excluded")
        return (f"undecided at the cap ({where}): neither significantly worse nor a "
                "regression of the threshold's size excluded; passes")


def stop_of(stops, row, keys, plan, alpha):
    """Row `row` of `stops` (gated metrics `keys`, in decide's order) as a Stop."""
    return Stop(str(stops.status[row]), int(stops.look[row]), len(plan.looks),
                int(stops.pairs[row]), plan.alpha(alpha),
                {key: (str(stops.metric_status[row, j]), _number(stops.p_within[row, j]))
                 for j, key in enumerate(keys)})


def _number(value):
    return None if np.isnan(value) else float(value)
