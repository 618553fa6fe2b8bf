"""The text of one comparison row, shared by the console and Markdown tables, so that
both say the same thing the same way (verdict first, then the numbers)."""
from reports.stats.comparison import PAIRED
from reports.stats.verdict import format_p, headline, interval_text


def headers(analysis):
    return ("strategy", "metric", "verdict",
            f"ratio [{analysis.confidence * 100:.4g} % CI]", "p", "n")


def row_cells(row):
    """(strategy, metric, verdict, ratio [CI], p, n) as strings; a skipped metric says why
    in the verdict cell ("- not measured") and leaves the numbers as '-'."""
    c = row.comparison
    if c is None:
        return (row.strategy, row.metric.label, f"- {row.skipped}", "-", "-", "-")
    p = "-" if c.p_value is None else format_p(c.p_value)
    n = str(c.n) if c.design == PAIRED else f"{c.n} vs {c.reference_n}"
    return (row.strategy, row.metric.label, headline(c, row.metric.higher_is_better),
            interval_text(c), p, n)


def method_line(analysis):
    """What the numbers are, in one line above the table."""
    if analysis.design == PAIRED:
        how = "median of per-repetition ratios, bootstrap CI, Wilcoxon signed-rank p"
    else:
        how = "ratio of medians, bootstrap CI, Mann-Whitney U p"
    # 4 digits: a gate's looks test at e.g. 0.01 / 4 = 0.0025 (a 99.75 % interval).
    return (f"{analysis.design} comparison with {analysis.reference} ({how}; "
            f"{analysis.confidence * 100:.4g} % interval, significant below "
            f"p={analysis.alpha:.4g})")


def geomean_line(analysis):
    parts = [f"{m.label} {analysis.geomean[m.key]:.3f}" for m in analysis.metrics
             if analysis.geomean.get(m.key) is not None]
    if not parts:
        return None
    return "geometric mean of the ratios across strategies: " + ", ".join(parts)
