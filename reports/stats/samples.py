"""Checks on the samples every comparison takes: positive, finite numbers.

Ratios and their logarithms are only defined for positive values; the caller (who knows
whether a zero means "not measured" or "no pipeline") filters and says why, so here a
bad value is a programming error, not data to skip silently.
"""
import numpy as np
from scipy import stats


def positive(values, what):
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        raise ValueError(f"{what}: no values")
    if not np.all(np.isfinite(array)) or np.any(array <= 0):
        raise ValueError(f"{what}: values must be positive and finite, got {values!r}")
    return array


def spread_cv(values):
    """Coefficient of variation (sample standard deviation / mean), None below 2 values."""
    if len(values) < 2:
        return None
    return float(stats.variation(values, ddof=1))
