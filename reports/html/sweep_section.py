"""The sweep's part of the report page: the figure, each strategy's knee, the points
(a stream sweep's is streams_section.py)."""
from reports.html import figure_files, streams_section
from reports.html.page import el, figure, join, swatch, table
from reports.html import fig_sweep as sweep_figure
from reports.html.units import format_rate


def strategies(doc):
    return list((doc or {}).get("sweep", {}).get("strategies", []))


def render(doc, colours, out_dir):
    sweep = doc.get("sweep", {})
    if sweep.get("mode") == "streams":
        return streams_section.render(sweep, colours, out_dir)
    parts = [el("h2", "Rate sweep")]
    fig = sweep_figure.draw(sweep, colours)
    if fig is not None:
        png, svg = figure_files.save(fig, out_dir, "sweep")
        parts.append(figure(png, svg, "CPU, loss and p99 latency against offered rate",
                            "Each strategy across offered rates; dotted lines mark the maximum "
                            "loss-free rate."))
    knees = sweep.get("knees") or {}
    rows = []
    for s in strategies(doc):
        k = knees.get(s, {})
        best = k.get("max_loss_free_pps")
        rows.append([join(swatch(colours.get(s, "#333")), s),
                     format_rate(best) if best else "none found",
                     format_rate(k["first_bad_pps"]) if k.get("first_bad_pps") else "-",
                     k.get("note", "")])
    parts.append(table(["strategy", "max loss-free rate (pps)", "first rate not loss-free",
                        "how it was found"], rows, numeric_from=1, numeric_to=3))
    parts += [el("p", note, class_="note") for note in sweep.get("notes", [])]
    head = ["strategy", "offered", "achieved", "verdict", "lost", "CPU ns/packet", "p99 µs"]
    point_rows = [_point_row(p) for p in sweep.get("points", [])]
    parts.append(el("details", el("summary", f"All {len(point_rows)} measured points"),
                    table(head, point_rows)))
    return join(*parts)


def _point_row(p):
    def number(key, scale=1.0, digits=0):
        return "-" if p.get(key) is None else f"{p[key] * scale:,.{digits}f}"
    lost = f"{p['packets_lost']:,} of {p['packets_sent']:,}" if "packets_lost" in p else "-"
    return [p["strategy"], format_rate(p["offered_pps"]),
            format_rate(p["achieved_pps"]) if p.get("achieved_pps") else "-",
            p["verdict"] + (f": {p['error']}" if p.get("error") else ""), lost,
            number("cpu_ns_per_packet_receive_path"), number("latency_p99_ns", 1e-3, 1)]
