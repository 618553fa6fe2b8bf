"""`rxbench history`: the trend of one metric over the recorded runs, or its change
points (--changes); `--import` records results files (runs kept when recording failed)."""
import json
import sys

from reports.history import change_list, store, unrecorded
from reports.history.db import open_db
from reports.history.paths import default_db_path
from reports.history.trend import as_json, render_trend, trend_rows
from reports.results.metrics import RECEIVE_PATH_CPU, lookup
from reports.usage import ArgumentParser, UsageError


def parser():
    p = ArgumentParser(command="history",
                       description="The trend of a metric over the runs recorded in the "
                                   "history database (compare --record, ci).")
    p.add_argument("--strategy", help="only this strategy")
    p.add_argument("--metric", default=RECEIVE_PATH_CPU.key,
                   help=f"a metric key of the results JSON (default {RECEIVE_PATH_CPU.key})")
    p.add_argument("--last", type=int, default=None, metavar="N",
                   help="the last N runs (default 20; with --changes every run)")
    p.add_argument("--host", help="only runs recorded on this host")
    p.add_argument("--scenario", help="only runs of this scenario")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--changes", action="store_true",
                   help="list the change points of each strategy's series instead of the "
                        "trend (docs/history.md)")
    p.add_argument("--markdown", action="store_true",
                   help="with --changes: print Markdown, for a nightly job to post")
    p.add_argument("--import", dest="import_files", nargs="+", metavar="FILE",
                   help="record these results files (e.g. the unrecorded-*.json ci keeps "
                        "when recording failed) instead of printing a trend")
    p.add_argument("--db", default=None, metavar="PATH|URL",
                   help=f"history database: a SQLite file (default {default_db_path()}) or "
                        "postgresql://USER@HOST:PORT/DB (password from PGPASSFILE, "
                        "PGPASSWORD or a service file)")
    return p


def main(argv):
    args = parser().parse_args(argv)
    if args.last is not None and args.last < 1:
        raise UsageError("history: --last must be at least 1")
    if args.markdown and not args.changes:
        raise UsageError("history: --markdown goes with --changes")
    metric = lookup(args.metric)
    conn = open_db(args.db or default_db_path())
    if args.import_files:
        for path in args.import_files:
            run_id, fresh = unrecorded.record_file(conn, path)
            print(f"recorded {path} as run {run_id}" if fresh else
                  f"already recorded: {path} is run {run_id}")
        return 0
    last = args.last or (sys.maxsize if args.changes else 20)
    rows = trend_rows(store.trend_values(conn, metric.key, args.strategy, args.host,
                                         args.scenario, last))
    if args.changes:
        return _changes(args, metric, rows)
    if args.json:
        print(json.dumps(as_json(rows, metric), indent=1))
    elif rows:
        print(render_trend(rows, metric), end="")
    else:
        print(f"no recorded runs with {metric.key} match")
    return 0


def _changes(args, metric, rows):
    found = change_list.find(metric, rows)
    series = change_list.series_of(rows)
    examined = (f"{len(series)} series of {metric.key} "
                f"({sum(len(points) for points in series.values())} points)")
    if args.json:
        print(json.dumps(change_list.as_json(found), indent=1))
    elif args.markdown:
        print(change_list.render_markdown(found, examined), end="")
    elif found:
        print(change_list.render_table(found), end="")
    else:
        print(f"no change point in {examined}")
    return 0
