"""Figure 6: each metric over commits, one line per strategy.

Takes plain records {commit, time, strategy, metric, value} so it does not depend on
how the history database stores them; the caller reads the database. Commits are
placed in time order at even spacing: the question is "which commit moved it", not
how many days passed between commits.
"""
from reports.html.figure_files import new_figure

# Titles with units for the metrics the CI gate tracks; others show their key.
KNOWN_LABELS = {
    "cpu_ns_per_packet_receive_path": "receive-path CPU (ns/packet)",
    "cpu_ns_per_packet_receiver": "receiver CPU (ns/packet)",
    "cpu_ns_per_packet_pipeline": "pipeline CPU (ns/packet)",
    "latency_p50_ns": "latency p50 (ns)",
    "latency_p99_ns": "latency p99 (ns)",
    "delivered_fraction": "delivered fraction",
}


def draw(records, colours, metric_labels=None):
    records = [r for r in records if r.get("value") is not None]
    if not records:
        return None
    metric_labels = {**KNOWN_LABELS, **(metric_labels or {})}
    first_seen = {}
    for r in sorted(records, key=lambda r: str(r.get("time", ""))):
        first_seen.setdefault(str(r["commit"]), len(first_seen))
    commits = sorted(first_seen, key=first_seen.get)
    metrics = list(dict.fromkeys(r["metric"] for r in records))

    fig = new_figure(max(7, 0.5 * len(commits) + 4), 3.2 * len(metrics) + 0.6)
    axes = fig.subplots(len(metrics), 1, squeeze=False, sharex=True)[:, 0]
    for ax, metric in zip(axes, metrics):
        by_strategy = {}
        for r in records:
            if r["metric"] == metric:
                by_strategy.setdefault(r["strategy"], []).append((first_seen[str(r["commit"])],
                                                                  float(r["value"])))
        for s, pts in by_strategy.items():
            pts.sort()
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=s,
                    color=colours.get(s, "#333333"))
        ax.set_ylabel(metric_labels.get(metric, metric), fontsize=9)
        ax.set_title(metric_labels.get(metric, metric), fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, title="strategy", title_fontsize=8)
    axes[-1].set_xticks(range(len(commits)), [c[:10] for c in commits], rotation=45, ha="right",
                        fontsize=8)
    axes[-1].set_xlabel("commit (oldest left)")
    fig.suptitle("Trend over commits")
    return fig
