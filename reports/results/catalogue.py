"""The strategies, their roles and the thread-name rules, as the harness states them.

Every results file carries them as context.catalogue, the object `rxbench list --json`
prints (harness/results_json.h, CatalogueJson; schema/results.schema.json). The reports
take every strategy name, role and thread rule from here and type none of them: when
the harness gains a strategy, the reports know it from the next file.

A file written before the catalogue has none: its strategies have no known role (no
floor is drawn, no strategy is left out of "cheapest") and the loader says so.
"""
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

Strategy = Dict[str, Any]   # one catalogue.strategies object (the schema's $defs/strategy)

# The role values (receivers/strategy.h StrategyRole), as the schema's enum spells them.
REFERENCE = "reference"   # GStreamer's stock receiver: what an appsrc receiver must beat
FLOOR = "floor"           # receive and drop: the kernel's cost, never a contender
ORDINARY = "ordinary"

NO_CATALOGUE_NOTE = ("written before the strategy catalogue (context.catalogue): the "
                     "strategies' roles are unknown, so no floor is drawn and none is left "
                     "out of the cheapest")


@dataclass(frozen=True)
class Catalogue:
    strategies: Tuple[Strategy, ...]   # in `rxbench list` order
    default_reference: str     # what compare measures the others against by default
    thread_names: Tuple[Dict[str, Any], ...]   # name rules, first match wins
    thread_otherwise: Optional[str]  # the role of a profiled thread no rule names

    def names(self) -> list[str]:
        return [str(s["name"]) for s in self.strategies]

    def preset_of(self, strategy: str) -> Optional[Strategy]:
        """The preset `strategy` is, or is a variant of ("pooled+buffer=freelist" is
        pooled's): the longest preset name that is the whole name or is followed by
        '+'. None for a name no preset starts."""
        best = None
        for s in self.strategies:
            name = s["name"]
            if (strategy == name or strategy.startswith(name + "+")) \
                    and (best is None or len(name) > len(best["name"])):
                best = s
        return best

    def role(self, strategy: str) -> Optional[str]:
        preset = self.preset_of(strategy)
        return str(preset["role"]) if preset else None

    def thread_role(self, comm: str, strategy: str) -> Optional[str]:
        """A profiled thread's role from its name (comm) alone."""
        preset = self.preset_of(strategy)
        receiver = preset["receiver"] if preset else None
        for rule in self.thread_names:
            if rule.get("receiver") not in (None, receiver):
                continue
            if comm == rule.get("comm") or ("comm_prefix" in rule
                                            and comm.startswith(rule["comm_prefix"])):
                return str(rule["role"])
        return self.thread_otherwise


def from_json(data: Any) -> Optional[Catalogue]:
    """The catalogue object (context.catalogue, or `rxbench list --json`); None when
    `data` is not one (an older file)."""
    if not isinstance(data, dict) or not isinstance(data.get("strategies"), list):
        return None
    return Catalogue(strategies=tuple(data["strategies"]),
                     default_reference=str(data.get("default_reference") or ""),
                     thread_names=tuple(data.get("thread_names") or ()),
                     thread_otherwise=data.get("thread_otherwise"))


def of_context(context: Any) -> Optional[Catalogue]:
    return from_json(context.get("catalogue")) if isinstance(context, dict) else None
