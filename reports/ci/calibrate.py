"""What the gate can and cannot see on this machine, estimated from an A/A run (the same
build on both sides) by resampling its per-repetition log ratios.

Method (said in the output too): a simulated gate run draws `repetitions` log ratios
with replacement from the A/A pool and gives each a random sign. Under A/A the two sides
are exchangeable, so swapping a pair's labels (flipping the sign of its log ratio) is as
likely as not: this keeps the machine's noise and removes any accidental bias. Adding
log(1 + e) to every draw simulates a build that is e slower. The gate rule is the real
one: median ratio above 1 + threshold and Wilcoxon p < alpha.
"""
import math
import warnings
from dataclasses import dataclass
from typing import Optional

import numpy as np
from scipy import stats

SEED = 20241126
TRIALS = 1000
DETECTION = 0.95             # "caught" means caught in at least 95 % of gate runs
TARGET_EFFECT = 0.10         # the effect the gate must catch (issue: +10 % in 19 of 20)
MAX_FALSE_ALARMS = 0.01
EFFECT_GRID = [i / 200 for i in range(1, 101)]        # 0.5 % steps up to 50 %
CANDIDATE_REPETITIONS = (8, 10, 12, 16, 20, 24, 30, 40, 50, 60)
REPORTED_EFFECTS = (0.05, 0.10)   # the slowdowns whose catch rate the README quotes


@dataclass(frozen=True)
class Calibration:
    pool: int                        # A/A pairs resampled
    cv: float                        # coefficient of variation of the A/A ratios
    false_alarm_rate: float          # at the configured threshold and repetitions
    detectable_effect: Optional[float]   # smallest slowdown caught in >= 95 %, or None
    suggested_threshold: float
    suggested_repetitions: Optional[int]  # smallest that catch +10 % >= 95 %, or None
    trials: int
    catch_rates: dict                # effect (REPORTED_EFFECTS) -> share of gates caught


def calibrate(log_ratios, repetitions, threshold, alpha, trials=TRIALS):
    pool = np.asarray(log_ratios, dtype=float)
    rng = np.random.default_rng(SEED)
    null_medians = np.median(_draws(pool, repetitions, trials, rng), axis=1)
    # Above this, an A/A median ratio lands in only 1 % of gate runs; rounded up to 0.5 %.
    upper = float(np.exp(np.quantile(null_medians, 0.99)) - 1)
    suggested = max(0.01, math.ceil(upper / 0.005 - 1e-9) * 0.005)
    suggested_n = next((n for n in CANDIDATE_REPETITIONS
                        if fire_rate(pool, n, suggested, alpha, TARGET_EFFECT, trials, rng)
                        >= DETECTION and fire_rate(pool, n, suggested, alpha, 0.0, trials,
                                                   rng) <= MAX_FALSE_ALARMS), None)
    ratios = np.exp(pool)
    return Calibration(
        pool=int(pool.size), cv=float(stats.variation(ratios, ddof=1)),
        false_alarm_rate=fire_rate(pool, repetitions, threshold, alpha, 0.0, trials, rng),
        detectable_effect=detectable_effect(pool, repetitions, threshold, alpha, trials,
                                            rng),
        suggested_threshold=suggested, suggested_repetitions=suggested_n, trials=trials,
        catch_rates={e: fire_rate(pool, repetitions, threshold, alpha, e, trials, rng)
                     for e in REPORTED_EFFECTS})


def fire_rate(pool, repetitions, threshold, alpha, effect, trials, rng):
    """How often the gate fails on simulated runs of a build `effect` slower."""
    draws = _draws(pool, repetitions, trials, rng) + math.log1p(effect)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # small-sample and tie notices from scipy
        p = stats.wilcoxon(draws, axis=1).pvalue
    fired = (np.exp(np.median(draws, axis=1)) > 1 + threshold) & (p < alpha)
    return float(np.mean(fired))


def detectable_effect(pool, repetitions, threshold, alpha, trials, rng):
    """Smallest effect on the grid caught in >= 95 % of runs (bisection: the rate grows
    with the effect), or None if even 50 % is not."""
    low, high = 0, len(EFFECT_GRID) - 1
    if fire_rate(pool, repetitions, threshold, alpha, EFFECT_GRID[high], trials, rng) \
            < DETECTION:
        return None
    while low < high:
        mid = (low + high) // 2
        if fire_rate(pool, repetitions, threshold, alpha, EFFECT_GRID[mid], trials, rng) \
                >= DETECTION:
            high = mid
        else:
            low = mid + 1
    return EFFECT_GRID[low]


def _draws(pool, repetitions, trials, rng):
    picked = rng.choice(pool, size=(trials, repetitions), replace=True)
    return picked * rng.choice((-1.0, 1.0), size=picked.shape)
