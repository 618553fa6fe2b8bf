"""Comparisons of strategies (or builds) metric by metric: results records in, rows of
statistics and verdicts out, and the "comparison" section of compare.json."""
