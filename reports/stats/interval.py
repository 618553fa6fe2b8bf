"""Bootstrap confidence interval of a statistic (scipy.stats.bootstrap), seeded so that
the same data always give the same interval (reports and CI logs must be reproducible).

The percentile method, not scipy's default BCa: BCa's jackknife acceleration is unstable
for a median (a non-smooth statistic) and fails outright when all values are equal.
"""
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
from scipy import stats

SEED = 20241126
RESAMPLES = 9999


def bootstrap_interval(samples: Sequence[Sequence[float]], statistic: Callable[..., object],
                       confidence: float,
                       paired: bool) -> Tuple[Optional[float], Optional[float]]:
    """(low, high) for statistic(*samples, axis), or (None, None) when a sample has fewer
    than 2 values (no resampling can say anything then)."""
    (low, high), = bootstrap_intervals(samples, statistic, confidence, paired, outputs=1)
    return low, high


def bootstrap_intervals(samples: Sequence[Sequence[float]], statistic: Callable[..., object],
                        confidence: float, paired: bool,
                        outputs: int) -> List[Tuple[Optional[float], Optional[float]]]:
    """[(low, high)] for each of the `outputs` values statistic(*samples, axis) returns
    (stacked along the first axis, or one scalar when outputs is 1), all from the same
    resamples: statistics derived from one another (two medians and their ratio) stay
    consistent. (None, None) each below 2 values."""
    if min(len(s) for s in samples) < 2:
        return [(None, None)] * outputs
    result = stats.bootstrap(
        tuple(np.asarray(s, dtype=float) for s in samples), statistic,
        confidence_level=confidence, n_resamples=RESAMPLES, method="percentile",
        paired=paired, vectorized=True, random_state=np.random.default_rng(SEED))
    low = np.atleast_1d(result.confidence_interval.low)
    high = np.atleast_1d(result.confidence_interval.high)
    return [(float(a), float(b)) for a, b in zip(low, high)]
