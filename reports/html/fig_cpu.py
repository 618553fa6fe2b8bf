"""Figure 1: receive-path CPU per packet by strategy, stacked by thread.

A bar is a strategy (its colour); its segments are threads, told apart by tint and a
grey legend: the receiver full colour, pipeline threads lighter, the unattributed rest of
the process hatched on top. Each segment is the thread's share of all repetitions'
CPU, scaled to the median receive path, so the receive-path part of the stack ends
exactly at the median its error bar is drawn around.
"""
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from reports.html import palette, threads
from reports.html.figure_files import footnote, new_figure
from reports.stats import median
from reports.html.verdicts import PATH_KEY, floor_label, floor_notes


def draw(results, colours, ratios=None):
    """ratios: optional {label: (ratio, low, high)} from the comparison section, else
    the ratio of medians to the reference (compare's, else the catalogue's default) is
    printed."""
    labels = [s for s in results.strategies if median.values(results.runs[s], PATH_KEY)]
    if not labels:
        return None
    stacks = {s: _stack(results.runs[s]) for s in labels}
    thread_labels = threads.ordered_labels(k for st in stacks.values() for k in st)
    tints = _tints(thread_labels)

    fig = new_figure(max(9, 1.1 * len(labels) + 6), 5.4)
    ax = fig.add_subplot()
    intervals = []
    for x, s in enumerate(labels):
        bottom = 0.0
        for t in thread_labels:
            height = stacks[s].get(t, 0.0)
            if height <= 0:
                continue
            hatched = t == threads.UNATTRIBUTED
            ax.bar(x, height, bottom=bottom, width=0.7, linewidth=0.6,
                   edgecolor=colours[s] if hatched else "white", hatch="///" if hatched else None,
                   color="white" if hatched else palette.tint(colours[s], tints[t]))
            bottom += height
        mi = median.median_interval(median.values(results.runs[s], PATH_KEY))
        intervals.append(mi)
        ax.errorbar(x, mi.median, yerr=[[mi.median - mi.low], [mi.high - mi.median]],
                    color="black", capsize=4, linewidth=1.2, zorder=5)
        _ratio_label(ax, x, max(bottom, mi.high), s, results, ratios)

    # The first floor strategy (the results' strategy_role): what the kernel alone costs,
    # drawn only where it is comparable with every strategy shown (verdicts.floor_notes).
    lowest = floor_label(results)
    not_comparable = floor_notes(results) if lowest in labels else {}
    floor = median.median_of(results.runs[lowest], PATH_KEY) \
        if lowest in labels and not not_comparable else None
    if floor:
        ax.axhline(floor, color=colours[lowest], linestyle="--", linewidth=1.2, zorder=4)

    ax.set_xticks(range(len(labels)), labels, rotation=20 if len(labels) > 5 else 0, ha="right"
                  if len(labels) > 5 else "center")
    for tick, s in zip(ax.get_xticklabels(), labels):
        tick.set_color(colours[s])
        tick.set_fontweight("bold")
    ax.set_ylabel("CPU time per delivered packet (ns)")
    ax.set_title("Receive-path CPU per packet, by thread")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.08)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(handles=_legend(thread_labels, tints, floor, lowest, colours),
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title_fontsize=8,
              title="thread (a tint of the\nstrategy's colour)")
    footnote(fig, median.interval_note(intervals) + " of receiver + pipeline CPU; "
             f"bar labels: ratio to {results.reference_of() or 'the reference'}"
             + (f"; no floor line: {lowest} is not a comparable floor here (the notes say why)"
                if not_comparable else ""))
    return fig


def _stack(runs):
    totals = {}
    for run in runs:
        for t, v in threads.components(run).items():
            totals[t] = totals.get(t, 0.0) + v
    middle = median.median_of(runs, PATH_KEY)
    in_path = sum(v for t, v in totals.items() if t != threads.UNATTRIBUTED)
    scale = middle / in_path if in_path else 0.0
    # The unattributed part is scaled like the rest, so its share of the stack is kept.
    return {t: v * scale for t, v in totals.items()}


def _tints(thread_labels):
    pipeline = [t for t in thread_labels if t not in (threads.RECEIVER, threads.UNATTRIBUTED)]
    out = {threads.RECEIVER: 0.0, threads.UNATTRIBUTED: 0.0}
    for i, t in enumerate(pipeline):
        out[t] = 0.35 + 0.45 * i / max(1, len(pipeline) - 1) if len(pipeline) > 1 else 0.5
    return out


def _legend(thread_labels, tints, floor, lowest, colours):
    handles = []
    for t in thread_labels:
        if t == threads.UNATTRIBUTED:
            handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="///",
                                 label="unattributed (process − every measured thread)"))
        else:
            name = "receiver thread" if t == threads.RECEIVER else f"pipeline: {t}"
            handles.append(Patch(facecolor=palette.tint("#555555", tints[t]), label=name))
    handles.append(Line2D([], [], color="black", marker="_", markersize=10,
                          label="interval of the median"))
    if floor:
        handles.append(Line2D([], [], color=colours[lowest], linestyle="--",
                              label=f"{lowest} floor (kernel receive only): {floor:,.0f} ns"))
    return handles


def _ratio_label(ax, x, top, label, results, ratios):
    text = None
    if ratios and label in ratios:
        r, lo, hi = ratios[label]
        text = f"{r:.2f}×\n[{lo:.2f}, {hi:.2f}]"
    else:
        base = results.label_of(results.reference_of(results.file_of[label]),
                                results.file_of[label])
        if base and base != label:
            a = median.median_of(results.runs[base], PATH_KEY)
            b = median.median_of(results.runs[label], PATH_KEY)
            if a:
                text = f"{b / a:.2f}×"
        elif base == label:
            text = "1.00×\n(reference)"
    if text:
        ax.annotate(text, (x, top), textcoords="offset points", xytext=(0, 4), ha="center",
                    va="bottom", fontsize=8)
