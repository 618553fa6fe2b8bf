"""The busy-poll trade-off on the report page, from compare.json's "busy_poll" section
(written by analyze-compare, reports/comparison/busy_poll.py): what each S+wait=X spent
in CPU against its own S and the latency it gained, with the exchange rate."""
from reports.html.page import el, join, prose, table

_FIGURES = (
    ("extra_cpu_ns_per_packet_receive_path", "extra CPU, receive path (ns/packet)", "{:+.0f}"),
    ("extra_cpu_ns_per_packet_receiver", "extra CPU, receiver thread (ns/packet)", "{:+.0f}"),
    ("latency_gained_p50_us", "p50 latency gained (µs)", "{:+.1f}"),
    ("latency_gained_p99_us", "p99 latency gained (µs)", "{:+.1f}"),
    ("p50_us_gained_per_extra_ns", "p50 µs gained per extra ns/packet", "{:.5f}"),
    ("p99_us_gained_per_extra_ns", "p99 µs gained per extra ns/packet", "{:.5f}"),
)


def render(results):
    """The section, or None when no file of the report has one."""
    rows, notes = [], []
    for index, f in enumerate(results.files):
        section = f.busy_poll or {}
        for pair in section.get("pairs", []):
            name = f"{pair.get('waiting')} vs {pair.get('sleeping')}, {pair.get('n')} pairs"
            if len(results.files) > 1:
                name += f" [{index + 1}]"
            if pair.get("skipped"):
                rows.append([name, "-", "-", f"- {pair['skipped']}"])
                continue
            for i, (key, label, form) in enumerate(_FIGURES):
                figure = pair.get(key) or {}
                rows.append([name if i == 0 else "", label, _cell(figure, form),
                             figure.get("verdict") or ""])
            notes += [f"{pair.get('waiting')}: {n}" for n in pair.get("notes", [])]
    if not rows:
        return None
    return join(
        el("h2", "Busy polling: latency gained per extra CPU"),
        el("p", prose(
            "Each S+wait=X against its own S, repetition by repetition: the extra CPU is "
            "X's per packet minus S's, the latency gained S's minus X's; medians over the "
            "pairs with 95 % paired bootstrap intervals. The exchange rate is the ratio of "
            "the two medians, its interval from the same resamples; a median of per-pair "
            "ratios would be unstable where a pair's extra CPU is near 0 or negative."),
           class_="note"),
        table(["busy polling", "figure (waiting minus sleeping, per pair)",
               "median [95 % CI]", "verdict"], rows, numeric_from=2, numeric_to=3),
        *[el("p", prose(n), class_="note") for n in notes])


def _cell(figure, form):
    if figure.get("median") is None:
        return "-"
    if figure.get("ci_low") is None:
        return f"{form.format(figure['median'])} [-]"
    return (f"{form.format(figure['median'])} [{form.format(figure['ci_low'])}, "
            f"{form.format(figure['ci_high'])}]")
