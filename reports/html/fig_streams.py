"""The stream-count sweep figure: CPU per packet and p99 latency against the number of
streams (log2 axis), one line per strategy.

A line joins the medians over the searches that measured a count; the marker shape of
each measured point says its verdict (as in the rate sweep's figure). The largest
loss-free count a strategy's searches found is a dotted vertical line in its colour at
their median, with a star on the cost curve, and a band from their min to max when the
searches disagree.
"""
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, NullFormatter

from reports.html.fig_sweep import MARKERS
from reports.html.figure_files import footnote, log_axis_plain, new_figure
from reports.results import rate_verdict as pt
from reports.stats import median

PANELS = [("cpu_ns_per_packet_receive_path", 1, "receive-path CPU (ns/packet)"),
          ("latency_p99_ns", 1e-3, "latency p99 (µs, log)")]


def draw(sweep, colours):
    points = [p for p in sweep.get("points", [])
              if p.get("verdict") != pt.FAILED and p.get("streams")]
    if not points:
        return None
    strategies = list(dict.fromkeys(p["strategy"] for p in points))
    capacity = sweep.get("capacity") or {}
    fig = new_figure(10.5, 8)
    axes = fig.subplots(2, 1, sharex=True)
    for ax, (key, scale, label) in zip(axes, PANELS):
        for s in strategies:
            mine = [p for p in points if p["strategy"] == s and p.get(key) is not None]
            counts = sorted({p["streams"] for p in mine})
            if not counts:
                continue
            medians = [median.median_of([p for p in mine if p["streams"] == c], key) * scale
                       for c in counts]
            ax.plot(counts, medians, color=colours[s], linewidth=1.3, label=s)
            for p in mine:
                ax.plot(p["streams"], p[key] * scale, color=colours[s], linestyle="none",
                        markersize=6, **MARKERS.get(p["verdict"], {}))
            found = capacity.get(s) or {}
            if found.get("median"):
                ax.axvline(found["median"], color=colours[s], linestyle=":", linewidth=1.5)
                if found["min"] != found["max"] and found["min"]:
                    ax.axvspan(found["min"], found["max"], color=colours[s], alpha=0.12)
                if key == PANELS[0][0] and found["median"] in counts:
                    ax.plot(found["median"], medians[counts.index(found["median"])],
                            marker="*", markersize=16, color=colours[s],
                            markeredgecolor="black", zorder=5)
        ax.set_ylabel(label, fontsize=9)
        if key == "latency_p99_ns":
            log_axis_plain(ax)
        ax.grid(which="both", alpha=0.3)
    counts = sorted({p["streams"] for p in points})
    axes[-1].set_xscale("log", base=2)
    powers = [1 << i for i in range(counts[-1].bit_length() + 1)
              if counts[0] / 1.5 <= 1 << i <= counts[-1] * 1.5]
    axes[-1].set_xticks(powers or counts, [str(c) for c in powers or counts])
    # Bisection crowds counts near the limit: every count measured is a minor tick.
    axes[-1].set_xticks(counts, minor=True)
    axes[-1].xaxis.set_minor_formatter(NullFormatter())
    axes[-1].tick_params(axis="x", which="minor", length=6, width=1.2)
    axes[-1].set_xlim(counts[0] / 1.3, counts[-1] * 1.3)
    axes[-1].xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axes[-1].set_xlabel("streams (log2 scale; small ticks: the counts measured)")
    handles = [Line2D([], [], color=colours[s], label=s) for s in strategies]
    handles += [Line2D([], [], color="#444444", linestyle="none", markersize=7, label=v, **m)
                for v, m in MARKERS.items()]
    handles.append(Line2D([], [], color="#444444", linestyle=":", marker="*", markersize=12,
                          label="largest loss-free count"))
    axes[0].legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    part = sweep.get("streams") or {}
    rate = part.get("per_stream_pps")
    axes[0].set_title("Stream sweep: cost and latency against the stream count"
                      + (f", {rate:g} pps per stream" if isinstance(rate, (int, float)) else ""))
    n = sweep.get("repetitions", "?")
    placed = " ".join(part.get("placement") or []) or "as the user placed them"
    reps = "the one repetition" if n == 1 else f"any of {n} repetitions"
    footnote(fig, "Loss-free: no stream lost a packet and nothing was dropped, rejected or "
             f"unexplained in total in {reps}, and the generator offered the rate. "
             f"Threads: {placed} (the receiver and every pipeline thread on one CPU, the "
             "generator on another).")
    return fig
