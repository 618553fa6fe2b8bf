"""`rxbench history --changes`: the change points of a metric's recorded series, as a
table, JSON or Markdown (a nightly job posts the Markdown).

A series is one strategy on one host and scenario (another machine's level is not a
change), one point per recorded run (the median of its repetitions), in recording
order; changes.py finds its change points.
"""
from dataclasses import asdict, dataclass

from reports.history import changes


@dataclass(frozen=True)
class Found:
    metric: str
    strategy: str
    host: str
    scenario: str
    points: int                  # in the series
    change: changes.ChangePoint


def series_of(rows):
    """{(strategy, host, scenario): [(commit, median)]} from trend.TrendRows, in order."""
    out = {}
    for r in rows:
        out.setdefault((r.strategy, r.host, r.scenario), []).append((r.commit, r.median))
    return out


def find(metric, rows):
    """The change points of every series in `rows` (trend.trend_rows of `metric`)."""
    return [Found(metric.key, strategy, host, scenario, len(points), c)
            for (strategy, host, scenario), points in series_of(rows).items()
            for c in changes.change_points(points)]


def as_json(found):
    return [{"metric": f.metric, "strategy": f.strategy, "host": f.host,
             "scenario": f.scenario, "points": f.points, **asdict(f.change)} for f in found]


HEAD = ("metric", "strategy", "host", "scenario", "run", "last before", "first after",
        "change", "95 % interval", "p")


def _cells(f):
    c = f.change
    return (f.metric, f.strategy, f.host, f.scenario, f"{c.index + 1} of {f.points}",
            c.before, c.after, _percent(c.change),
            "-" if c.low is None else f"{_percent(c.low)} … {_percent(c.high)}",
            f"{c.p_value:.1e}")


def render_table(found):
    table = [HEAD] + [_cells(f) for f in found]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEAD))]
    return "".join("  ".join(c.ljust(w) if i < 7 else c.rjust(w)
                             for i, (c, w) in enumerate(zip(row, widths))).rstrip() + "\n"
                   for row in table)


def render_markdown(found, examined):
    """`examined`: what was searched, said when nothing was found."""
    out = ["### rxbench: change points in the history", ""]
    if not found:
        return "\n".join(out + [f"No change point in {examined}.", ""])
    out += ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in _cells(f)) + " |"
            for f in found]
    return "\n".join(out) + "\n"


def _percent(value):
    return "-" if value is None else f"{value * 100:+.1f} %"
