"""What changed between two builds' counted windows: each role's instructions per
packet, the functions whose inclusive instructions per packet moved most, and every
syscall entry point or allocation site the second build has and the first had not.

Sites are compared by function name, not source line: a line that moved is the same
site. A site that exists in both but is used more often shows in the per-packet
figures, not here.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

from reports.exact.figures import Figures


@dataclass
class Moved:
    function: str
    before: float  # inclusive instructions per packet; 0.0 when the build did not run it
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass
class ProfileDiff:
    instructions: Dict[str, Tuple[float, float]] = field(default_factory=dict)
    moved: List[Moved] = field(default_factory=list)
    new_syscalls: List[Tuple[str, str, float]] = field(default_factory=list)
    new_allocation_sites: List[Tuple[str, str, str, float]] = field(default_factory=list)


def diff(before: Figures, after: Figures, top: int = 10) -> ProfileDiff:
    """`top` functions by how far their inclusive instructions per packet moved (up or
    down), and the new syscall entry points (role, function, per packet) and allocation
    sites (role, caller, allocator, per packet) of `after`."""
    out = ProfileDiff()
    for role in sorted(set(before.instructions) & set(after.instructions)):
        out.instructions[role] = (before.instructions[role], after.instructions[role])
    functions = set(before.inclusive) | set(after.inclusive)
    moved = [Moved(f, before.inclusive.get(f, 0.0), after.inclusive.get(f, 0.0))
             for f in functions]
    moved = [m for m in moved if m.change]
    moved.sort(key=lambda m: (-abs(m.change), m.function))
    out.moved = moved[:top]
    known_calls = {f for calls in before.syscalls.values() for f in calls}
    for role, calls in sorted(after.syscalls.items()):
        for function, n in sorted(calls.items()):
            if function not in known_calls:
                out.new_syscalls.append((role, function, n))
    known_sites = {s for sites in before.allocations.values() for s in sites}
    for role, sites in sorted(after.allocations.items()):
        for (caller, allocator), n in sorted(sites.items()):
            if (caller, allocator) not in known_sites:
                out.new_allocation_sites.append((role, caller, allocator, n))
    return out
