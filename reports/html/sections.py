"""The report's sections for a set of results: verdicts, figures 1-4, loss table, context.

Each function returns page HTML (page.Safe); figure functions are called here and
their files written into the output directory.
"""
import os

from reports.html import (fig_counters, fig_cpu, fig_latency, fig_loss, fig_trend,
                          figure_files,
                          verdicts as verdicts_mod)
from reports.html.page import el, figure, join, prose, swatch, table

PATH_KEY = verdicts_mod.PATH_KEY


def verdicts(results, colours):
    v = verdicts_mod.build(results)
    parts = [el("h2", "Verdict")]
    parts += [el("p", prose(line), class_="verdict") for line in v.headline]
    if v.rows:
        # The verdict column is words: left-aligned like the names.
        words_last = v.head[-1] == "verdict"
        parts.append(table(v.head, v.rows, numeric_from=2,
                           numeric_to=len(v.head) - 1 if words_last else None))
    parts += [el("p", prose(note), class_="note") for note in v.notes]
    parts.append(el("p", "Strategies: ", *[join(swatch(colours[s]), s, "  ")
                                           for s in results.strategies], class_="note"))
    return join(*parts)


def comparison_ratios(results):
    """{label: (ratio, low, high)} of receive-path CPU from the comparison sections."""
    out = {}
    for index, f in enumerate(results.files):
        for row in (f.comparison or {}).get("rows", []):
            if row.get("metric") == PATH_KEY and row.get("median_ratio") is not None \
                    and row.get("ci_low") is not None:
                label = results.label_of(row.get("strategy"), index)
                if label:
                    out[label] = (row["median_ratio"], row["ci_low"], row["ci_high"])
    return out


def _figure_block(fig, out_dir, stem, heading, alt, caption, missing):
    if fig is None:
        return join(el("h2", heading), el("p", missing, class_="note"))
    png, svg = figure_files.save(fig, out_dir, stem)
    return join(el("h2", heading), figure(png, svg, alt, prose(caption)))


def cpu(results, colours, out_dir):
    fig = fig_cpu.draw(results, colours, comparison_ratios(results))
    return _figure_block(
        fig, out_dir, "cpu_per_packet", "Receive-path CPU per packet",
        "Stacked bars of CPU per packet by thread for each strategy",
        "CPU time per delivered packet of the receiver thread and of each pipeline thread "
        "(their sum is the receive path), with the unattributed rest of the process hatched "
        "on top. The dashed line is the floor (a strategy that receives and drops): the "
        "kernel's share; it is left out where the floor woke or called the kernel more per "
        "packet than a strategy, and the notes say so.",
        "No receive-path CPU in these results.")


def latency(results, colours, out_dir):
    return _figure_block(
        fig_latency.draw(results, colours), out_dir, "latency", "Latency and jitter",
        "Latency percentiles and jitter per strategy",
        "Send timestamp in the packet to the sink pad, per strategy; RFC 3550 jitter at the sink.",
        "No latency or jitter was measured in these results.")


def loss(results, colours, out_dir):
    acc = fig_loss.account(results)
    block = _figure_block(
        fig_loss.draw(results, colours), out_dir, "loss", "Loss account",
        "Packets lost per million sent, by cause and strategy",
        "Where every packet sent went, summed over repetitions; the table has the exact counts.",
        "No packet was lost: every packet sent was delivered, in every repetition of every "
        "strategy (the counts are below)." if acc and fig_loss.nothing_lost(acc)
        else "No packet counts in these results.")
    head = ["strategy", "repetitions", "sent", "delivered"] + [l for _, l in fig_loss.CATEGORIES]
    rows = [[s, row["repetitions"], f"{row['packets_sent']:,}", f"{row['packets_delivered']:,}"]
            + [f"{row[c]:,}" for c, _ in fig_loss.CATEGORIES] for s, row in acc.items()]
    return join(block, table(head, rows)) if rows else block


def counters(results, colours, out_dir):
    missing = fig_counters.unavailable_text(results.context())
    block = _figure_block(
        fig_counters.draw(results, colours), out_dir, "counters", "Counters per packet",
        "Receiver-thread counters per packet by strategy",
        "Counters of the receiver thread (perf events, as `--counters` names them), per "
        "delivered packet.", "No counter was read in these results.")
    if missing:
        block = join(block, el("p", "Not available on this machine: ", missing, class_="note"))
    return block


