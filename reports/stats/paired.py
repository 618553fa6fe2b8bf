"""Paired comparison: repetition i of the reference (A) and of the candidate (B) ran back
to back, so the ratio B_i/A_i is the unit and slow drift of the machine cancels.

Median of the ratios, its bootstrap interval, and the Wilcoxon signed-rank p on the log
ratios (logs make 1.25x and 0.8x symmetric, which the test assumes of its differences).
"""
import warnings
from typing import Sequence

import numpy as np
from scipy import stats

from reports.stats import needed
from reports.stats.comparison import PAIRED, Comparison
from reports.stats.interval import bootstrap_interval
from reports.stats.samples import positive, spread_cv


def compare_paired(reference: Sequence[float], candidate: Sequence[float], alpha: float = 0.05,
                   confidence: float = 0.95) -> Comparison:
    """reference[i] and candidate[i] are one pair; all values positive."""
    a = positive(reference, "reference")
    b = positive(candidate, "candidate")
    if a.size != b.size:
        raise ValueError(f"paired samples differ in length: {a.size} vs {b.size}")
    ratios = b / a
    low, high = bootstrap_interval((ratios,), np.median, confidence, paired=False)
    minimum = needed.paired_minimum(alpha)
    too_few = ratios.size < minimum
    return Comparison(
        design=PAIRED, n=int(ratios.size), reference_n=int(a.size),
        reference_median=float(np.median(a)), median=float(np.median(b)),
        median_ratio=float(np.median(ratios)), ci_low=low, ci_high=high,
        p_value=signed_rank_p(np.log(ratios)), alpha=alpha, confidence=confidence,
        too_few=too_few, needed_repetitions=minimum if too_few else None,
        spread_cv=spread_cv(ratios))


def signed_rank_p(differences):
    """Two-sided Wilcoxon signed-rank p of differences against 0. All-zero differences
    (identical pairs) are no evidence of a change: p = 1, where scipy would refuse."""
    differences = np.asarray(differences, dtype=float)
    if not np.any(differences):
        return 1.0
    with warnings.catch_warnings():
        # Small samples and zero differences make scipy warn that it switches from the
        # exact distribution to the normal approximation; the p it returns is still right.
        warnings.simplefilter("ignore")
        return float(stats.wilcoxon(differences).pvalue)
