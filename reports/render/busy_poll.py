"""The busy-poll trade-off (reports/comparison/busy_poll.py) for a terminal and for
Markdown: one block of lines per pair, the strategy named once, the verdict last."""
import textwrap

from reports.comparison.busy_poll import latency_verdict

HEADERS = ("busy polling", "figure (waiting minus sleeping, per pair)", "median [95 % CI]",
           "verdict")


def method_line(trade_offs, confidence):
    pct = f"{confidence * 100:.4g} %"
    return (f"busy-poll trade-off: each S+wait=X against S, repetition by repetition; "
            f"medians over the pairs with {pct} paired bootstrap intervals; the exchange "
            f"rate is the ratio of the medians (intervals from the same resamples), not a "
            f"median of per-pair ratios, which a pair with ~0 or negative extra CPU makes "
            f"unstable")


def rows(trade_off):
    t = trade_off
    name = pair_name(t)
    if t.skipped:
        return [(name, "-", "-", f"- {t.skipped}")]
    return [
        (name, "extra CPU, receive path", _cell(t.extra_cpu, "{:+.0f}", " ns/packet"), ""),
        (name, "extra CPU, receiver thread",
         _cell(t.extra_receiver_cpu, "{:+.0f}", " ns/packet"), ""),
        (name, "p50 latency gained", _cell(t.gained_p50, "{:+.1f}", " µs"),
         latency_verdict(t.gained_p50) or "-"),
        (name, "p99 latency gained", _cell(t.gained_p99, "{:+.1f}", " µs"),
         latency_verdict(t.gained_p99) or "-"),
        (name, "p50 µs gained per extra ns/packet", _cell(t.rate_p50, "{:.5f}", ""), ""),
        (name, "p99 µs gained per extra ns/packet", _cell(t.rate_p99, "{:.5f}", ""), ""),
    ]


def pair_name(trade_off):
    return f"{trade_off.waiting} vs {trade_off.sleeping}, {trade_off.n} pairs"


def render_console(trade_offs, confidence):
    """The pair on a line of its own, its figures indented below (about 100 columns)."""
    lines = textwrap.wrap(method_line(trade_offs, confidence), 100)
    table = [r[1:] for t in trade_offs for r in rows(t)]
    widths = [max(len(r[i]) for r in table + [HEADERS[1:]]) for i in range(3)]
    for t in trade_offs:
        lines.append(pair_name(t) + ":")
        lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(r[1:], widths)).rstrip()
                  for r in rows(t)]
    lines += [f"note: {t.waiting}: {n}" for t in trade_offs for n in t.notes]
    return "\n".join(lines) + "\n"


def render_markdown(trade_offs, confidence):
    out = ["#### Busy polling: latency gained per extra CPU", "",
           f"_{method_line(trade_offs, confidence)}_", "",
           "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for t in trade_offs:
        for i, r in enumerate(rows(t)):
            cells = r if i == 0 else ("",) + r[1:]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    notes = [f"> note: {t.waiting}: {n}" for t in trade_offs for n in t.notes]
    if notes:
        out += [""] + notes
    return "\n".join(out) + "\n"


def _cell(figure, form, unit):
    if figure.median is None:
        return "-"
    interval = "[-]" if figure.low is None else \
        f"[{form.format(figure.low)}, {form.format(figure.high)}]"
    return f"{form.format(figure.median)}{unit} {interval}"
