"""The stream sweep's part of the report page (sweep.json with mode "streams"): the
figure, each strategy's largest loss-free count with its spread, the ratios to the
reference, the points."""
from reports.html import figure_files
from reports.html import fig_streams
from reports.html.page import el, figure, join, swatch, table
from reports.html.units import format_rate


def render(sweep, colours, out_dir):
    part = sweep.get("streams") or {}
    parts = [el("h2", "Stream sweep")]
    fig = fig_streams.draw(sweep, colours)
    if fig is not None:
        png, svg = figure_files.save(fig, out_dir, "sweep")
        parts.append(figure(png, svg, "CPU and p99 latency against the stream count",
                            "Each strategy across stream counts; dotted lines mark the "
                            "largest loss-free count."))
    rows = []
    for s in sweep.get("strategies", []):
        c = (sweep.get("capacity") or {}).get(s, {})
        brackets = ", ".join(_bracket(k) for k in (sweep.get("knees") or {}).get(s, []))
        notes = "; ".join(dict.fromkeys(k.get("note", "")
                                        for k in (sweep.get("knees") or {}).get(s, [])))
        rows.append([join(swatch(colours.get(s, "#333")), s), _count(c.get("median")),
                     _count(c.get("min")), _count(c.get("max")),
                     f"{c.get('finished_searches', 0)} of {c.get('searches', 0)}", brackets,
                     notes])
    parts.append(table(["strategy", "largest loss-free streams (median)", "min", "max",
                        "searches finished", "bracket per search [loss-free, lossy)",
                        "how it was found"], rows, numeric_from=1, numeric_to=4))
    ref = part.get("reference")
    ratio_rows = [[s, _ratio(r.get("ratio_of_medians")), _pair(r.get("range")),
                   _pair(r.get("interval"))] for s, r in (sweep.get("ratios") or {}).items()]
    if ratio_rows:
        parts.append(table(["strategy", f"streams / {ref}'s", "range over the brackets",
                            "95 % bootstrap interval"], ratio_rows, numeric_from=1,
                           numeric_to=3))
    parts += [el("p", text, class_="note") for text in
              [f"Loss-free: {part.get('loss_free_rule', '')}."] + sweep.get("notes", [])]
    head = ["strategy", "search", "streams", "offered", "verdict", "lost", "CPU ns/packet",
            "p99 µs"]
    point_rows = [_point_row(p) for p in sweep.get("points", [])]
    parts.append(el("details", el("summary", f"All {len(point_rows)} measured points"),
                    table(head, point_rows)))
    return join(*parts)


def _count(value):
    return "-" if value is None else f"{value:g}"


def _ratio(value):
    return "-" if value is None else f"{value:.2f}"


def _pair(pair):
    pair = pair or [None, None]
    return f"{_ratio(pair[0])} to {_ratio(pair[1])}"


def _bracket(k):
    good, bad = k.get("max_loss_free_streams"), k.get("first_bad_streams")
    return f"[{_count(good)}, {_count(bad)})" + ("" if k.get("finished") else " (stopped)")


def _point_row(p):
    def number(key, scale=1.0, digits=0):
        return "-" if p.get(key) is None else f"{p[key] * scale:,.{digits}f}"
    lost = f"{p['packets_lost']:,} of {p['packets_sent']:,}" if "packets_lost" in p else "-"
    search = "-" if p.get("search") is None else str(p["search"] + 1)
    return [p["strategy"], search, str(p.get("streams", "-")), format_rate(p["offered_pps"]),
            p["verdict"] + (f": {p['error']}" if p.get("error") else ""), lost,
            number("cpu_ns_per_packet_receive_path"), number("latency_p99_ns", 1e-3, 1)]
