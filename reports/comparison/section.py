"""The machine-readable "comparison" section of compare.json (the shared contract; read by
reports/html). Field names here are a data contract: add, never rename."""
import math


def to_section(analysis):
    return {
        "reference": analysis.reference,
        "design": analysis.design,
        "alpha": analysis.alpha,
        "confidence": analysis.confidence,
        "metrics": [{"key": m.key, "label": m.label, "unit": m.unit, "better": m.better}
                    for m in analysis.metrics],
        "rows": [_row(r) for r in analysis.rows if r.comparison],
        "skipped": [{"strategy": r.strategy, "metric": r.metric.key, "reason": r.skipped}
                    for r in analysis.rows if r.skipped],
        "geomean": {k: _number(v) for k, v in analysis.geomean.items()},
        "warnings": list(analysis.warnings),
    }


def _row(row):
    c = row.comparison
    return {
        "strategy": row.strategy,
        "metric": row.metric.key,
        "n": c.n,
        "reference_n": c.reference_n,
        "reference_median": _number(c.reference_median),
        "median": _number(c.median),
        "median_ratio": _number(c.median_ratio),
        "ci_low": _number(c.ci_low),
        "ci_high": _number(c.ci_high),
        "p_value": _number(c.p_value),
        "verdict": row.verdict,
        "needed_repetitions": c.needed_repetitions,
        "spread_cv": _number(c.spread_cv),
    }


def _number(value):
    """JSON has no NaN: a number that is not finite is written as null."""
    if value is None or not math.isfinite(value):
        return None
    return value
