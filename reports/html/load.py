"""Reads results JSON files into what the report draws: iterations grouped by strategy.

Only "iteration" entries count (aggregates are recomputed here from them). When several
files carry the same strategy, each file's runs stay apart under "name [i]", because runs
from different invocations were not interleaved and must not be pooled silently.
"""
import json
import os
from dataclasses import dataclass, field
from typing import Optional

from reports.results import catalogue as strategy_catalogue
from reports.usage import UsageError


@dataclass
class ResultsFile:
    path: str
    context: dict
    comparison: dict  # the "comparison" section written by analyze-compare, or None
    busy_poll: Optional[dict] = None  # its "busy_poll" section (the busy-poll trade-off), or None


@dataclass
class Results:
    files: list = field(default_factory=list)       # [ResultsFile]
    strategies: list = field(default_factory=list)  # labels, in order of first appearance
    runs: dict = field(default_factory=dict)        # label -> [iteration dict], ok runs only
    failed: dict = field(default_factory=dict)      # label -> [error message]
    base_name: dict = field(default_factory=dict)   # label -> strategy name in the file
    file_of: dict = field(default_factory=dict)     # label -> index into files

    def context(self):
        """The first file's context: what the page's header describes."""
        return self.files[0].context if self.files else {}

    def catalogue(self):
        """The strategy catalogue of the first file that has one (the harness's own list,
        reports/results/catalogue.py); None when every file predates it."""
        for f in self.files:
            found = strategy_catalogue.of_context(f.context)
            if found:
                return found
        return None

    def role_of(self, label, file_index=0):
        """reference, floor or ordinary, as the harness wrote it for this label's runs,
        else as file `file_index`'s catalogue has it (a name without runs here, such as
        a comparison row's); None when the file predates roles."""
        for entry in self.runs.get(label, []):
            if entry.get("strategy_role"):
                return entry["strategy_role"]
        index = self.file_of.get(label, file_index)
        found = strategy_catalogue.of_context(self.files[index].context) \
            if index < len(self.files) else None
        return found.role(self.base_name.get(label, label)) if found else None

    def reference_of(self, file_index=0):
        """The strategy the others are measured against in one file: compare's
        --reference, else the catalogue's default; None when the file says neither."""
        context = self.files[file_index].context if self.files else {}
        wanted = (context.get("invocation") or {}).get("reference")
        found = strategy_catalogue.of_context(context) or self.catalogue()
        return wanted or (found.default_reference if found else None)

    def label_of(self, strategy, file_index=0):
        """The label a strategy name of one file carries in this report."""
        for label, name in self.base_name.items():
            if name == strategy and self.file_of[label] == file_index:
                return label
        return None


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}")
    except json.JSONDecodeError as e:
        raise UsageError(f"{path} is not JSON: {e.msg} (line {e.lineno}, column {e.colno})")


def load(paths):
    """Results of every file in `paths`, in order."""
    documents = []
    for path in paths:
        doc = read_json(path)
        if not isinstance(doc, dict) or not isinstance(doc.get("benchmarks"), list):
            raise UsageError(f"{path} is not an rxbench results file (no 'benchmarks' list)")
        documents.append((path, doc))

    counts = {}
    for _, doc in documents:
        for name in {b.get("strategy") for b in _iterations(doc)}:
            counts[name] = counts.get(name, 0) + 1

    results = Results()
    for index, (path, doc) in enumerate(documents):
        results.files.append(ResultsFile(os.path.abspath(path), doc.get("context") or {},
                                         doc.get("comparison"), doc.get("busy_poll")))
        for entry in _iterations(doc):
            name = str(entry.get("strategy") or entry.get("name", "?").split("/")[0])
            label = name if counts.get(name, 0) <= 1 else f"{name} [{index + 1}]"
            if label not in results.runs:
                results.strategies.append(label)
                results.runs[label] = []
                results.base_name[label] = name
                results.file_of[label] = index
            if entry.get("ok", True):
                results.runs[label].append(entry)
            else:
                results.failed.setdefault(label, []).append(str(entry.get("error_message", "")))
    return results


def _iterations(doc):
    return [b for b in doc["benchmarks"]
            if isinstance(b, dict) and b.get("run_type", "iteration") == "iteration"]
