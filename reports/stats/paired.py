"""Paired comparison: repetition i of the reference (A) and of the candidate (B) ran back
to back, so the ratio B_i/A_i is the unit and slow drift of the machine cancels.

Median of the ratios, its bootstrap interval, and the Wilcoxon signed-rank p on the log
ratios (logs make 1.25x and 0.8x symmetric, which the test assumes of its differences):
two-sided for the table, one-sided for the gate. `ci --calibrate` computes its simulated
gates' statistics with signed_rank_p too, many gates at once.
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
    logs = np.log(ratios)
    low, high = bootstrap_interval((ratios,), np.median, confidence, paired=False)
    minimum = needed.paired_minimum(alpha)
    too_few = ratios.size < minimum
    return Comparison(
        design=PAIRED, n=int(ratios.size), reference_n=int(a.size),
        reference_median=float(np.median(a)), median=float(np.median(b)),
        median_ratio=float(np.median(ratios)), ci_low=low, ci_high=high,
        p_value=signed_rank_p(logs), alpha=alpha, confidence=confidence,
        too_few=too_few, needed_repetitions=minimum if too_few else None,
        spread_cv=spread_cv(ratios), p_higher=signed_rank_p(logs, "greater"),
        p_lower=signed_rank_p(logs, "less"))


def signed_rank_p(differences, alternative="two-sided"):
    """Wilcoxon signed-rank p of differences against 0 (along the last axis: a float for
    1-D, an array of one p per row for 2-D). All-zero differences (identical pairs) are no
    evidence of a change: p = 1, where scipy would refuse."""
    differences = np.asarray(differences, dtype=float)
    rows = np.atleast_2d(differences)
    p = np.ones(rows.shape[0])
    some = np.any(rows, axis=-1)
    if np.any(some):
        with warnings.catch_warnings():
            # Small samples and zero differences make scipy warn that it switches from the
            # exact distribution to the normal approximation; the p is still right.
            warnings.simplefilter("ignore")
            p[some] = stats.wilcoxon(rows[some], axis=-1, alternative=alternative).pvalue
    return float(p[0]) if differences.ndim == 1 else p
