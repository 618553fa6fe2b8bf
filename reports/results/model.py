"""Plain records for a results file: its context and its iteration entries.

Only `"run_type": "iteration"` entries are kept: they are single repetitions, the unit
every statistic here works on. The harness's aggregate entries (mean, median, stddev,
cv) are for compare.py and people, and would double-count if mixed in.
"""
from dataclasses import dataclass, field

from reports.results import catalogue


@dataclass(frozen=True)
class Iteration:
    strategy: str
    scenario: str
    repetition_index: int
    ok: bool
    error_message: str
    # Every numeric top-level field by key, plus the derived ones (metrics.py).
    # None means the harness wrote null: "not measured", never zero.
    metrics: dict
    raw: dict = field(repr=False)

    def value(self, key):
        return self.metrics.get(key)


@dataclass(frozen=True)
class ResultsFile:
    path: str
    context: dict
    iterations: list
    # What the loader changed to read an older file (load.py), one sentence each.
    notes: list = field(default_factory=list)

    @property
    def catalogue(self):
        """The harness's strategies and their roles (catalogue.py); None in older files."""
        return catalogue.of_context(self.context)

    @property
    def invocation(self):
        """context.invocation as written by `compare` (empty for older files)."""
        return self.context.get("invocation") or {}

    def strategies(self):
        """Strategy names in the order they first appear."""
        return list(dict.fromkeys(it.strategy for it in self.iterations))

    def of_strategy(self, name):
        return [it for it in self.iterations if it.strategy == name]
