"""Figure 6: each gated metric over commits, one line per strategy.

Takes plain records {commit, time, strategy, metric, value} (time: when the commit was
made, ISO 8601) so it does not depend on how the history database stores them
(history_trend.py reads it). A record is one
repetition; a commit's point is the median of its repetitions, with a bar over their
range, so one noisy run shows as a long bar rather than as a jump of the line. Commits
are placed in time order at even spacing: the question is "which commit moved it", not
how many days passed between commits.
"""
import statistics

from reports.html.figure_files import new_figure
from reports.html.history_trend import LOSS_PERCENT
from reports.results.metrics import lookup


def label(metric):
    """'receive-path CPU (ns/packet)': the panel's title and y label, with the unit."""
    if metric == LOSS_PERCENT:
        return "packets lost (% of sent)"
    m = lookup(metric)
    return f"{m.label} ({m.unit})" if m.unit else m.label


def _short(commit, width=22):
    """A `git describe` (v1.2-3-g1234567-dirty) fits; longer names end in an ellipsis."""
    return commit if len(commit) <= width else commit[:width - 1] + "…"


def draw(records, colours, highlight=None, changes=()):
    """`highlight`: the commit of the report's own results, shaded when it is drawn.
    `changes`: trend_changes.find's change points; each whose first commit after is
    drawn is a dashed line in its strategy's colour before that commit, with its size."""
    records = [r for r in records if r.get("value") is not None]
    if not records:
        return None
    first_seen = {}
    for r in sorted(records, key=lambda r: str(r.get("time", ""))):
        first_seen.setdefault(str(r["commit"]), len(first_seen))
    commits = sorted(first_seen, key=first_seen.get)
    metrics = list(dict.fromkeys(r["metric"] for r in records))

    fig = new_figure(max(8, 0.45 * len(commits) + 5), 2.9 * len(metrics) + 1.2)
    axes = fig.subplots(len(metrics), 1, squeeze=False, sharex=True)[:, 0]
    # In the report's order (the colour table's), then any others.
    order = list(colours)
    strategies = sorted(dict.fromkeys(r["strategy"] for r in records),
                        key=lambda s: order.index(s) if s in order else len(order))
    for ax, metric in zip(axes, metrics):
        values = {}
        for r in records:
            if r["metric"] == metric:
                values.setdefault((r["strategy"], first_seen[str(r["commit"])]), []).append(
                    float(r["value"]))
        for s in strategies:
            xs = sorted(x for (name, x) in values if name == s)
            if not xs:
                continue
            mid = [statistics.median(values[s, x]) for x in xs]
            low = [m - min(values[s, x]) for m, x in zip(mid, xs)]
            high = [max(values[s, x]) - m for m, x in zip(mid, xs)]
            ax.errorbar(xs, mid, yerr=[low, high], marker="o", markersize=5, capsize=3,
                        linewidth=1.4, color=colours.get(s, "#333333"), label=s)
        for c in changes:
            if c["metric"] == metric and str(c["after"]) in first_seen:
                x = first_seen[str(c["after"])] - 0.5
                colour = colours.get(c["strategy"], "#333333")
                ax.axvline(x, color=colour, linestyle="--", linewidth=1.2)
                if c["change"] is not None:
                    ax.annotate(f"{c['change'] * 100:+.1f} %", (x, 1), xytext=(3, -3),
                                xycoords=("data", "axes fraction"),
                                textcoords="offset points", va="top", fontsize=8,
                                color=colour)
        if highlight in first_seen:
            ax.axvspan(first_seen[highlight] - 0.4, first_seen[highlight] + 0.4,
                       color="#f2d27a", alpha=0.35, linewidth=0)
        ax.set_ylabel(label(metric), fontsize=9)
        ax.set_title(label(metric), fontsize=10)
        if metric == LOSS_PERCENT:
            # Loss is mostly zero: keep the zero line off the frame, and say it in words.
            top = max((max(v) for v in values.values()), default=0)
            ax.set_ylim(-0.05 * (top or 1), 1.1 * top if top else 1)
            if not top:
                ax.text(0.5, 0.55, "no packet lost in any recorded repetition",
                        transform=ax.transAxes, ha="center", fontsize=9, color="#444444")
        ax.grid(alpha=0.3)
    axes[-1].set_xticks(range(len(commits)), [_short(c) for c in commits], rotation=45,
                        ha="right", fontsize=8)
    axes[-1].set_xlim(-0.6, len(commits) - 0.4)
    axes[-1].set_xlabel("commit (oldest left)"
                        + ("; dashed: a change point" if any(
                            str(c["after"]) in first_seen and c["metric"] in metrics
                            for c in changes) else "")
                        + ("; shaded: this report's results" if highlight in first_seen else ""))
    # One legend for all panels, right of the top one: it never hides a point, and
    # constrained layout makes room for it (matplotlib 3.6 has no loc="outside").
    by_name = {}
    for ax in axes:
        for handle, name in zip(*ax.get_legend_handles_labels()):
            by_name.setdefault(name, handle)
    axes[0].legend(list(by_name.values()), list(by_name), loc="upper left",
                   bbox_to_anchor=(1.01, 1), fontsize=8, title="strategy\n(point: median of\n"
                   "the commit's repetitions,\nbar: their range)", title_fontsize=8)
    fig.suptitle("Trend over commits, from the history database")
    return fig
