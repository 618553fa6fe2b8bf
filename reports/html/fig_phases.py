"""The profile's fallback without perf, drawn: time per phase of the receive loop, measured
by the harness.

`run --phase-timing` samples the loop's phases in place (as the measuring cost is
sampled) and writes `phase_ns_per_packet` {receive_call, acquire, validate_stamp, push}.
It sees only the receiver thread's own loop, not the pipeline threads or the kernel
beyond the syscall, which is why perf is preferred when it works.
"""
from reports.html.figure_files import footnote, new_figure

PHASES = [("receive_call", "receive call"), ("acquire", "buffer acquire"),
          ("validate_stamp", "validate + stamp"), ("push", "push")]


def draw(per_strategy, colours):
    """per_strategy: {strategy: {phase: ns per packet}}; grouped bars, strategy colours."""
    labels = [s for s, phases in per_strategy.items() if phases]
    if not labels:
        return None
    fig = new_figure(8, 4.5)
    ax = fig.add_subplot()
    width = 0.8 / len(labels)
    for i, s in enumerate(labels):
        xs = [j - 0.4 + width * (i + 0.5) for j in range(len(PHASES))]
        ax.bar(xs, [per_strategy[s].get(k) or 0 for k, _ in PHASES], width=width,
               color=colours[s], label=s)
    ax.set_xticks(range(len(PHASES)), [label for _, label in PHASES])
    ax.set_ylabel("ns per packet (receiver thread)")
    ax.set_title("Receive loop time by phase (perf unavailable: in-loop sampled timing)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, title="strategy", title_fontsize=8)
    footnote(fig, "Thread CPU time of each phase, read on one batch in 64 inside the receive "
             "loop (the clock reads are part of it); pipeline threads are not covered.")
    return fig
