"""What the gate can and cannot see on this machine, estimated from an A/A run (the same
build on both sides) by resampling its per-repetition log ratios.

Method (said in the output too): a simulated gate draws its log ratios with
replacement from the A/A pool and gives each a random sign. Under A/A the two sides
are exchangeable, so swapping a pair's labels (flipping the sign of its log ratio) is as
likely as not: this keeps the machine's noise and removes any accidental bias.
Multiplying every drawn ratio by 1 + e simulates a build that is e slower. Each simulated
gate draws as many pairs as the gate's cap and runs the gate's own sequence of looks on
them (sequential.decide, the function the gate runs: it stops at the first look that
says "regression" or "pass"), so the rates, and the pairs gates use, are those of the
real gate.

The exact tier's rule has no test (`tested=False`: its counts hardly vary, and its gate has
too few pairs for one): a metric fails when the median ratio passes the ignored change.
gate_fails is that rule for the exact tier's gate too (reports/ci/exact_tier.py).
"""
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
from scipy import stats

from reports.ci.rule import Rule, regressed
from reports.ci.sequential import PASS, REGRESSION, Gated, Plan, Stops, decide, fixed

SEED = 20241126
TRIALS = 1000
DETECTION = 0.95             # "caught" means caught in at least 95 % of gate runs
MAX_FALSE_ALARMS = 0.01
EFFECT_GRID = [i / 200 for i in range(1, 101)]        # 0.5 % steps up to 50 %
CANDIDATE_REPETITIONS = (8, 10, 12, 16, 20, 24, 30, 40, 50, 60)   # at a fixed count
PAIRS_PERCENTILES = (50, 90)   # of the pairs simulated gates use
REPORTED_EFFECTS = (0.01, 0.02, 0.05, 0.10)   # the slowdowns whose catch rate is reported


@dataclass(frozen=True)
class Calibration:
    pool: int                        # A/A pairs resampled
    cv: float                        # coefficient of variation of the A/A ratios
    plan: Plan                       # the looks of each simulated gate
    trials: int                      # simulated gates per rate
    false_alarm_rate: float          # share of A/A gates that fail
    catch_rates: dict                # effect (REPORTED_EFFECTS) -> share of gates failed
    caught_at_threshold: Optional[float]  # share failed at +threshold (None: threshold 0)
    detectable_effect: Optional[float]    # smallest slowdown caught in >= 95 %, or None
    # Smallest fixed count (one look, all of alpha) that catches +threshold in >= 95 %
    # with <= 1 % false alarms, or None (none of CANDIDATE_REPETITIONS does, or the
    # threshold is 0): what a gate without looks would need.
    suggested_repetitions: Optional[int]
    pairs_aa: "PairsUsed"            # pairs the A/A gates used
    pairs_at_threshold: Optional["PairsUsed"]   # at +threshold (None: threshold 0)


@dataclass(frozen=True)
class PairsUsed:
    mean: float
    percentiles: dict                # PAIRS_PERCENTILES -> pairs


def calibrate(log_ratios, plan, rule, trials=TRIALS, higher_is_better=False,
              tested=True):
    """`plan`: the gate's looks (sequential.fixed(n) for a fixed count)."""
    pool = np.asarray(log_ratios, dtype=float)
    rng = np.random.default_rng(SEED)

    def stops(effect, at=plan):
        return simulated_gates(pool, at, rule, effect, trials, rng, higher_is_better,
                               tested)

    def rate(effect, at=plan):
        return float(np.mean(stops(effect, at).status == REGRESSION))

    aa = stops(0.0)
    at_threshold = stops(rule.threshold) if rule.threshold > 0 else None
    suggested = None
    if rule.threshold > 0:
        suggested = next((n for n in CANDIDATE_REPETITIONS
                          if rate(rule.threshold, fixed(n)) >= DETECTION
                          and rate(0.0, fixed(n)) <= MAX_FALSE_ALARMS), None)
    return Calibration(
        pool=int(pool.size), cv=float(stats.variation(np.exp(pool), ddof=1)),
        plan=plan, trials=trials, false_alarm_rate=float(np.mean(aa.status == REGRESSION)),
        catch_rates={e: rate(e) for e in REPORTED_EFFECTS},
        caught_at_threshold=None if at_threshold is None else
        float(np.mean(at_threshold.status == REGRESSION)),
        detectable_effect=detectable_effect(pool, plan, rule, trials, rng,
                                            higher_is_better, tested),
        suggested_repetitions=suggested,
        pairs_aa=pairs_used(aa),
        pairs_at_threshold=None if at_threshold is None else pairs_used(at_threshold))


def pairs_used(stops: Stops) -> PairsUsed:
    return PairsUsed(float(np.mean(stops.pairs)),
                     {q: float(np.percentile(stops.pairs, q)) for q in PAIRS_PERCENTILES})


def fire_rate(pool, plan, rule, effect, trials, rng, higher_is_better=False, tested=True):
    """How often the gate fails on simulated runs of a build `effect` worse."""
    gates = simulated_gates(pool, plan, rule, effect, trials, rng, higher_is_better, tested)
    return float(np.mean(gates.status == REGRESSION))


def simulated_gates(pool, plan, rule, effect, trials, rng, higher_is_better=False,
                    tested=True) -> Stops:
    """`trials` simulated gates of a build `effect` worse, each run through the gate's
    sequence of looks (tested) or judged on all its pairs by the exact tier's rule."""
    ratios = simulated_ratios(pool, plan.cap, effect, trials, rng, higher_is_better)
    return gates_on(ratios, plan, rule, higher_is_better, tested)


def gates_on(ratios, plan, rule, higher_is_better=False, tested=True) -> Stops:
    """Each row of `ratios` (the cap's pairs) judged as a gate: through the gate's looks
    (tested), or on all its pairs by the exact tier's rule."""
    trials = ratios.shape[0]
    if not tested:
        failed = gate_fails(ratios, rule, higher_is_better)
        return Stops(np.where(failed, REGRESSION, PASS), np.ones(trials, dtype=int),
                     np.full(trials, plan.cap), None, None, None)
    return decide(lambda n, rows: [ratios[rows, :n]], [Gated(rule, higher_is_better)],
                  plan, trials)


def simulated_ratios(pool, repetitions, effect, trials, rng, higher_is_better=False):
    """`trials` simulated gates (rows) of `repetitions` paired ratios B_i/A_i each."""
    picked = rng.choice(np.asarray(pool, dtype=float), size=(trials, repetitions),
                        replace=True)
    signed = picked * rng.choice((-1.0, 1.0), size=picked.shape)
    worse = 1 - effect if higher_is_better else 1 + effect
    return np.exp(signed) * worse


def gate_fails(ratios: Any, rule: Rule, higher_is_better: bool = False) -> Any:
    """The exact tier's verdict on each row of paired ratios, True where its gate fails:
    the median ratio alone decides, with any number of pairs (exact_tier.py judges its
    gate with this function)."""
    ratios = np.atleast_2d(np.asarray(ratios, dtype=float))
    return regressed(True, np.median(ratios, axis=-1), 0.0, rule, higher_is_better)


def detectable_effect(pool, plan, rule, trials, rng, higher_is_better=False, tested=True):
    """Smallest effect on the grid caught in >= 95 % of runs (bisection: the rate grows
    with the effect), or None if even 50 % is not."""
    def caught(i):
        return fire_rate(pool, plan, rule, EFFECT_GRID[i], trials, rng,
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
