"""Which covariates earn their place in the wall-clock tier: for each candidate set, the
A/A spread raw and adjusted, and the gate's rates with the adjustment refitted inside
every simulated gate at every look (covariates.adjust on a stack of gates, run through
sequential.decide, the gate's own looks and rule).

Resampling keeps each pair whole: its log ratio and its covariate differences are drawn
together, and the random sign that swaps a pair's sides under A/A flips both. A run with
an injected cost (`ci --calibrate --inject-cost-ns N`) is no A/A pool: its pairs carry
the effect, and whatever it did to the covariates. For it the table gives how often
gates drawn from those real pairs (with replacement, no sign flips) catch the injection,
raw and adjusted: the check that adjusting does not remove a real effect along with the
noise.
"""
import math
from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np
from scipy import stats

from reports.ci import covariates
from reports.ci.adjusted import pairs_with_covariates
from reports.ci.calibrate import REPORTED_EFFECTS, SEED, TRIALS
from reports.ci.sequential import REGRESSION, Gated, decide
from reports.results.metrics import lookup


@dataclass(frozen=True)
class Row:
    strategy: str
    names: Tuple[str, ...]        # () for raw
    cv: float                     # CV of the pool's ratios (adjusted on the whole pool)
    false_alarms: Optional[float]  # None for an injected run
    caught: dict                  # effect -> share (A/A: simulated; injected: {None: share})


def candidate_sets(available: List[str]) -> List[Tuple[str, ...]]:
    """Raw, each covariate alone, and all of them together."""
    sets: List[Tuple[str, ...]] = [()] + [(n,) for n in available]
    if len(available) > 1:
        sets.append(tuple(available))
    return sets


def rows(contenders, config, injected, plan, trials=TRIALS):
    """`plan`: the gate's looks (sequential.Plan)."""
    out = []
    for contender in contenders:
        for key in config.thresholds:
            rule = config.rule(key)
            y_all, x_all, available = pairs_with_covariates(contender, key,
                                                            list(covariates.COVARIATES))
            if len(y_all) < 2:
                continue
            gated = Gated(rule, lookup(key).higher_is_better)
            for names in candidate_sets(available):
                x = x_all[:, [available.index(n) for n in names]]
                out.append(_row(contender.strategy, names, y_all, x, gated, injected,
                                plan, trials))
    return out


def _row(strategy, names, y, x, gated, injected, plan, trials):
    rng = np.random.default_rng(SEED)
    # The spread left once adjusted: the fit's residuals, not the widened pairs the test
    # reads (covariates.adjust).
    cv = float(stats.variation(np.exp(covariates.adjust(y, x, widen=False)), ddof=1))
    idx = rng.integers(0, len(y), size=(trials, plan.cap))
    if injected:
        return Row(strategy, names, cv, None, {None: _caught(y[idx], x[idx], gated, plan)})
    signs = rng.choice((-1.0, 1.0), size=idx.shape)
    ys, xs = y[idx] * signs, x[idx] * signs[..., None]
    worse = (lambda e: math.log1p(-e)) if gated.higher_is_better else math.log1p
    rates = {e: _caught(ys + worse(e), xs, gated, plan)
             for e in (0.0,) + REPORTED_EFFECTS}
    return Row(strategy, names, cv, rates.pop(0.0), rates)


def _caught(log_ratios, xs, gated, plan):
    """Share of simulated gates (rows) that end in "regression" through the gate's looks,
    the adjustment refitted on each gate's pairs so far at every look."""
    def pairs_at(n, open_rows):
        return [np.exp(covariates.adjust(log_ratios[open_rows, :n], xs[open_rows, :n]))]
    stops = decide(pairs_at, [gated], plan, log_ratios.shape[0])
    return float(np.mean(stops.status == REGRESSION))


def render(table, injected, plan, trials=TRIALS, chosen=()):
    """`chosen`: the set the gate adjusts for (marked '<- the gate')."""
    if not table:
        return "covariates: no pairs with covariates to resample"
    what = ("share of gates drawn from these injected pairs (no sign flips) that fail"
            if injected else "false alarms and catch rates as in the table above")
    looks = "/".join(str(n) for n in plan.looks)
    lines = [f"time tier, covariates ({trials} simulated gates, looks at {looks} pairs, the "
             f"adjustment refitted at each; {what}):"]
    effects = "" if injected else \
        "".join(f"{'+' + format(e * 100, 'g') + ' %':>8}" for e in REPORTED_EFFECTS)
    head = "caught" if injected else "false alarms"
    lines.append(f"{'strategy':<15} {'adjusted for':<40} {'CV':>7} {head:>12}{effects}")
    for r in table:
        label = ", ".join(r.names) or "(raw)"
        if injected:
            rates = f"{_percent(r.caught[None]):>12}"
        else:
            rates = f"{_percent(r.false_alarms):>12}" + "".join(
                f"{_percent(r.caught[e]):>8}" for e in REPORTED_EFFECTS)
        mark = "  <- the gate" if r.names == tuple(chosen) else ""
        lines.append(f"{r.strategy:<15} {label:<40} {_percent(r.cv):>7} {rates}{mark}")
    return "\n".join(lines)


def _percent(rate):
    return "-" if rate is None else f"{rate * 100:.1f} %"