CONTEXT_FIELDS = [
    ("host", "host_name"), ("CPU model", "cpu_model"), ("CPUs", "num_cpus"),
    ("kernel", "kernel_release"),
    ("GStreamer", "gstreamer_version"), ("rxbench version", "rxbench_version"),
    ("date", "date"), ("build", "library_build_type"), ("measure", "measure"),
    ("kernel timestamps", "kernel_timestamps"), ("socket receive buffer (bytes)", "rcvbuf_bytes"),
    ("receiver CPU pin", "cpu_receiver"), ("generator CPU pin", "cpu_generator"),
    ("batch", "batch"), ("buffer size", "buffer_size"), ("pool size", "pool_size"),
]


def context(results, commands=()):
    """Each results file's machine, software, scenario, pipeline and command line.
    `commands`: (title, command line, context or None) of the sweep and profile shown,
    which ran the harness themselves: their command, and the context of one of the
    runs they made (when its results file can be read)."""
    parts = [el("h2", "Context: enough to reproduce the run")]
    blocks = [(f"[{i + 1}] {f.path}", f.context, None) for i, f in enumerate(results.files)]
    blocks += [(title, c or {}, command) for title, command, c in commands]
    for title, c, command in blocks:
        parts.append(el("h3", title))
        if command:
            parts.append(el("pre", command))
        if not c:
            parts.append(el("p", "(the context of its runs could not be read)", class_="note"))
            continue
        rows = [[label, _plain(c.get(key))] for label, key in CONTEXT_FIELDS if key in c]
        scenario = c.get("scenario")
        if isinstance(scenario, dict):
            rows.append(["scenario", ", ".join(f"{k}={v}" for k, v in scenario.items())])
        elif scenario is not None:
            rows.append(["scenario", str(scenario)])
        parts.append(table(None, rows, numeric_from=99))
        parts.append(el("p", "pipeline:", class_="note"))
        parts.append(el("pre", c.get("pipeline", "(not recorded)")))
        parts.append(el("p", "harness command line:" if command else "command line:",
                        class_="note"))
        line, binary = wrapper_command(c.get("command_line"))
        parts.append(el("pre", line or
                        "(not recorded: this rxbench version does not write context.command_line)"))
        if binary:
            parts.append(el("p", f"(the harness binary ran as {binary}; ./rxbench builds it "
                                 "and runs it with these arguments)", class_="note"))
    return join(*parts)


def wrapper_command(line):
    """(command a person runs, binary path or None). The harness records its argv[0], a
    path inside Bazel's output tree; `./rxbench` with the same arguments reproduces it."""
    if not line:
        return line, None
    first, _, rest = line.partition(" ")
    if "/" in first and os.path.basename(first) == "rxbench":
        return f"./rxbench {rest}".rstrip(), first
    return line, None


def _plain(v):
    if isinstance(v, bool):
        return "yes" if v else "no"
    if v == -1:
        return "not pinned"
    return str(v)


def figures(results, colours, out_dir):
    return join(cpu(results, colours, out_dir), latency(results, colours, out_dir),
                loss(results, colours, out_dir), counters(results, colours, out_dir))


def trend(data, colours, out_dir, highlight=None):
    """`data`: history_trend.TrendData; its note says where the numbers came from, or
    why there are none (then no figure is drawn)."""
    heading = "Trend over commits"
    changes = getattr(data, "changes", [])
    fig = fig_trend.draw(data.records, colours, highlight, changes) if data.records else None
    if fig is None:
        return join(el("h2", heading), el("p", prose(data.note or "No trend records."),
                                          class_="note"))
    png, svg = figure_files.save(fig, out_dir, "trend")
    return join(el("h2", heading), figure(
        png, svg, "Gated metrics over commits, one line per strategy",
        prose("The metrics the CI gate judges (its thresholds, and packet loss) over commits, "
              "oldest left: per commit the median of its recorded repetitions, the bar their "
              "range. " + data.note + _change_points(data.records, changes))))


def _change_points(records, changes):
    """The dashed lines of figure 6 in words: which commits, how much, how sure."""
    drawn = {str(r["commit"]) for r in records}
    shown = [c for c in changes if str(c["after"]) in drawn]
    if not shown:
        return ""
    return " Change points (dashed; `rxbench history --changes`, docs/history.md): " + \
        "; ".join(f"{c['strategy']} {fig_trend.label(c['metric'])} "
                  + ("" if c["change"] is None else
                     f"{c['change'] * 100:+.1f} % ({c['low'] * 100:+.1f} … "
                     f"{c['high'] * 100:+.1f} %) ")
                  + f"from {c['before']} to {c['after']}, p {c['p_value']:.0e}"
                  for c in shown) + "."
