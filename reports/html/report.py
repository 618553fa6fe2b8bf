"""The report page from data already read: results, a sweep, a profile, a trend.

This is the one renderer every view feeds: `rxbench report` (cli.py) reads its files
and the history database and hands them over; `sweep` and `profile` hand over the
document they just made. Nothing here imports the commands it draws for.
"""
import datetime
import os

from reports.html import (busy_poll_section, load, palette, profile_section, sections,
                          sweep_section)
from reports.html.page import document, el, join
from reports.results import catalogue as strategy_catalogue
from reports.usage import UsageError


def render(out_dir, results=None, sweep=None, profile=None, profile_dir=None, trend=None,
           sweep_dir=None):
    """Writes out_dir/index.html and its figures; returns the path of index.html.

    results: load.Results (None: no results files). sweep, profile: the parsed
    sweep.json / profile.json documents; sweep_dir, profile_dir: the directories their
    relative file names point into (None: out_dir, where sweep and profile write them).
    trend: history_trend.TrendData or anything with `records` and `note` (None: no trend
    section).
    """
    results = results or load.Results()
    os.makedirs(out_dir, exist_ok=True)
    names = list(results.strategies)
    names += sweep_section.strategies(sweep) + profile_section.strategies(profile)
    names += [r.get("strategy") for r in trend.records] if trend else []
    colours = palette.colours(list(dict.fromkeys(n for n in names if n)),
                              _catalogue(results, sweep, sweep_dir or out_dir, profile,
                                         profile_dir or out_dir))

    body = [el("h1", _title(results, sweep, profile)),
            el("p", f"Generated {datetime.datetime.now().isoformat(timespec='seconds')} from "
               + (", ".join(f"[{i + 1}] {f.path}" for i, f in enumerate(results.files))
                  or "no results file") + ".", class_="note")]
    if results.strategies:
        body += [sections.verdicts(results, colours), sections.figures(results, colours, out_dir)]
        trade_off = busy_poll_section.render(results)
        if trade_off is not None:
            body.append(trade_off)
    if sweep:
        body.append(sweep_section.render(sweep, colours, out_dir))
    if trend is not None:
        body.append(sections.trend(trend, colours, out_dir, _own_commit(results)))
    if profile:
        body.append(profile_section.render(profile, colours, out_dir, profile_dir))
    commands = _commands(sweep, sweep_dir or out_dir, "sweep") \
        + _commands(profile, profile_dir or out_dir, "profile")
    if results.files or commands:
        body.append(sections.context(results, commands))
    index = os.path.join(out_dir, "index.html")
    with open(index, "w", encoding="utf-8") as f:
        f.write(document("rxbench report", body))
    return index


def _catalogue(results, sweep, sweep_base, profile, profile_base):
    """[(name, role)] of the harness's strategies, from the first results file that has
    the catalogue: the report's own, else a sweep's or profile's runs."""
    found = results.catalogue()
    for doc, base, key in ((sweep, sweep_base, "sweep"), (profile, profile_base, "profile")):
        if found is None and doc:
            found = strategy_catalogue.of_context(_first_context(doc, base, key))
    return [(s["name"], s["role"]) for s in found.strategies] if found else []


def _first_context(doc, base, key):
    """The context of the first results file of a sweep or profile document that can be
    read; None when none can."""
    part = doc.get(key, {})
    entries = part.get("points") if key == "sweep" else part.get("strategies")
    for entry in entries or []:
        if entry.get("results_file"):
            try:
                context = load.read_json(os.path.join(base, entry["results_file"])).get(
                    "context")
            except UsageError:
                continue
            if context:
                return context
    return None


def _commands(doc, base, key):
    """[(title, command line, context of its first run)] of a sweep or profile document,
    whose results files are relative to `base`."""
    if not doc:
        return []
    return [(f"rxbench {key}: its command, and the context of its first run",
             doc.get(key, {}).get("command_line") or "(not recorded)",
             _first_context(doc, base, key))]


def _own_commit(results):
    """The commit the report's own results were recorded under (compare --commit, or the
    version the harness wrote)."""
    c = results.context()
    return (c.get("invocation") or {}).get("commit") or c.get("rxbench_version")


def _title(results, sweep_doc, profile_doc):
    c = results.context()
    if c:
        scenario = c.get("scenario")
        name = scenario.get("name") if isinstance(scenario, dict) else scenario
        return join("rxbench report: ", ", ".join(results.strategies),
                    f" on scenario {name}, host {c.get('host_name', '?')}")
    if sweep_doc:
        streams = sweep_doc.get("sweep", {}).get("mode") == "streams"
        return "rxbench stream sweep" if streams else "rxbench rate sweep"
    return "rxbench profile" if profile_doc else "rxbench report"
