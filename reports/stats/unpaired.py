"""Unpaired comparison: two sets of repetitions from different invocations (e.g. tonight
against a stored baseline). Nothing cancels drift between them, so say "unpaired".

Ratio of the medians, its bootstrap interval (resampling each set on its own), and the
Mann-Whitney U p (two-sided for the table, one-sided for the gate).
"""
import warnings

import numpy as np
from scipy import stats

from reports.stats import needed
from reports.stats.comparison import UNPAIRED, Comparison
from reports.stats.interval import bootstrap_interval
from reports.stats.samples import positive, spread_cv


def compare_unpaired(reference, candidate, alpha=0.05, confidence=0.95):
    a = positive(reference, "reference")
    b = positive(candidate, "candidate")
    low, high = bootstrap_interval((a, b), _ratio_of_medians, confidence, paired=False)
    minimum = needed.unpaired_minimum(int(a.size), alpha)
    too_few = minimum is None or b.size < minimum
    return Comparison(
        design=UNPAIRED, n=int(b.size), reference_n=int(a.size),
        reference_median=float(np.median(a)), median=float(np.median(b)),
        median_ratio=float(np.median(b) / np.median(a)), ci_low=low, ci_high=high,
        p_value=rank_sum_p(a, b), alpha=alpha, confidence=confidence,
        too_few=too_few, needed_repetitions=minimum if too_few else None,
        spread_cv=spread_cv(b), p_higher=rank_sum_p(a, b, "greater"),
        p_lower=rank_sum_p(a, b, "less"))


def rank_sum_p(reference, candidate, alternative="two-sided"):
    """Mann-Whitney U p of the candidate against the reference; identical samples
    (scipy's nan) are no change: 1."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = float(stats.mannwhitneyu(candidate, reference, alternative=alternative).pvalue)
    return 1.0 if np.isnan(p) else p


def _ratio_of_medians(reference, candidate, axis):
    return np.median(candidate, axis=axis) / np.median(reference, axis=axis)
