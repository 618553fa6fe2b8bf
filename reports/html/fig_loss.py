"""Figure 3: the loss account per strategy, summed over its repetitions.

Losses are usually a few packets per million, so bars are per million packets sent on
a symmetric-log axis (zero stays visible as zero); the delivered share is in the legend
and the exact counts in `account()`, which the page prints as a table.
"""
from matplotlib.ticker import FuncFormatter

from reports.html.figure_files import new_figure

# (JSON field, label); delivered is the rest of packets_sent.
CATEGORIES = [("kernel_drops", "kernel drops"), ("pipeline_drops", "pipeline drops"),
              ("malformed", "malformed"), ("truncated", "truncated"),
              ("in_flight_at_stop", "in flight at stop"), ("unexplained_packets", "unexplained")]


def account(results):
    """{label: {"packets_sent": n, "packets_delivered": n, <category>: n}} summed over runs."""
    out = {}
    for s in results.strategies:
        runs = results.runs[s]
        if not runs:
            continue
        row = {k: sum(int(r.get(k) or 0) for r in runs)
               for k in ["packets_sent", "packets_delivered"] + [c for c, _ in CATEGORIES]}
        row["repetitions"] = len(runs)
        out[s] = row
    return out


def nothing_lost(acc):
    return all(row[c] == 0 for row in acc.values() for c, _ in CATEGORIES)


def draw(results, colours):
    """None when there is nothing to draw: no packet counts, or no packet lost (a figure
    of empty axes says less than the sentence the page writes instead)."""
    acc = account(results)
    labels = [s for s in acc if acc[s]["packets_sent"]]
    if not labels or nothing_lost(acc):
        return None
    fig = new_figure(max(7, 1.6 * len(CATEGORIES)), 4.8)
    ax = fig.add_subplot()
    width = 0.8 / len(labels)
    for i, s in enumerate(labels):
        row = acc[s]
        per_million = [1e6 * row[c] / row["packets_sent"] for c, _ in CATEGORIES]
        xs = [j - 0.4 + width * (i + 0.5) for j in range(len(CATEGORIES))]
        delivered = 100 * row["packets_delivered"] / row["packets_sent"]
        ax.bar(xs, per_million, width=width, color=colours[s],
               label=f"{s}: delivered {delivered:.3f} % of {row['packets_sent']:,}")
    ax.set_yscale("symlog", linthresh=1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylim(bottom=0)
    ax.set_xticks(range(len(CATEGORIES)), [label for _, label in CATEGORIES])
    ax.set_ylabel("packets per million sent (symlog)")
    ax.set_title("Loss account (all repetitions summed)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, title="strategy", title_fontsize=8)
    return fig
