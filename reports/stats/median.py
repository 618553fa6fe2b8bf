"""Medians of one strategy's repetitions, with the interval every view shows.

The interval is the gate's (interval.py): a seeded percentile bootstrap of the median.
The report's error bars, the sweep's points and the gate's ratios therefore answer
"how sure is this 95 %" the same way; with all reference values 1, the gate's
interval of a paired ratio is exactly this interval of the candidate's median.
Below 2 repetitions there is no interval: low and high are the one value and
`exact` is False, so no caption claims a 95 % it cannot back.
"""
from dataclasses import dataclass
from typing import Iterable, List, Mapping, Optional

import numpy as np

from reports.stats.interval import bootstrap_interval


@dataclass
class MedianInterval:
    median: float
    low: float
    high: float
    n: int
    exact: bool  # True: a bootstrap interval at `confidence`; False: one value, no interval


def median_interval(values: Iterable[float],
                    confidence: float = 0.95) -> Optional[MedianInterval]:
    xs = [float(v) for v in values]
    if not xs:
        return None
    median = float(np.median(xs))
    low, high = bootstrap_interval((xs,), np.median, confidence, paired=False)
    if low is None or high is None:
        return MedianInterval(median, median, median, len(xs), False)
    return MedianInterval(median, low, high, len(xs), True)


def values(runs: Iterable[Mapping[str, object]], key: str) -> List[float]:
    """The numeric values of `key` over runs, skipping null and absent ones."""
    out = []
    for run in runs:
        v = run.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(float(v))
    return out


def median_of(runs: Iterable[Mapping[str, object]], key: str) -> Optional[float]:
    xs = values(runs, key)
    return float(np.median(xs)) if xs else None


def interval_note(intervals: Iterable[MedianInterval]) -> str:
    """Words for a caption: what the error bars are, given the intervals drawn."""
    if all(mi.exact for mi in intervals):
        return "error bars: 95 % bootstrap interval of the median (as the CI gate computes it)"
    return ("error bars: 95 % bootstrap interval of the median (as the CI gate computes it) "
            "where there are at least 2 repetitions; a single repetition has none")
