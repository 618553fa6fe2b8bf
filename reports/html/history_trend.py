"""Figure 6's data: the gated metrics of the report's strategies over commits, read from
the history database.

Only runs like the report's own are drawn: the same host, scenario and workload options
(history's `runs_like`, the rule `ci --baseline history:N` uses), because a trend that
mixes a 4 MiB and a 16 MiB socket buffer, or another machine, shows a step that no
commit made. Each stored repetition becomes one record; fig_trend draws the median per
commit and the range of the repetitions, commits in the order they were made
(commit_times.py). A database that is missing or has no such runs gives no records
and a sentence saying why, never an empty figure.
"""
import os
from dataclasses import dataclass, field

from reports.history import store
from reports.history.db import HistoryError, is_postgresql, open_db
from reports.history.db import shown as without_password
from reports.history.paths import default_db_path
from reports.history.run_info import describe
from reports.html import trend_changes
from reports.html.commit_times import commit_times
from reports.results import metrics as metric_defs

# The gate's other check besides its thresholds: packets lost (new loss fails a gate).
LOSS_PERCENT = "lost_packets_percent"
# Enough runs for a readable x axis; older ones are left out (and the page says so).
LAST_RUNS = 200
MAX_COMMITS = 30


@dataclass
class TrendData:
    records: list = field(default_factory=list)  # {commit, time, strategy, metric, value}
    note: str = ""                               # what was read, or why nothing was
    changes: list = field(default_factory=list)  # trend_changes.find's, of all runs read


def gated_metrics(thresholds=None):
    """The metric keys the CI gate judges (its thresholds, default or --config), then
    packet loss: the figure shows what can fail a gate."""
    return list(thresholds if thresholds is not None else metric_defs.GATED_BY_DEFAULT) \
        + [LOSS_PERCENT]


def resolve_db(path):
    """The database to read: `path` if given; else the default history database when it
    exists (a report of a machine that records runs shows their trend); else None."""
    if path:
        return path
    default = default_db_path()
    return default if os.path.exists(default) else None


def value_of(metric, raw):
    """One repetition's value of `metric` (None: not measured)."""
    if metric == LOSS_PERCENT:
        lost, sent = metric_defs.lost_packets(raw), raw.get("packets_sent")
        return None if lost is None or not sent else 100.0 * lost / sent
    v = raw.get(metric)
    if metric == "delivered_fraction":
        v = metric_defs.delivered_fraction(raw)
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def read(db_path, context, strategies, metrics):
    """The records of runs like `context` (a results file's) for `strategies`."""
    if not db_path:
        return TrendData(note="No history database, so no trend: give one with `--db PATH` "
                              f"(the default, {default_db_path()}, is read when it exists). "
                              "Runs are recorded by `compare --record` and by every `ci`.")
    if not is_postgresql(db_path) and not os.path.exists(db_path):
        return TrendData(note=f"The history database {db_path} does not exist, so there is "
                              "no trend.")
    info = describe(context)
    try:
        conn = open_db(db_path)
        try:
            run_ids = store.runs_like(conn, info, LAST_RUNS)
            runs = [(store.run_info(conn, r), store.iterations_of(conn, [r]))
                    for r in run_ids]
            on_host = store.runs_on_host(conn, info.host)
        finally:
            conn.close()
    except HistoryError as e:
        # The report is of the results file; an unreachable history only costs the trend.
        return TrendData(note=f"No trend: {e}.")
    db_path = without_password(db_path)
    where = (f"host {info.host} (kernel {info.kernel}, CPU {info.cpu_model}), scenario "
             f"{info.scenario}, the same workload options")
    runs.reverse()  # oldest first
    first_recorded = {}
    for run, _ in runs:
        first_recorded.setdefault(run.commit, run.recorded_at)
    made = commit_times(first_recorded)
    when = {c: made.get(c, first_recorded[c]) for c in first_recorded}
    commits = sorted(first_recorded, key=lambda c: when[c])   # stable: ties keep run order
    left_out = set(commits[:-MAX_COMMITS])
    wanted = set(strategies)
    records = [{"commit": run.commit, "time": when[run.commit], "strategy": it.strategy,
                "metric": metric, "value": value}
               for run, iterations in runs if run.commit not in left_out
               for it in iterations if it.ok and it.strategy in wanted
               for metric in metrics
               for value in [value_of(metric, it.raw)] if value is not None]
    if not records:
        return TrendData(note=f"The history database {db_path} has no recorded repetition of "
                              f"{', '.join(strategies)} with {where} ({on_host} runs on this "
                              "host in all), so there is no trend.")
    shown = list(dict.fromkeys(r["commit"] for r in records))
    # Counted only when every like run was read (fewer than LAST_RUNS).
    others = on_host - len(run_ids) if len(run_ids) < LAST_RUNS else 0
    note = (f"From {db_path}: {len(shown)} commit{'s' * (len(shown) != 1)}, runs with {where}"
            + (f"; the {len(left_out)} oldest commits are left out" if left_out else "")
            + (f"; {others} other run{'s' * (others != 1)} on this host (another scenario or "
               "other options) are not comparable and left out" if others > 0 else "")
            + (". One commit so far: the trend starts here." if len(shown) == 1 else "."))
    return TrendData(records=records, note=note,
                     changes=trend_changes.find(runs, when, strategies, metrics, value_of))
