"""Reads a results JSON file into a ResultsFile. Tolerant of fields a newer harness adds
and an older one lacks: anything absent is simply not in `metrics`.

Schema versions (`schema_version` in the context and in every entry; absent = 0;
schema/results.schema.json states version 1): in
version 0 `real_time` was the p50 send -> sink latency; from version 1 it is the wall
time of the measured window per packet (results/results_json.h). A version 0 entry is
read with its latency under `latency_p50_ns` (where it already is, in files that have
that field) and `real_time` unavailable (None), and the file carries a note saying so:
old files and history rows stay comparable with new ones on every compared metric. A
file of a newer version than this reader knows is read as the newest it knows, with a
note: never refused."""
from reports.files import read_json
from reports.results import metrics
from reports.results.model import Iteration, ResultsFile
from reports.usage import UsageError


def load(path):
    return from_dict(read_json(path, "results file"), path)


def from_dict(data, path="<memory>"):
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise UsageError(f"{path} is not a results file: no 'benchmarks' list")
    entries = [b for b in data["benchmarks"] if _is_iteration(b)]
    context = data.get("context") or {}
    file_version = context.get("schema_version", 0) if isinstance(context, dict) else 0
    seen = {}
    iterations = []
    converted = False
    for entry in entries:
        strategy = entry.get("strategy") or str(entry.get("name", "?")).split("/")[0]
        # Files without repetition_index number the repetitions in file order.
        index = entry.get("repetition_index", seen.get(strategy, 0))
        seen[strategy] = index + 1
        it = _iteration(entry, strategy, index)
        if entry.get("schema_version", file_version) == 0 and "real_time" in it.metrics:
            _convert_version_0(it.metrics)
            converted = True
        iterations.append(it)
    notes = [V0_NOTE] if converted else []
    versions = [file_version] + [e.get("schema_version") for e in entries]
    newest = max((v for v in versions if isinstance(v, int)), default=0)
    if newest > SCHEMA_VERSION:
        notes.append(newer_note(newest))
    return ResultsFile(path=path, context=context, iterations=iterations, notes=notes)


# The newest version this reader knows (schema/results.schema.json).
SCHEMA_VERSION = 1


def newer_note(version):
    return (f"written by a newer harness (schema version {version}; this reader knows "
            f"{SCHEMA_VERSION}): read as version {SCHEMA_VERSION}, a field whose meaning "
            "changed may be misread")


V0_NOTE = ("written before schema version 1: its real_time was the p50 latency (read as "
           "latency_p50_ns); real_time (wall time per packet) is unavailable")


def _convert_version_0(numbers):
    real_time = numbers.pop("real_time")
    # 0 was written where latency was not measured: the format needed a number.
    if numbers.get("latency_p50_ns") is None and real_time:
        numbers["latency_p50_ns"] = real_time
    numbers["real_time"] = None


def _is_iteration(entry):
    return isinstance(entry, dict) and entry.get("run_type", "iteration") == "iteration" \
        and "aggregate_name" not in entry


def _iteration(entry, strategy, index):
    numbers = {k: v for k, v in entry.items()
               if v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))}
    numbers["delivered_fraction"] = metrics.delivered_fraction(entry)
    # Google Benchmark marks a failed run with error_occurred; rxbench with ok=false.
    ok = bool(entry.get("ok", True)) and not entry.get("error_occurred", False)
    return Iteration(
        strategy=strategy,
        scenario=str(entry.get("scenario", "")),
        repetition_index=int(index),
        ok=ok,
        error_message=str(entry.get("error_message") or ""),
        metrics=numbers,
        raw=entry,
    )
