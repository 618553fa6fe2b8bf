"""One number per metric across strategies, as Google's compare.py OVERALL_GEOMEAN: the
geometric mean of the median ratios (the mean that treats 2x and 0.5x symmetrically)."""
from scipy import stats


def geometric_mean(ratios):
    """None for no ratios (nothing to summarise)."""
    ratios = [r for r in ratios if r is not None and r > 0]
    return float(stats.gmean(ratios)) if ratios else None
