"""Whether a floor (role `floor`: null, null+gro) is a floor for a strategy it is held against.

A floor receives and drops, so it drains the socket faster than any strategy. Free-running
at the same packet rate, it then finds the socket empty more often: it sleeps, wakes and
calls the kernel more per packet than the strategy does, and its receiver CPU per packet
can exceed that of a strategy doing strictly more work ("× null" below 1). Under
`--lock-step K` every strategy, the floor included, wakes once per round and reads it in
the same calls, so the floor is comparable by construction.

The rule is one-sided: the floor is not comparable when its receiver woke (context
switches) or made syscalls per packet more often than the strategy's, by more than
TOLERANCE_RATIO and by more than TOLERANCE_PER_PACKET. Waking less is what a floor may do:
the strategy's extra wake-ups (pushing into GStreamer, preempted by its pipeline) are its
own cost. The C++ console table (results/floor_comparability.h) applies the same rule.
"""
import statistics
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from reports.results import catalogue

TOLERANCE_RATIO = 1.25      # the floor's figure may be up to 25 % above the strategy's...
TOLERANCE_PER_PACKET = 0.01  # ...or up to 0.01 per packet above it
# The K suggested: the exact tier's default round (reports/exact/count.py).
SUGGESTED_LOCK_STEP = 64

# (key in a run, what the floor did, per packet)
_FIGURES = (
    ("ctx_switches_per_packet", "woke {floor} times per packet against {strategy}'s {theirs}"),
    ("syscalls_per_packet", "made {floor} syscalls per packet against {strategy}'s {theirs}"),
)


# A strategy held against the floor: its name, its runs and its catalogue preset (or None).
Other = Tuple[str, Iterable[Mapping[str, Any]], Optional[Mapping[str, Any]]]


@dataclass(frozen=True)
class Mismatch:
    key: str          # the run field that differs
    floor: float      # the floor's median per packet
    strategy: float   # the strategy's


def exceeds(floor: float, strategy: float) -> bool:
    """Whether the floor's figure is beyond the tolerance above the strategy's."""
    return floor > strategy * TOLERANCE_RATIO and floor - strategy > TOLERANCE_PER_PACKET


def mismatch(floor_runs: Iterable[Mapping[str, Any]],
             strategy_runs: Iterable[Mapping[str, Any]]) -> Optional[Mismatch]:
    """The first figure (wake-ups, then syscalls; medians of the runs) in which the floor
    exceeds the strategy; None when it is comparable, or nothing says otherwise (a figure
    unknown on either side is not held against the floor)."""
    floor_runs, strategy_runs = list(floor_runs), list(strategy_runs)
    for key, _ in _FIGURES:
        a, b = _median(floor_runs, key), _median(strategy_runs, key)
        if a is not None and b is not None and exceeds(a, b):
            return Mismatch(key, a, b)
    return None


def note(floor_name: str, strategy_name: str, found: Mismatch, lock_step_hint: bool) -> str:
    """The one sentence every report gives instead of calling the floor a floor.
    `lock_step_hint`: whether `--lock-step` would help (the run was not lock-step, and
    the strategy can be run so)."""
    what = dict(_FIGURES)[found.key].format(floor=_per_packet(found.floor),
                                            strategy=strategy_name,
                                            theirs=_per_packet(found.strategy))
    text = f"{floor_name} is not a comparable floor here: it {what}"
    if lock_step_hint:
        text += f"; run with --lock-step {SUGGESTED_LOCK_STEP} for a comparable floor"
    return text


def notes(floor_name: str, floor_runs: Iterable[Mapping[str, Any]], others: Iterable[Other],
          lock_step: bool) -> Dict[str, str]:
    """{strategy: note} for each of `others` the floor is not comparable with; `lock_step`:
    whether the runs were lock-step already (then no --lock-step is suggested)."""
    floor_runs = list(floor_runs)
    out = {}
    for name, runs, preset in others:
        found = mismatch(floor_runs, runs)
        if found:
            out[name] = note(floor_name, name, found, not lock_step and can_lock_step(preset))
    return out


def can_lock_step(preset: Optional[Mapping[str, Any]]) -> bool:
    """udpsrc reads inside the pipeline and io_uring's multishot receive as datagrams
    arrive: neither can wait for a round (commands/command_line.cc refuses them)."""
    return preset is not None and preset.get("receiver") != "udpsrc" \
        and preset.get("recv") != "iouring"


def _median(runs: list, key: str) -> Optional[float]:
    values = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
    return statistics.median(values) if values else None


def _per_packet(value: float) -> str:
    return f"{value:.2g}" if value < 0.1 else f"{value:.2f}"


def notes_of_file(results) -> List[str]:
    """The notes for one results file (model.ResultsFile): its first floor held against
    every strategy that is not a floor, its successful runs only."""
    found = results.catalogue
    role = {s: _role(results, s) for s in results.strategies()}
    floors = [s for s, r in role.items() if r == catalogue.FLOOR]
    if not floors:
        return []

    def runs(name):
        return [it.raw for it in results.of_strategy(name) if it.ok]
    others = [(s, runs(s), found.preset_of(s) if found else None)
              for s, r in role.items() if r != catalogue.FLOOR]
    lock_step = bool(results.context.get("lock_step_packets"))
    return list(notes(floors[0], runs(floors[0]), others, lock_step).values())


def _role(results, name: str) -> Optional[str]:
    """As the harness wrote it in the runs, else as the file's catalogue has it."""
    for it in results.of_strategy(name):
        if it.raw.get("strategy_role"):
            return str(it.raw["strategy_role"])
    return results.catalogue.role(name) if results.catalogue else None
