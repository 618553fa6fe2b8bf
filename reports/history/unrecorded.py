"""Runs that could not be recorded (the history database was unreachable or went away),
kept as results files that `rxbench history --import` records later, exactly as they
would have been: the file carries the run's identity (when, which commit, which command)
beside its context and repetitions."""
import dataclasses

from reports.files import read_json, write_json_atomically
from reports.history import store
from reports.history.run_info import RunInfo, describe
from reports.results.load import from_dict
from reports.usage import UsageError

KEY = "history_run"


def write(path, info, context, iterations):
    write_json_atomically(path, {"context": context,
                                 "benchmarks": [it.raw for it in iterations],
                                 KEY: dataclasses.asdict(info)})
    return path


def record_file(conn, path):
    """Records one results file: a kept run as it was, or any other results file (from
    `compare --out`, say) as `compare --record` would have. Returns (run id, whether it
    was recorded now): a kept run already in the history (imported before) is not
    recorded twice."""
    data = read_json(path, "results file")
    results = from_dict(data, path)
    if not results.iterations:
        raise UsageError(f"history --import {path}: no repetitions to record")
    kept = data.get(KEY)
    if kept is None:
        info = describe(results.context)
    else:
        fields = [f.name for f in dataclasses.fields(RunInfo)]
        if not isinstance(kept, dict) or sorted(kept) != sorted(fields) or not all(
                isinstance(v, str) for v in kept.values()):
            raise UsageError(f"history --import {path}: '{KEY}' must hold the strings "
                             f"{', '.join(fields)}")
        info = RunInfo(**kept)
        already = store.recorded(conn, info)
        if already is not None:
            return already, False
    return store.record(conn, info, results.iterations), True
