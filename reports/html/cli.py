"""`rxbench report RESULTS... [--out DIR]`, and `render()`, which other commands call.

    rxbench report out/compare.json --out report/
    rxbench report a/compare.json b/compare.json --sweep sweep/sweep.json --out report/
    rxbench report out/compare.json --db ci-history.db --out report/

The trend over commits (figure 6) is read from --db, else from the default history
database when it exists (where `compare --record` and `ci` record), for the results'
strategies, host, scenario and options; --no-history leaves it out.

The directory gets index.html plus every figure as PNG and SVG; nothing outside it
is referenced, so it can be copied, attached to CI or opened offline.
"""
import os
import sys

from reports.html import history_trend, load, report
from reports.history.db import check_target, is_postgresql
from reports.history.paths import default_db_path
from reports.usage import ArgumentParser, UsageError, run_main


def render(results_paths, out_dir, history_db=None, sweep=None, profile=None,
           trend_records=None, trend_metrics=None):
    """Reads the inputs, then writes out_dir/index.html and its figures (report.py);
    returns the path of index.html.

    results_paths: results JSON files, or one path (may be empty when only a sweep or
        profile is shown).
    history_db: the history database the trend (figure 6) is read from; None: no trend
        (callers choose it with history_trend.resolve_db).
    sweep, profile: path of sweep.json / profile.json, or the parsed document.
    trend_records: [{commit, time, strategy, metric, value}] to draw instead of reading
        history_db.
    trend_metrics: the gated metric keys (a `ci --config`'s thresholds); default the
        gate's defaults.
    """
    if isinstance(results_paths, (str, os.PathLike)):
        results_paths = [results_paths]  # `compare --report` hands over one file
    # Every input is read before anything is written: a file that does not parse (e.g.
    # truncated) is a usage error that leaves no half-made report behind.
    results = load.load(results_paths)
    sweep_doc, sweep_dir = _document(sweep, out_dir)
    profile_doc, profile_dir = _document(profile, out_dir)
    trend = None
    if trend_records is not None:
        trend = history_trend.TrendData(records=list(trend_records))
    elif results.strategies:
        trend = history_trend.read(history_db, results.context(),
                                   list(dict.fromkeys(results.base_name.values())),
                                   history_trend.gated_metrics(trend_metrics))
    return report.render(out_dir, results, sweep=sweep_doc, profile=profile_doc,
                         profile_dir=profile_dir, sweep_dir=sweep_dir, trend=trend)


def render_of_run(results_path, out_dir, history_db=None, trend_metrics=None):
    """The report `compare --report` and `ci --report` write: the trend from the database
    the run was recorded in (--db), else from the default one when it exists, as
    `rxbench report` does."""
    return render(results_path, out_dir, history_db=history_trend.resolve_db(history_db),
                  trend_metrics=trend_metrics)


def _document(value, out_dir):
    """(parsed document, the directory its relative file names point into)."""
    if value is None or isinstance(value, dict):
        return value, out_dir
    return load.read_json(value), os.path.dirname(os.path.abspath(value))


def parse(argv):
    p = ArgumentParser(command="report",
                       description="Render results JSON files into a self-contained HTML report.")
    p.add_argument("results", nargs="*", metavar="RESULTS",
                   help="results JSON files (compare.json or run --out files)")
    p.add_argument("--out", default="report", help="output directory (default: report)")
    p.add_argument("--sweep", help="sweep.json written by `rxbench sweep`")
    p.add_argument("--profile", help="profile.json written by `rxbench profile`")
    history = p.add_mutually_exclusive_group()
    history.add_argument("--db", "--history-db", dest="db", metavar="PATH|URL",
                         help="history database the trend over commits is drawn from "
                              f"(default {default_db_path()}, when it exists)")
    history.add_argument("--no-history", action="store_true",
                         help="no trend, even when the default history database exists")
    args = p.parse_args(argv)
    if not (args.results or args.sweep or args.profile):
        raise UsageError("report: give at least one RESULTS file, --sweep or --profile")
    if args.db:
        check_target(args.db)
    if args.db and not is_postgresql(args.db) and not os.path.isfile(args.db):
        raise UsageError(f"report: --db {args.db}: no such history database")
    return args


def main(argv):
    """The subcommand: exit code 0/1/2, errors as one line on stderr (any dispatcher)."""
    return run_main(_main, argv)


def _main(argv):
    args = parse(argv)
    db = None if args.no_history else history_trend.resolve_db(args.db)
    index = render(args.results, args.out, history_db=db, sweep=args.sweep,
                   profile=args.profile)
    print(f"report: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
