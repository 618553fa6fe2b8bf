"""Figure 6's change points: the history's detector (reports/history/changes.py, the one
`history --changes` runs) over the runs the figure draws.

A point is one run (the median of its repetitions of the strategy), as in `history
--changes`; the runs are the figure's: like the report's own (host, scenario, options),
in the order their commits were made. Every run read is searched, also those of commits
too old to be drawn, so a change near the left edge still has its history before it.
"""
import statistics

from reports.history import changes


def find(runs, when, strategies, metrics, value_of):
    """`runs`: [(RunInfo, iterations)] in recording order; `when`: {commit: time} (the
    figure's order); `value_of(metric, raw)`: one repetition's value or None.
    Returns [{metric, strategy, before, after, change, low, high, p_value}]."""
    ordered = sorted(runs, key=lambda run: when[run[0].commit])   # stable: ties keep runs
    found = []
    for metric in metrics:
        for strategy in strategies:
            points = []
            for run, iterations in ordered:
                values = [v for it in iterations if it.ok and it.strategy == strategy
                          for v in [value_of(metric, it.raw)] if v is not None]
                if values:
                    points.append((run.commit, statistics.median(values)))
            found += [{"metric": metric, "strategy": strategy, "before": c.before,
                       "after": c.after, "change": c.change, "low": c.low, "high": c.high,
                       "p_value": c.p_value} for c in changes.change_points(points)]
    return found
