"""A metric over recorded runs: one row per run and strategy, the median of its
repetitions and the change from the previous run of that strategy."""
import statistics
from dataclasses import asdict, dataclass
from itertools import groupby
from typing import Optional


@dataclass(frozen=True)
class TrendRow:
    recorded_at: str
    commit: str
    host: str
    scenario: str
    strategy: str
    n: int
    median: float
    low: float
    high: float
    change: Optional[float]   # median / previous median of the strategy - 1
    source: str = "compare"   # which command recorded the run
    options: str = ""         # its workload options, as recorded


def trend_rows(values):
    """`values`: store.TrendValue, ordered by run. Returns rows in the same order."""
    rows, previous = [], {}
    for (run_id, strategy), group in groupby(values, key=lambda v: (v.run_id, v.strategy)):
        group = list(group)
        numbers = [v.value for v in group]
        median = statistics.median(numbers)
        before = previous.get(strategy)
        previous[strategy] = median
        first = group[0]
        rows.append(TrendRow(first.recorded_at, first.commit, first.host, first.scenario,
                             strategy, len(numbers), median, min(numbers), max(numbers),
                             median / before - 1 if before else None,
                             first.source, first.options))
    return rows


def as_json(rows, metric):
    return [{"metric": metric.key, **asdict(r)} for r in rows]


def render_trend(rows, metric):
    head = (f"{metric.label}{f' ({metric.unit})' if metric.unit else ''}: median of each "
            "run's repetitions, oldest first")
    table = [("recorded (UTC)", "commit", "host", "scenario", "strategy", "n", "median",
              "min", "max", "change")]
    for r in rows:
        change = "" if r.change is None else f"{r.change * 100:+.1f} %"
        table.append((r.recorded_at[:16].replace("T", " "), r.commit, r.host, r.scenario,
                      r.strategy, str(r.n), _number(r.median), _number(r.low),
                      _number(r.high), change))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = [head] + ["  ".join(c.ljust(w) if i < 5 else c.rjust(w)
                                for i, (c, w) in enumerate(zip(row, widths))).rstrip()
                      for row in table]
    return "\n".join(lines) + "\n"


def _number(value):
    return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
