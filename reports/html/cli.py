"""`rxbench report RESULTS... [--out DIR]`, and `render()`, which other commands call.

    rxbench report out/compare.json --out report/
    rxbench report a/compare.json b/compare.json --sweep sweep/sweep.json --out report/

The directory gets index.html plus every figure as PNG and SVG; nothing outside it
is referenced, so it can be copied, attached to CI or opened offline.
"""
import datetime
import os
import sys

from reports.html import load, palette, sections
from reports.html.page import document, el, join
from reports.usage import ArgumentParser, UsageError, run_main
from reports.profile import section as profile_section
from reports.sweep import section as sweep_section


def render(results_paths, out_dir, history_db=None, sweep=None, profile=None,
           trend_records=None):
    """Writes out_dir/index.html and its figures; returns the path of index.html.

    results_paths: results JSON files, or one path (may be empty when only a sweep or
        profile is shown).
    sweep, profile: path of sweep.json / profile.json, or the parsed document.
    trend_records: [{commit, time, strategy, metric, value}] read from history_db by the caller.
    """
    if isinstance(results_paths, (str, os.PathLike)):
        results_paths = [results_paths]  # `compare --report` hands over one file
    os.makedirs(out_dir, exist_ok=True)
    results = load.load(results_paths)
    sweep_doc = _document(sweep)
    profile_doc = _document(profile)
    names = list(results.strategies)
    names += sweep_section.strategies(sweep_doc) + profile_section.strategies(profile_doc)
    names += [r.get("strategy") for r in trend_records or []]
    colours = palette.colours(list(dict.fromkeys(n for n in names if n)))

    body = [el("h1", _title(results, sweep_doc, profile_doc)),
            el("p", f"Generated {datetime.datetime.now().isoformat(timespec='seconds')} from "
               + (", ".join(f"[{i + 1}] {f.path}" for i, f in enumerate(results.files))
                  or "no results file") + ".", class_="note")]
    if results.strategies:
        body += [sections.verdicts(results, colours), sections.figures(results, colours, out_dir)]
    if sweep_doc:
        body.append(sweep_section.render(sweep_doc, colours, out_dir))
    if results.strategies or trend_records or history_db:
        body.append(sections.trend(trend_records, colours, out_dir, history_db))
    if profile_doc:
        base = os.path.dirname(os.path.abspath(profile)) if isinstance(profile, str) else None
        body.append(profile_section.render(profile_doc, colours, out_dir, base))
    if results.files:
        body.append(sections.context(results))
    index = os.path.join(out_dir, "index.html")
    with open(index, "w", encoding="utf-8") as f:
        f.write(document("rxbench report", body))
    return index


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
    p = ArgumentParser(prog="rxbench report",
                       description="Render results JSON files into a self-contained HTML report.")
    p.add_argument("results", nargs="*", metavar="RESULTS",
                   help="results JSON files (compare.json or run --out files)")
    p.add_argument("--out", default="report", help="output directory (default: report)")
    p.add_argument("--sweep", help="sweep.json written by `rxbench sweep`")
    p.add_argument("--profile", help="profile.json written by `rxbench profile`")
    p.add_argument("--history-db", help="history database (its trend is drawn when connected)")
    args = p.parse_args(argv)
    if not (args.results or args.sweep or args.profile):
        raise UsageError("report: give at least one RESULTS file, --sweep or --profile")
    return args


def main(argv):
    """The subcommand: exit code 0/1/2, errors as one line on stderr (any dispatcher)."""
    return run_main(_main, argv)


def _main(argv):
    args = parse(argv)
    index = render(args.results, args.out, history_db=args.history_db,
                   sweep=args.sweep, profile=args.profile)
    print(f"report: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
