"""The comparison table for a terminal: one line per strategy x metric, about 100
columns, the strategy named once per block."""
from reports.render.cells import geomean_line, headers, method_line, row_cells


def render_console(analysis):
    lines = [method_line(analysis)]
    table = [headers(analysis)]
    previous = None
    for row in analysis.rows:
        cells = row_cells(row)
        shown = cells[0] if cells[0] != previous else ""
        previous = cells[0]
        table.append((shown,) + cells[1:])
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        # Text columns left-aligned; p and n right-aligned so digits line up.
        text = [r[i].ljust(widths[i]) for i in range(4)] + \
               [r[i].rjust(widths[i]) for i in range(4, len(r))]
        lines.append("  ".join(text).rstrip())
    summary = geomean_line(analysis)
    if summary:
        lines.append(summary)
    lines += [f"warning: {w}" for w in analysis.warnings]
    return "\n".join(lines) + "\n"
