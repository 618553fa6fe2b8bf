"""What the gate can and cannot see on this machine, estimated from an A/A run (the same
build on both sides) by resampling its per-repetition log ratios.

Method (said in the output too): a simulated gate run draws `repetitions` log ratios
with replacement from the A/A pool and gives each a random sign. Under A/A the two sides
are exchangeable, so swapping a pair's labels (flipping the sign of its log ratio) is as
likely as not: this keeps the machine's noise and removes any accidental bias.
Multiplying every drawn ratio by 1 + e simulates a build that is e slower. Each simulated
gate is judged by the gate's own rule (rule.regressed) on statistics computed by the
gate's own functions (reports.stats.paired), so the rates are those of the real gate.

The exact tier's rule has no test (`tested=False`: its counts hardly vary, and its gate has
too few pairs for one): a metric fails when the median ratio passes the ignored change.
gate_fails is that rule for the exact tier's gate too (reports/ci/exact_tier.py).
"""
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
from scipy import stats

from reports.ci.rule import Rule, regressed
from reports.stats.needed import paired_minimum
from reports.stats.paired import signed_rank_p

SEED = 20241126
TRIALS = 1000
DETECTION = 0.95             # "caught" means caught in at least 95 % of gate runs
MAX_FALSE_ALARMS = 0.01
EFFECT_GRID = [i / 200 for i in range(1, 101)]        # 0.5 % steps up to 50 %
CANDIDATE_REPETITIONS = (8, 10, 12, 16, 20, 24, 30, 40, 50, 60)
REPORTED_EFFECTS = (0.01, 0.02, 0.05, 0.10)   # the slowdowns whose catch rate is reported


@dataclass(frozen=True)
class Calibration:
    pool: int                        # A/A pairs resampled
    cv: float                        # coefficient of variation of the A/A ratios
    repetitions: int                 # pairs per simulated gate
    trials: int                      # simulated gates per rate
    false_alarm_rate: float          # share of A/A gates that fail
    catch_rates: dict                # effect (REPORTED_EFFECTS) -> share of gates failed
    caught_at_threshold: Optional[float]  # share failed at +threshold (None: threshold 0)
    detectable_effect: Optional[float]    # smallest slowdown caught in >= 95 %, or None
    # Smallest repetitions that catch +threshold in >= 95 % with <= 1 % false alarms,
    # or None (none of CANDIDATE_REPETITIONS does, or the threshold is 0).
    suggested_repetitions: Optional[int]


def calibrate(log_ratios, repetitions, rule, trials=TRIALS, higher_is_better=False,
              tested=True):
    pool = np.asarray(log_ratios, dtype=float)
    rng = np.random.default_rng(SEED)

    def rate(effect, n=repetitions):
        return fire_rate(pool, n, rule, effect, trials, rng, higher_is_better, tested)

    at_threshold = rate(rule.threshold) if rule.threshold > 0 else None
    suggested = None
    if rule.threshold > 0:
        suggested = next((n for n in CANDIDATE_REPETITIONS
                          if rate(rule.threshold, n) >= DETECTION
                          and rate(0.0, n) <= MAX_FALSE_ALARMS), None)
    return Calibration(
        pool=int(pool.size), cv=float(stats.variation(np.exp(pool), ddof=1)),
        repetitions=repetitions, trials=trials, false_alarm_rate=rate(0.0),
        catch_rates={e: rate(e) for e in REPORTED_EFFECTS},
        caught_at_threshold=at_threshold,
        detectable_effect=detectable_effect(pool, repetitions, rule, trials, rng,
                                            higher_is_better, tested),
        suggested_repetitions=suggested)


def fire_rate(pool, repetitions, rule, effect, trials, rng, higher_is_better=False,
              tested=True):
    """How often the gate fails on simulated runs of a build `effect` worse."""
    ratios = simulated_ratios(pool, repetitions, effect, trials, rng, higher_is_better)
    return float(np.mean(gate_fails(ratios, rule, higher_is_better, tested)))


def simulated_ratios(pool, repetitions, effect, trials, rng, higher_is_better=False):
    """`trials` simulated gates (rows) of `repetitions` paired ratios B_i/A_i each."""
    picked = rng.choice(np.asarray(pool, dtype=float), size=(trials, repetitions),
                        replace=True)
    signed = picked * rng.choice((-1.0, 1.0), size=picked.shape)
    worse = 1 - effect if higher_is_better else 1 + effect
    return np.exp(signed) * worse


def gate_fails(ratios: Any, rule: Rule, higher_is_better: bool = False,
               tested: bool = True) -> Any:
    """The gate's verdict on each row of paired ratios, computed as compare_paired and
    decision.judge compute it for one gate: True where the gate would fail. Untested
    (the exact tier): the median ratio alone decides, with any number of pairs."""
    ratios = np.atleast_2d(np.asarray(ratios, dtype=float))
    if not tested:
        return regressed(True, np.median(ratios, axis=-1), 0.0, rule, higher_is_better)
    logs = np.log(ratios)
    p_worse = signed_rank_p(logs, "less" if higher_is_better else "greater")
    enough = ratios.shape[1] >= paired_minimum(rule.alpha)
    return regressed(enough, np.median(ratios, axis=-1), p_worse, rule, higher_is_better)


def detectable_effect(pool, repetitions, rule, trials, rng, higher_is_better=False,
                      tested=True):
    """Smallest effect on the grid caught in >= 95 % of runs (bisection: the rate grows
    with the effect), or None if even 50 % is not."""
    def caught(i):
        return fire_rate(pool, repetitions, rule, EFFECT_GRID[i], trials, rng,
                         higher_is_better, tested) >= DETECTION

    low, high = 0, len(EFFECT_GRID) - 1
    if not caught(high):
        return None
    while low < high:
        mid = (low + high) // 2
        if caught(mid):
            high = mid
        else:
            low = mid + 1
    return EFFECT_GRID[low]
