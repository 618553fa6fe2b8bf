"""Figure 4: receiver-thread counters per packet, one panel per counter.

Counters have unrelated units (ns of task-clock, fractions of a context switch), so
each gets its own axis. The counters the machine could not read are named with the
C++'s reason under the figure; none is drawn as zero.
"""
from reports.stats import median
from reports.html.figure_files import footnote, new_figure


def counter_key(name):
    """'task-clock' -> 'task_clock_per_packet', the JSON field the C++ writes."""
    return name.replace("-", "_") + "_per_packet"


def unavailable_text(context):
    """'cycles, instructions: no hardware PMU (...)' grouped by reason, or ''."""
    by_reason = {}
    for name, reason in sorted((context.get("counters_unavailable") or {}).items()):
        by_reason.setdefault(str(reason), []).append(name)
    return "; ".join(f"{', '.join(names)}: {reason}" for reason, names in by_reason.items())


def draw(results, colours):
    context = results.context()
    names = [n for n in context.get("counters_available") or []
             if any(median.values(results.runs[s], counter_key(n)) for s in results.strategies)]
    if not names:
        return None
    fig = new_figure(max(7, 3.2 * len(names)), 4.6)
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    intervals = []
    for ax, name in zip(axes, names):
        key = counter_key(name)
        labels = [s for s in results.strategies if median.values(results.runs[s], key)]
        for x, s in enumerate(labels):
            mi = median.median_interval(median.values(results.runs[s], key))
            intervals.append(mi)
            ax.bar(x, mi.median, color=colours[s], width=0.7, label=s)
            ax.errorbar(x, mi.median, yerr=[[mi.median - mi.low], [mi.high - mi.median]],
                        color="black", capsize=3, linewidth=1)
        ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
        ax.set_title(name, fontsize=10)
        ax.set_ylabel(_unit(name))
        ax.grid(axis="y", alpha=0.3)
    # Beside the last panel, not on it: a legend inside covered its bars.
    axes[-1].legend(fontsize=7, title="strategy", title_fontsize=7, loc="upper left",
                    bbox_to_anchor=(1.02, 1))
    fig.suptitle("Receiver-thread counters per delivered packet (median of repetitions)")
    missing = unavailable_text(context)
    footnote(fig, median.interval_note(intervals)
             + (f". Not available: {missing}" if missing else ""))
    return fig


def _unit(name):
    if name in ("task-clock", "cpu-clock"):
        return "ns per packet"
    return "events per packet"
