"""Reads and writes runs, repetitions, metrics and baselines. All SQL comes from sql.py;
this module only binds parameters and turns rows into plain records."""
import dataclasses
import json
import math
from dataclasses import dataclass

from reports.history import sql
from reports.history.db import transaction
from reports.history.run_info import RunInfo, now
from reports.results.load import from_dict


def record(conn, info, iterations):
    """Stores one run and all its repetitions in one transaction; returns the run id."""
    with transaction(conn):
        run_id = conn.execute(sql.INSERT_RUN, dataclasses.asdict(info)).fetchone()[0]
        for it in iterations:
            repetition_id = conn.execute(sql.INSERT_REPETITION, {
                "run_id": run_id, "strategy": it.strategy,
                "repetition_index": it.repetition_index, "ok": int(it.ok),
                "iteration": json.dumps(it.raw, sort_keys=True)}).fetchone()[0]
            conn.executemany(sql.INSERT_METRIC, [
                {"repetition_id": repetition_id, "key": key, "value": float(value)}
                for key, value in sorted(it.metrics.items())
                if value is not None and math.isfinite(value)])
    return run_id


def recorded(conn, info):
    """The id of a run recorded with exactly this RunInfo (time included), or None."""
    fields = dataclasses.asdict(info)
    row = conn.execute(sql.RECORDED, {k: fields[k] for k in (
        "recorded_at", "commit", "host", "kernel", "scenario", "options", "source")}
    ).fetchone()
    return None if row is None else row[0]


def save_baseline(conn, name, run_id):
    with transaction(conn):
        conn.execute(sql.SAVE_BASELINE, {"name": name, "run_id": run_id, "saved_at": now()})


def baseline_run(conn, name):
    """The run id saved under `name`, or None."""
    row = conn.execute(sql.BASELINE_RUN, {"name": name}).fetchone()
    return row[0] if row else None


def run_info(conn, run_id):
    row = conn.execute(sql.RUN, {"run_id": run_id}).fetchone()
    return RunInfo(*row[1:]) if row else None


def runs_like(conn, info, last, any_host=False):
    """Ids of the last `last` runs with info's scenario and options, on its machine (the
    same host, kernel and CPU model: other machines' numbers are not comparable), or
    on any machine with `any_host`."""
    machine = {"host": None, "kernel": None, "cpu_model": None} if any_host else {
        "host": info.host, "kernel": info.kernel, "cpu_model": info.cpu_model}
    return [row[0] for row in conn.execute(sql.RUNS_LIKE, {
        **machine, "scenario": info.scenario, "options": info.options, "last": last})]


def runs_on_host(conn, host):
    return conn.execute(sql.RUNS_ON_HOST, {"host": host}).fetchone()[0]


def iterations_of(conn, run_ids):
    """The stored repetitions of these runs, read back as results records."""
    entries = [json.loads(row[0]) for run_id in run_ids
               for row in conn.execute(sql.ITERATIONS_OF_RUN, {"run_id": run_id})]
    return from_dict({"benchmarks": entries}, "history").iterations


@dataclass(frozen=True)
class TrendValue:
    run_id: int
    recorded_at: str
    commit: str
    host: str
    scenario: str
    strategy: str
    value: float
    source: str = "compare"   # which command recorded the run (ci, ci-reference, ...)
    options: str = ""         # its workload options, as recorded


def trend_values(conn, metric, strategy=None, host=None, scenario=None, last=20):
    rows = conn.execute(sql.TREND, {"metric": metric, "strategy": strategy, "host": host,
                                    "scenario": scenario, "last": last})
    return [TrendValue(*row) for row in rows]
