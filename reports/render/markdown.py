"""The comparison as Markdown, for a merge-request comment."""
from reports.render.cells import geomean_line, headers, method_line, row_cells
from reports.stats.verdict import NO_CHANGE, TOO_FEW


def render_markdown(analysis, title="rxbench comparison", summary_lines=()):
    """`summary_lines` (e.g. the CI gate's decision) come right after the title: the
    verdict before the details."""
    out = [f"### {title}", ""]
    if summary_lines:
        out += list(summary_lines) + [""]
    out += [f"_{method_line(analysis)}_", "",
            "| " + " | ".join(headers(analysis)) + " |",
            "|" + "---|" * len(headers(analysis))]
    for row in analysis.rows:
        cells = [_escape(c) for c in row_cells(row)]
        if row.verdict not in (None, NO_CHANGE, TOO_FEW):
            cells[2] = f"**{cells[2]}**"   # significant changes stand out
        out.append("| " + " | ".join(cells) + " |")
    summary = geomean_line(analysis)
    if summary:
        out += ["", summary]
    if analysis.warnings:
        out += [""] + [f"> warning: {_escape(w)}" for w in analysis.warnings]
    return "\n".join(out) + "\n"


def _escape(text):
    return text.replace("|", "\\|")
