"""Reads a results JSON file into a ResultsFile. Tolerant of fields a newer harness adds
and an older one lacks: anything absent is simply not in `metrics`."""
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
    seen = {}
    iterations = []
    for entry in entries:
        strategy = entry.get("strategy") or str(entry.get("name", "?")).split("/")[0]
        # Files without repetition_index number the repetitions in file order.
        index = entry.get("repetition_index", seen.get(strategy, 0))
        seen[strategy] = index + 1
        iterations.append(_iteration(entry, strategy, index))
    return ResultsFile(path=path, context=data.get("context") or {}, iterations=iterations)


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
