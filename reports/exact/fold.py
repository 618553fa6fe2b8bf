"""Folded stacks for a flame graph from a callgrind profile, which has a call graph
(each call edge with its inclusive cost) and no stacks.

How it is folded: from each outermost function (one nothing in the window called), the
graph is unrolled into a tree. A function reached with weight w on some path is assumed
to spend it as it spends its whole inclusive cost I: w / I of its self cost is its own
box's top on that path, and each callee g gets w / I of the edge's inclusive cost. So
the widths on one path are exact where a function has one caller and proportional
estimates where it has several (gprof's assumption: every call costs the same, whoever
made it). A function already on the path (recursion) is not unrolled again, and a box
under `min_weight` is merged into its parent's own cost, so the tree stays finite and
legible; the weights under a root sum to its inclusive cost (less where a recursion
through other functions counted a cost twice, as callgrind's inclusive costs do).
"""
from typing import Dict, List, Set, Tuple

from reports.exact.callgrind import ThreadProfile

Stacks = Dict[Tuple[str, ...], float]


def fold(profile: ThreadProfile, event: str = "Ir", min_share: float = 0.001,
         max_depth: int = 80) -> Stacks:
    """{(frame, ...) root first: cost} of one thread, as the module's docstring says."""
    inclusive = {f: c.get(event, 0) for f, c in profile.inclusive().items()}
    callees: Dict[str, List[Tuple[str, int]]] = {}
    called: Set[str] = set()
    for (caller, callee), edge in profile.calls.items():
        if caller == callee:
            continue
        called.add(callee)
        callees.setdefault(caller, []).append((callee, edge.inclusive.get(event, 0)))
    total = profile.total(event)
    min_weight = min_share * total
    out: Stacks = {}
    roots = sorted(f for f in inclusive if f not in called and inclusive[f])

    def add(path: Tuple[str, ...], weight: float) -> None:
        if weight > 0:
            out[path] = out.get(path, 0.0) + weight

    stack: List[Tuple[Tuple[str, ...], float]] = [((f,), float(inclusive[f])) for f in roots]
    while stack:
        path, weight = stack.pop()
        function = path[-1]
        whole = inclusive.get(function, 0)
        scale = weight / whole if whole else 0.0
        kept = weight
        if len(path) < max_depth:
            for callee, cost in sorted(callees.get(function, [])):
                share = cost * scale
                if callee in path or share < min_weight:
                    continue
                stack.append((path + (callee,), share))
                kept -= share
        # Its own cost on this path, and whatever was not unrolled below it (negative
        # only where a recursion counted a callee twice).
        add(path, max(kept, 0.0))
    return out
