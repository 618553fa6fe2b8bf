"""`python3 -m reports analyze-compare HANDOFF.json`, run by ./rxbench after `compare`.

The C++ compare validated the analysis options and recorded them in
context.invocation (reference, markdown, report, record, db, commit, out_file); this
prints the paired comparison after the C++ table, then the busy-poll trade-off where
S and S+wait=X both ran, adds the "comparison" (and "busy_poll") sections to out_file,
and writes what was asked for.
"""
import os
import tempfile

from reports.comparison import busy_poll
from reports.comparison.busy_poll_section import to_busy_poll_section
from reports.comparison.compare_file import analyze_compare_file
from reports.comparison.section import to_section
from reports.files import read_json, write_atomically, write_json_atomically
from reports.history import store, unrecorded
from reports.history.db import HistoryError, open_db, shown
from reports.history.paths import default_db_path
from reports.history.run_info import describe
from reports.optional import render_report
from reports.render import busy_poll as busy_poll_render
from reports.render.console import render_console
from reports.render.markdown import render_markdown
from reports.results.load import from_dict
from reports.usage import ArgumentParser, say


def parser():
    p = ArgumentParser(command="analyze-compare",
                       description="Paired statistics for a `compare` results file "
                                   "(run by ./rxbench after compare).")
    p.add_argument("handoff", metavar="HANDOFF.json",
                   help="results JSON written by compare (RXBENCH_HANDOFF)")
    return p


def main(argv):
    args = parser().parse_args(argv)
    data = read_json(args.handoff, "results file")
    results = from_dict(data, args.handoff)
    invocation = results.invocation
    analysis = analyze_compare_file(results, invocation.get("reference"))
    print()
    print(render_console(analysis), end="", flush=True)
    # Each S+wait=X against its own S, whatever the reference (none: no section).
    trade_offs = busy_poll.trade_offs(results, analysis.confidence)
    if trade_offs:
        print()
        print(busy_poll_render.render_console(trade_offs, analysis.confidence), end="",
              flush=True)

    out_file = invocation.get("out_file")
    if out_file:
        # The sections go into compare's own output file, whole or not at all.
        data["comparison"] = to_section(analysis)
        if trade_offs:
            data["busy_poll"] = to_busy_poll_section(trade_offs, analysis.confidence)
        write_json_atomically(out_file, data)
    if invocation.get("markdown"):
        markdown = render_markdown(analysis)
        if trade_offs:
            markdown += "\n" + busy_poll_render.render_markdown(trade_offs, analysis.confidence)
        write_atomically(invocation["markdown"], markdown)
    code = 0
    if invocation.get("record"):
        code = _record(invocation, results)
    if invocation.get("report"):
        # After recording: the trend then ends with this run.
        render_report(out_file if out_file and os.path.exists(out_file) else args.handoff,
                      invocation["report"], history_db=invocation.get("db"))
    return code


def _record(invocation, results):
    """Records the run; when the database cannot take it, keeps it for `history --import`
    and exits 2 (the results and the comparison above are already written)."""
    db = invocation.get("db") or default_db_path()
    info = describe(results.context, invocation.get("commit"))
    try:
        conn = open_db(db)
        try:
            run_id = store.record(conn, info, results.iterations)
        finally:
            conn.close()
    except HistoryError as e:
        kept = unrecorded.write(os.path.join(tempfile.mkdtemp(prefix="rxbench-unrecorded-"),
                                             "unrecorded.json"),
                                info, results.context, results.iterations)
        say(f"recording in the history failed: {e}")
        say(f"the run is kept; record it later with `rxbench history --import {kept}"
            f"{' --db ' + shown(db) if invocation.get('db') else ''}`")
        return 2
    say(f"recorded as run {run_id} in {shown(db)}")
    return 0
