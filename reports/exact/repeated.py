"""Figures of repeated counted runs of one strategy as one: each figure's median over the
runs (a site a run did not use counts 0 in it), and how much each role's instructions
per packet varied (their coefficient of variation), which says how exact the count is.
"""
import statistics
from typing import Dict, List, Optional, Sequence, TypeVar

from reports.exact.figures import Figures, Site

K = TypeVar("K", str, Site)


def _median_map(maps: Sequence[Dict[K, float]]) -> Dict[K, float]:
    keys = sorted({k for m in maps for k in m})
    return {k: statistics.median(m.get(k, 0.0) for m in maps) for k in keys}


def _median_nested(maps: Sequence[Dict[str, Dict[K, float]]]) -> Dict[str, Dict[K, float]]:
    roles = sorted({r for m in maps for r in m})
    return {r: _median_map([m.get(r, {}) for m in maps]) for r in roles}


def median(runs: Sequence[Figures]) -> Figures:
    """One Figures whose every per-packet figure is the median over `runs`."""
    if not runs:
        raise ValueError("no runs")
    out = Figures(packets=int(statistics.median(r.packets for r in runs)))
    out.instructions = _median_map([r.instructions for r in runs])
    out.syscalls = _median_nested([r.syscalls for r in runs])
    out.vdso_calls = _median_nested([r.vdso_calls for r in runs])
    out.allocations = _median_nested([r.allocations for r in runs])
    out.inclusive = _median_map([r.inclusive for r in runs])
    return out


def instruction_cv(runs: Sequence[Figures]) -> Dict[str, Optional[float]]:
    """{role: coefficient of variation of its instructions per packet over `runs`}; None
    with fewer than 2 runs."""
    roles = sorted({r for run in runs for r in run.instructions})
    out: Dict[str, Optional[float]] = {}
    for role in roles:
        values: List[float] = [run.instructions.get(role, 0.0) for run in runs]
        mean = statistics.fmean(values)
        out[role] = statistics.stdev(values) / mean if len(values) > 1 and mean else None
    return out
