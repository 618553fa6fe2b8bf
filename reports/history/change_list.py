"""`rxbench history --changes`: the change points of a metric's recorded series, as a
table, JSON or Markdown (a nightly job posts the Markdown).

A series is one strategy on one host and scenario with the same workload options
(another machine's level, or another rate, is not a change), one point per recorded run
of a build under test (the median of its repetitions), in recording order; changes.py
finds its change points. Runs of a gate's reference build (`ci-reference`: an older
commit, recorded after the newer one) and of `ci --calibrate` (the same build twice,
perhaps with an injected cost) are no points of the series: in recording order they
would draw a sawtooth, or a step that no commit made.
"""
from dataclasses import asdict, dataclass

from reports.history import changes, run_info


@dataclass(frozen=True)
class Found:
    metric: str
    strategy: str
    host: str
    scenario: str
    points: int                  # in the series
    change: changes.ChangePoint


NOT_POINTS = (run_info.CI_REFERENCE, run_info.CALIBRATE)


def series_of(rows):
    """{(strategy, host, scenario, options): [(commit, median)]} from trend.TrendRows, in
    order, without the runs of NOT_POINTS."""
    out = {}
    for r in rows:
        if r.source not in NOT_POINTS:
            out.setdefault((r.strategy, r.host, r.scenario, r.options), []).append(
                (r.commit, r.median))
    return out


def find(metric, rows):
    """The change points of every series in `rows` (trend.trend_rows of `metric`)."""
    return [Found(metric.key, strategy, host, scenario, len(points), c)
            for (strategy, host, scenario, _), points in series_of(rows).items()
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
