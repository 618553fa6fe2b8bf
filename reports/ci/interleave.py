"""Runs two builds repetition by repetition, alternating which goes first, and collects
each side's repetitions with their pair index.

Each repetition is one `compare --repetitions 1` invocation per build, all gated
strategies inside it. One invocation per build per repetition, rather than one `run`
per strategy, halves the process and pipeline start-ups and keeps a build's strategies
back to back the way `compare` measures them. Alternating the order of the builds
cancels the position effect (the run right after another measured ~2 % cheaper) over
pairs, and running the pairs back to back cancels slow drift of the machine.
"""
import dataclasses
import os
import sys
from typing import Optional

from reports.results.load import load


@dataclasses.dataclass
class Side:
    harness: object        # ci.harness.Harness
    context: Optional[dict] = None   # from its first repetition's results
    iterations: list = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)   # how its files were read


def run_interleaved(reference, candidate, strategies, repetitions, options, work_dir):
    """Returns (reference Side, candidate Side); repetition i of both sides is a pair."""
    sides = {"reference": Side(reference), "candidate": Side(candidate)}
    for rep in range(repetitions):
        order = ("reference", "candidate") if rep % 2 == 0 else ("candidate", "reference")
        _progress(f"repetition {rep + 1}/{repetitions}, {order[0]} first")
        for name in order:
            side = sides[name]
            path = side.harness.compare(strategies, 1, options,
                                        os.path.join(work_dir, f"rep{rep:03d}-{name}"))
            results = load(path)
            side.context = side.context or results.context
            side.notes = side.notes or results.notes
            side.iterations += [renumbered(it, rep, repetitions) for it in results.iterations]
    _progress(None)
    return sides["reference"], sides["candidate"]


def renumbered(iteration, index, repetitions):
    """The iteration as repetition `index` of `repetitions` (in the record and its JSON,
    which the history stores)."""
    raw = {**iteration.raw, "repetition_index": index, "repetitions": repetitions}
    return dataclasses.replace(iteration, repetition_index=index, raw=raw)


def _progress(text):
    # A progress line only on a terminal (CI logs get no carriage-return noise).
    if not sys.stderr.isatty():
        return
    line = "" if text is None else f"rxbench ci: {text}"
    sys.stderr.write(f"\r{line:<60}" + ("\r" if text is None else ""))
    sys.stderr.flush()
