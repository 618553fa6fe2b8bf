"""Figure 2: send -> sink latency percentiles per strategy, and the jitter distribution.

Left: p50 ... p99.9 and max of `latency_detail.send_to_sink` on a log axis, the line
through the median over repetitions, the band their range. Right: the RFC 3550
jitter. Newer results carry its distribution over the run (mean, p50, p99, max of J
and of |D|, the per-packet transit difference); older ones only J at the end of each
run, drawn as one point per repetition and labelled as such.
"""
from matplotlib.lines import Line2D

from reports.stats import median
from reports.html.figure_files import footnote, log_axis_plain, new_figure

PERCENTILES = [("p50", "p50_ns"), ("p90", "p90_ns"), ("p99", "p99_ns"), ("p99.9", "p999_ns"),
               ("max", "max_ns")]
JITTER_STATS = ["mean", "p50", "p99", "max"]


def draw(results, colours):
    lat = {s: _percentiles(results.runs[s]) for s in results.strategies}
    lat = {s: p for s, p in lat.items() if p}
    jitter_new = any(_has_jitter_distribution(r) for s in results.strategies
                     for r in results.runs[s])
    jit_old = {s: median.values(results.runs[s], "jitter_rfc3550_us") for s in results.strategies}
    if not lat and not any(jit_old.values()):
        return None

    fig = new_figure(12, 5)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    _draw_percentiles(left, lat, colours)
    if jitter_new:
        _draw_jitter_distribution(right, results, colours)
    else:
        _draw_jitter_points(right, jit_old, colours)
    unmeasured = [s for s in results.strategies if s not in lat]
    if unmeasured:
        footnote(fig, "latency not measured for: " + ", ".join(unmeasured)
                 + " (null and --measure minimal record none)")
    return fig


def _percentiles(runs):
    """[(name, median, low, high) in µs] over runs that measured latency."""
    rows = []
    for name, key in PERCENTILES:
        vs = [r["latency_detail"]["send_to_sink"].get(key) for r in runs
              if (r.get("latency_detail") or {}).get("send_to_sink", {}).get("count")]
        vs = [v / 1e3 for v in vs if isinstance(v, (int, float))]
        if vs:
            mi = median.median_interval(vs)
            rows.append((name, mi.median, min(vs), max(vs)))
    return rows


def _draw_percentiles(ax, lat, colours):
    names = [n for n, _ in PERCENTILES]
    for s, rows in lat.items():
        xs = [names.index(r[0]) for r in rows]
        ax.plot(xs, [r[1] for r in rows], marker="o", color=colours[s], label=s)
        ax.fill_between(xs, [r[2] for r in rows], [r[3] for r in rows], color=colours[s],
                        alpha=0.15)
    log_axis_plain(ax)
    ax.set_xticks(range(len(names)), names)
    ax.set_xlabel("percentile of send → sink latency")
    ax.set_ylabel("latency (µs, log scale)")
    ax.set_title("Latency percentiles (line: median of repetitions, band: range)")
    ax.grid(which="both", alpha=0.3)
    if lat:
        ax.legend(fontsize=8, title="strategy", title_fontsize=8)


def _has_jitter_distribution(run):
    return isinstance(run.get("jitter_rfc3550_p50_us"), (int, float))


def _draw_jitter_distribution(ax, results, colours):
    for s in results.strategies:
        runs = results.runs[s]
        for family, style in (("rfc3550", "-"), ("d_abs", "--")):
            ys = [median.median_of(runs, f"jitter_{family}_{st}_us") for st in JITTER_STATS]
            pts = [(i, y) for i, y in enumerate(ys) if y is not None]
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], linestyle=style, marker="o",
                        color=colours[s])
    ax.set_xticks(range(len(JITTER_STATS)), JITTER_STATS)
    log_axis_plain(ax)
    ax.set_ylabel("µs (log scale)")
    ax.set_xlabel("statistic over the run")
    ax.set_title("Jitter distribution (median of repetitions)")
    ax.grid(which="both", alpha=0.3)
    handles = [Line2D([], [], color=colours[s], marker="o", label=s) for s in results.strategies
               if any(_has_jitter_distribution(r) for r in results.runs[s])]
    handles += [Line2D([], [], color="#555555", linestyle="-", label="RFC 3550 J"),
                Line2D([], [], color="#555555", linestyle="--", label="|D| transit difference")]
    ax.legend(handles=handles, fontsize=8)


def _draw_jitter_points(ax, jit, colours):
    labels = [s for s, vs in jit.items() if vs]
    for x, s in enumerate(labels):
        vs = jit[s]
        ax.scatter([x] * len(vs), vs, color=colours[s], label=s, zorder=3)
        ax.hlines(median.median_interval(vs).median, x - 0.25, x + 0.25, color=colours[s])
    ax.set_xticks(range(len(labels)), labels, rotation=20, ha="right")
    ax.set_ylabel("RFC 3550 jitter J at the end of the run (µs)")
    ax.set_ylim(bottom=0)
    ax.set_title("Jitter: end-of-run J, one point per repetition\n"
                 "(no per-packet jitter distribution in these results)", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    if labels:
        ax.legend(fontsize=8, title="strategy (line: median)", title_fontsize=8, loc="best")
