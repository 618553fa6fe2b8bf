"""Per-strategy numbers the figures draw: medians with a distribution-free interval.

The interval is the order-statistic confidence interval of the median (binomial): it
assumes nothing about the shape of run-to-run noise, which here is skewed (a run can
only be slowed by the machine). With fewer than 6 repetitions no pair of order
statistics covers 95 %, so the interval is the full range and says so (`exact` False):
the report never draws a "95 %" bar it cannot back.
"""
from dataclasses import dataclass

from scipy.stats import binom


@dataclass
class MedianInterval:
    median: float
    low: float
    high: float
    n: int
    exact: bool  # True: covers >= `confidence`; False: min..max of too few values


def median_interval(values, confidence=0.95):
    xs = sorted(float(v) for v in values)
    n = len(xs)
    if n == 0:
        return None
    mid = n // 2
    median = xs[mid] if n % 2 else (xs[mid - 1] + xs[mid]) / 2
    # [x_(k), x_(n-k+1)] (1-based) covers the median with 1 - 2 P(B <= k-1), B ~ Bin(n, 1/2);
    # take the narrowest k that still covers `confidence`.
    best = None
    for k in range(1, n // 2 + 1):
        if 1 - 2 * binom.cdf(k - 1, n, 0.5) >= confidence:
            best = k
    if best is None:
        return MedianInterval(median, xs[0], xs[-1], n, False)
    return MedianInterval(median, xs[best - 1], xs[n - best], n, True)


def values(runs, key):
    """The numeric values of `key` over runs, skipping null and absent ones."""
    out = []
    for run in runs:
        v = run.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(float(v))
    return out


def median_of(runs, key):
    mi = median_interval(values(runs, key))
    return mi.median if mi else None


def interval_note(intervals):
    """Words for a caption: what the error bars are, given the intervals drawn."""
    if all(mi.exact for mi in intervals):
        return "error bars: 95 % interval of the median (order statistics)"
    return ("error bars: 95 % interval of the median where there are at least 6 repetitions, "
            "otherwise the full range of the repetitions (too few for a 95 % interval)")
