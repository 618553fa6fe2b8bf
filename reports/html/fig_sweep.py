"""The sweep figure: CPU per packet, loss and p99 latency against offered rate.

One line per strategy (its report colour); marker shape says the verdict of a point
(filled circle loss-free, cross lossy, hollow square: the generator could not offer
the rate); a dotted vertical line in the strategy's colour marks its maximum loss-free
rate in every panel.
"""
import math

from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from reports.html.figure_files import footnote, log_axis_plain, new_figure
from reports.html.units import format_rate
from reports.results import rate_verdict as pt

MARKERS = {pt.LOSS_FREE: dict(marker="o"), pt.LOSSY: dict(marker="X"),
           pt.GENERATOR_SHORT: dict(marker="s", fillstyle="none")}
PANELS = [("cpu_ns_per_packet_receive_path", 1, "receive-path CPU (ns/packet)", "linear"),
          ("loss_fraction", 100, "packets lost (% of sent, symlog)", "symlog"),
          ("latency_p99_ns", 1e-3, "latency p99 (µs, log)", "log")]


def round_ticks(low, high):
    """1-2-5 rates from low to high inclusive of their decade ends: 10k, 20k, 50k, 100k."""
    ticks, decade = [], 10 ** math.floor(math.log10(low))
    while decade <= high:
        ticks += [m * decade for m in (1, 2, 5) if low / 1.15 <= m * decade <= high * 1.15]
        decade *= 10
    return ticks or [low, high]


def draw(sweep, colours):
    points = [p for p in sweep.get("points", []) if p.get("verdict") != pt.FAILED]
    if not points:
        return None
    strategies = list(dict.fromkeys(p["strategy"] for p in points))
    fig = new_figure(10.5, 10)
    axes = fig.subplots(3, 1, sharex=True)
    for ax, (key, scale, label, yscale) in zip(axes, PANELS):
        for s in strategies:
            mine = sorted((p for p in points if p["strategy"] == s and p.get(key) is not None),
                          key=lambda p: p["offered_pps"])
            if not mine:
                continue
            ax.plot([p["offered_pps"] for p in mine], [p[key] * scale for p in mine],
                    color=colours[s], linewidth=1.3, label=s)
            for p in mine:
                ax.plot(p["offered_pps"], p[key] * scale, color=colours[s], linestyle="none",
                        markersize=7, **MARKERS.get(p["verdict"], {}))
            knee = (sweep.get("knees") or {}).get(s, {}).get("max_loss_free_pps")
            if knee:
                ax.axvline(knee, color=colours[s], linestyle=":", linewidth=1.5)
                at_knee = [p for p in mine if p["offered_pps"] == knee]
                if at_knee and key == PANELS[0][0]:
                    # A star on the cost curve tells apart knees that share a rate.
                    ax.plot(knee, at_knee[0][key] * scale, marker="*", markersize=16,
                            color=colours[s], markeredgecolor="black", zorder=5)
        ax.set_ylabel(label, fontsize=9)
        if yscale == "symlog":
            ax.set_yscale("symlog", linthresh=0.01)
            # Headroom above the worst point: autoscale put it on the frame.
            worst = max((p[key] * scale for p in points if p.get(key) is not None), default=0)
            ax.set_ylim(0, max(worst * 2, 0.1))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        elif yscale == "log":
            log_axis_plain(ax)
        ax.grid(which="both", alpha=0.3)
    axes[-1].set_xscale("log")
    rates = sorted({p["offered_pps"] for p in points})
    # Bisection crowds rates near the knee (86k, 88.9k, 91.8k): labelling each overlaps.
    # Round rates label the axis; every measured rate is a minor tick, and the table
    # under the figure has the exact numbers.
    axes[-1].set_xticks(round_ticks(rates[0], rates[-1]),
                        [format_rate(r) for r in round_ticks(rates[0], rates[-1])])
    axes[-1].set_xticks(rates, minor=True)
    axes[-1].xaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    axes[-1].tick_params(axis="x", which="minor", length=6, width=1.2)
    axes[-1].set_xlim(rates[0] / 1.15, rates[-1] * 1.15)
    axes[-1].set_xlabel("offered rate (packets per second, log scale; small ticks: "
                        "the rates measured)")
    handles = [Line2D([], [], color=colours[s], label=s) for s in strategies]
    handles += [Line2D([], [], color="#444444", linestyle="none", markersize=7, label=v, **m)
                for v, m in MARKERS.items()]
    handles.append(Line2D([], [], color="#444444", linestyle=":", marker="*", markersize=12,
                          label="max loss-free rate"))
    # Beside the top panel: inside it, it covered the lines at low rates.
    axes[0].legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    axes[0].set_title("Rate sweep: cost, loss and latency against offered rate")
    n = sweep.get("repetitions", "?")
    footnote(fig, "Loss-free: no packet dropped, rejected or unexplained in "
             + ("the one repetition" if n == 1 else f"any of {n} repetitions")
             + ", and the generator offered the rate (within 2 %). The generator tops out "
             "near 600 kpps here, less while the receive path shares its 2 cores.")
    return fig
