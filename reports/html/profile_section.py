"""The profile's part of the report: strategies side by side, thread by thread.

A table with one column per strategy and one row per receive-path thread (the
receiver first, then the pipeline threads by name), each cell holding that thread's
flame graph and its top functions, so a reader compares the same thread across
strategies by looking across a row. Generator and harness threads are summed in a
note: they are not part of the receive path.
"""
import os
import shutil

from reports.html import figure_files
from reports.html.page import el, figure, join, swatch, table, void
from reports.html import fig_phases as phases

FEW_SAMPLES = 200
MINOR_SHARE = 0.01  # pipeline threads below this share of every strategy's samples: a note


def strategies(doc):
    return [e["strategy"] for e in (doc or {}).get("profile", {}).get("strategies", [])]


def render(doc, colours, out_dir, base_dir=None):
    """base_dir: where profile.json's relative file names point (its directory); its
    flame graphs are copied into out_dir so the report stays self-contained."""
    prof = doc.get("profile", {})
    entries = prof.get("strategies", [])
    if base_dir and os.path.abspath(base_dir) != os.path.abspath(out_dir):
        _copy_flame_graphs(entries, base_dir, out_dir)
    parts = [el("h2", "Profile: where each strategy spends its time")]
    if prof.get("method") == "phase-timing":
        return join(*parts, *_phase_timing(prof, entries, colours, out_dir))
    parts.append(el("p", f"perf record -e {prof.get('event')} --call-graph {prof.get('unwinding')} "
                    f"at {prof.get('frequency_hz')} Hz, one run per strategy; kernel frames end "
                    "in [k], functions of stripped libraries show as [library]. Percentages are of "
                    "the thread's samples: self = the function itself, total = with its callees.",
                    class_="note"))
    parts.append(_cpu_table(entries, colours))
    rows, minor = _thread_rows(entries)
    head = [""] + [join(swatch(colours.get(e["strategy"], "#333")), e["strategy"]) for e in entries]
    body = []
    for key in rows:
        cells = [el("th", _row_title(key))]
        for e in entries:
            t = _thread(e, key)
            cells.append(el("td", _top_table(t) if t else "(no samples)"))
        body.append(el("tr", *cells))
    parts.append(el("h3", "Top functions, thread by thread"))
    parts.append(el("table", el("thead", el("tr", *[el("th", h) for h in head])),
                    el("tbody", *body), class_="profile"))
    parts.append(el("h3", "Flame graphs"))
    for i, key in enumerate(rows):
        graphs = [_flame(e, _thread(e, key)) for e in entries if _thread(e, key)]
        # <details> folds without script; the receiver's graphs are open.
        parts.append(el("details", el("summary", _row_title(key)), *graphs,
                        open="open" if i == 0 else None))
    others = [f"{e['strategy']}: "
              + ", ".join(f"{t['comm']} ({t['role']}) {t['samples']} samples"
                          for t in e.get("threads", [])
                          if (t["role"], t["comm"]) in minor
                          or t["role"] not in ("receiver", "pipeline"))
              for e in entries]
    parts.append(el("p", "Also recorded, not shown (not part of the receive path, or under "
                    f"{MINOR_SHARE:.0%} of a strategy's receive-path samples): "
                    + "; ".join(others) + ".", class_="note"))
    return join(*parts)


def _copy_flame_graphs(entries, base_dir, out_dir):
    for e in entries:
        for t in e.get("threads", []):
            target = os.path.join(out_dir, t["flamegraph"])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(base_dir, t["flamegraph"]), target)


def _row_title(key):
    return "receiver thread" if key[0] == "receiver" else f"pipeline thread {key[1]}"


def _thread_rows(entries):
    """(role, comm) keys to show, receiver first, and the minor pipeline threads left out."""
    shares = {}
    for e in entries:
        path = sum(t["samples"] for t in e.get("threads", [])
                   if t["role"] in ("receiver", "pipeline")) or 1
        for t in e.get("threads", []):
            if t["role"] == "pipeline":
                key = ("pipeline", t["comm"])
                shares[key] = max(shares.get(key, 0), t["samples"] / path)
    shown = sorted(k for k, share in shares.items() if share >= MINOR_SHARE)
    minor = {k for k, share in shares.items() if share < MINOR_SHARE}
    return [("receiver", "receiver thread")] + shown, minor


def _thread(entry, key):
    for t in entry.get("threads", []):
        if t["role"] == key[0] and (key[0] == "receiver" or t["comm"] == key[1]):
            return t
    return None


def _top_table(t):
    few = " (few: run longer for a steadier picture)" if t["samples"] < FEW_SAMPLES else ""
    head = el("p", el("b", t["comm"]),
              f": {t['cpu_ns'] / 1e6:,.1f} ms CPU, {t['samples']:,} samples{few}")
    rows = [[f["function"], f"{f['self_pct']:.1f}", f"{f['total_pct']:.1f}"] for f in t["top"]]
    return join(head, table(["function", "self %", "total %"], rows))


def _flame(entry, t):
    return el("figure", el("a", void("img", src=t["flamegraph"],
                                     alt=f"flame graph of {entry['strategy']}, thread {t['comm']}"),
                           href=t["flamegraph"]),
              el("figcaption", f"{entry['strategy']}: thread {t['comm']}, {t['samples']:,} samples "
                               f"({t['cpu_ns'] / 1e6:,.1f} ms CPU). Hover a box for its numbers "
                               "(open the SVG on its own)."))


def _cpu_table(entries, colours):
    """CPU per delivered packet by thread, from the samples: the 'why' in one table."""
    rows = []
    for e in entries:
        delivered = e.get("packets_delivered")
        by_role = {}
        for t in e.get("threads", []):
            by_role[t["role"]] = by_role.get(t["role"], 0) + t["cpu_ns"]
        fmt = (lambda ns: f"{ns / delivered:,.0f}") if delivered else (lambda ns: "-")
        rows.append([join(swatch(colours.get(e["strategy"], "#333")), e["strategy"]),
                     f"{e.get('samples', 0):,}", fmt(by_role.get("receiver", 0)),
                     fmt(by_role.get("pipeline", 0)),
                     fmt(by_role.get("receiver", 0) + by_role.get("pipeline", 0))])
    return table(["strategy", "samples", "receiver ns/packet", "pipeline ns/packet",
                  "receive path ns/packet"], rows)


def _phase_timing(prof, entries, colours, out_dir):
    parts = [el("p", f"perf is unusable here: {prof.get('perf_unusable')}. Shown instead: the "
                     "harness's in-loop timing of the receiver's phases (--phase-timing).",
                class_="verdict")]
    per = {e["strategy"]: e.get("phase_ns_per_packet") or {} for e in entries}
    fig = phases.draw(per, colours)
    if fig is not None:
        png, svg = figure_files.save(fig, out_dir, "phases")
        parts.append(figure(png, svg, "receive loop time by phase", "ns per packet by phase."))
    rows = [[s] + [f"{p.get(k, 0):,.0f}" for k, _ in phases.PHASES] for s, p in per.items()]
    parts.append(table(["strategy"] + [label for _, label in phases.PHASES], rows))
    return parts
