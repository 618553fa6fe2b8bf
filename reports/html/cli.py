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
import datetime
import os
import sys

from reports.html import history_trend, load, palette, sections
from reports.html.page import document, el, join
from reports.history.paths import default_db_path
from reports.usage import ArgumentParser, UsageError, run_main
from reports.profile import section as profile_section
from reports.sweep import section as sweep_section


def render(results_paths, out_dir, history_db=None, sweep=None, profile=None,
           trend_records=None, trend_metrics=None):
    """Writes out_dir/index.html and its figures; returns the path of index.html.

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
    sweep_doc = _document(sweep)
    profile_doc = _document(profile)
    os.makedirs(out_dir, exist_ok=True)
    trend = None
    if trend_records is not None:
        trend = history_trend.TrendData(records=list(trend_records))
    elif results.strategies:
        trend = history_trend.read(history_db, results.context(),
                                   list(dict.fromkeys(results.base_name.values())),
                                   history_trend.gated_metrics(trend_metrics))
    names = list(results.strategies)
    names += sweep_section.strategies(sweep_doc) + profile_section.strategies(profile_doc)
    names += [r.get("strategy") for r in trend.records] if trend else []
    colours = palette.colours(list(dict.fromkeys(n for n in names if n)))

    body = [el("h1", _title(results, sweep_doc, profile_doc)),
            el("p", f"Generated {datetime.datetime.now().isoformat(timespec='seconds')} from "
               + (", ".join(f"[{i + 1}] {f.path}" for i, f in enumerate(results.files))
                  or "no results file") + ".", class_="note")]
    if results.strategies:
        body += [sections.verdicts(results, colours), sections.figures(results, colours, out_dir)]
    if sweep_doc:
        body.append(sweep_section.render(sweep_doc, colours, out_dir))
    if trend is not None:
        body.append(sections.trend(trend, colours, out_dir, _own_commit(results)))
    if profile_doc:
        base = os.path.dirname(os.path.abspath(profile)) if isinstance(profile, str) else None
        body.append(profile_section.render(profile_doc, colours, out_dir, base))
    commands = _commands(sweep_doc, sweep, out_dir, "sweep") \
        + _commands(profile_doc, profile, out_dir, "profile")
    if results.files or commands:
        body.append(sections.context(results, commands))
    index = os.path.join(out_dir, "index.html")
    with open(index, "w", encoding="utf-8") as f:
        f.write(document("rxbench report", body))
    return index


def render_of_run(results_path, out_dir, history_db=None, trend_metrics=None):
    """The report `compare --report` and `ci --report` write: the trend from the database
    the run was recorded in (--db), else from the default one when it exists, as
    `rxbench report` does."""
    return render(results_path, out_dir, history_db=history_trend.resolve_db(history_db),
                  trend_metrics=trend_metrics)


def _commands(doc, given, out_dir, key):
    """[(title, command line, context of its first run)] of a sweep or profile document.
    Its results files are relative to the document's directory: that of the path given,
    or out_dir when the caller (sweep, profile) handed the parsed document over."""
    if not doc:
        return []
    part = doc.get(key, {})
    base = os.path.dirname(os.path.abspath(given)) if isinstance(given, str) else out_dir
    entries = part.get("points") if key == "sweep" else part.get("strategies")
    context = None
    for entry in entries or []:
        if entry.get("results_file"):
            try:
                context = load.read_json(os.path.join(base, entry["results_file"])).get(
                    "context")
            except UsageError:
                continue
            if context:
                break
    return [(f"rxbench {key}: its command, and the context of its first run",
             part.get("command_line") or "(not recorded)", context)]


def _own_commit(results):
    """The commit the report's own results were recorded under (compare --commit, or the
    version the harness wrote)."""
    c = results.context()
    return (c.get("invocation") or {}).get("commit") or c.get("rxbench_version")


def _document(value):
    if value is None or isinstance(value, dict):
        return value
    return load.read_json(value)


def _title(results, sweep_doc, profile_doc):
    c = results.context()
    if c:
        scenario = c.get("scenario")
        name = scenario.get("name") if isinstance(scenario, dict) else scenario
        return join("rxbench report: ", ", ".join(results.strategies),
                    f" on scenario {name}, host {c.get('host_name', '?')}")
    if sweep_doc:
        return "rxbench rate sweep"
    return "rxbench profile" if profile_doc else "rxbench report"


def parse(argv):
    p = ArgumentParser(command="report",
                       description="Render results JSON files into a self-contained HTML report.")
    p.add_argument("results", nargs="*", metavar="RESULTS",
                   help="results JSON files (compare.json or run --out files)")
    p.add_argument("--out", default="report", help="output directory (default: report)")
    p.add_argument("--sweep", help="sweep.json written by `rxbench sweep`")
    p.add_argument("--profile", help="profile.json written by `rxbench profile`")
    history = p.add_mutually_exclusive_group()
    history.add_argument("--db", "--history-db", dest="db", metavar="PATH",
                         help="history database the trend over commits is drawn from "
                              f"(default {default_db_path()}, when it exists)")
    history.add_argument("--no-history", action="store_true",
                         help="no trend, even when the default history database exists")
    args = p.parse_args(argv)
    if not (args.results or args.sweep or args.profile):
        raise UsageError("report: give at least one RESULTS file, --sweep or --profile")
    if args.db and not os.path.isfile(args.db):
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
