"""How many repetitions a rank test needs before it can say anything at level alpha.

Rank tests have a floor: with n pairs, the exact Wilcoxon signed-rank test's smallest
two-sided p is reached when every difference has the same sign (2 / 2^n), so below some
n no data, however clear, give p < alpha. The smallest p is computed by asking scipy
for the p of the most extreme data of each size, not from a hand-written formula.
"""
import functools
import warnings

import numpy as np
from scipy import stats

_LIMIT = 200


@functools.lru_cache(maxsize=None)
def paired_minimum(alpha):
    """Smallest number of pairs at which the Wilcoxon signed-rank test can give p < alpha."""
    for n in range(1, _LIMIT):
        if _quiet(stats.wilcoxon, np.arange(1.0, n + 1)).pvalue < alpha:
            return n
    raise ValueError(f"alpha {alpha} is too small for any sample of under {_LIMIT}")


@functools.lru_cache(maxsize=None)
def unpaired_minimum(reference_n, alpha):
    """Smallest candidate size at which Mann-Whitney U against reference_n values can give
    p < alpha (the two samples completely separated), or None if none under 200 can."""
    reference = np.arange(float(reference_n))
    for n in range(1, _LIMIT):
        candidate = np.arange(float(reference_n), float(reference_n + n))
        p = _quiet(stats.mannwhitneyu, candidate, reference, alternative="two-sided").pvalue
        if p < alpha:
            return n
    return None


def _quiet(test, *args, **kwargs):
    # scipy warns that tiny samples are tiny; here that is the point.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return test(*args, **kwargs)
