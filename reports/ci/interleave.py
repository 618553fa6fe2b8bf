"""Runs two builds repetition by repetition, alternating which goes first, and collects
each side's repetitions with their pair index.

Each repetition is one `compare --repetitions 1` invocation per build, all gated
strategies inside it. One invocation per build per repetition, rather than one `run`
per strategy, halves the process and pipeline start-ups and keeps a build's strategies
back to back the way `compare` measures them. Alternating the order of the builds
cancels the position effect (the run right after another measured ~2 % cheaper) over
pairs, and running the pairs back to back cancels slow drift of the machine.

The time tier's looks (sequential.py) need more pairs while a gate is undecided: an
Interleaving runs on from where it stopped, the order still alternating by repetition
index, with only the strategies still undecided.
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


class Interleaving:
    """Both sides' repetitions so far; `run_to` adds more."""

    def __init__(self, reference, candidate, options, work_dir):
        self.sides = {"reference": Side(reference), "candidate": Side(candidate)}
        self.options = options
        self.work_dir = work_dir
        self.done = 0          # repetitions run (of any strategy)
        self.pairs = {}        # strategy -> repetitions of it run (0 .. pairs - 1)

    def run_to(self, strategies, repetitions, of=None):
        """Runs repetitions self.done .. repetitions - 1 of those of `strategies` with
        fewer pairs; `of`: the most there may be, for the progress line."""
        strategies = [s for s in strategies if self.pairs.get(s, 0) < repetitions]
        if not strategies:
            return
        for rep in range(self.done, repetitions):
            order = ("reference", "candidate") if rep % 2 == 0 else ("candidate", "reference")
            _progress(f"repetition {rep + 1}/{of or repetitions}, {order[0]} first")
            for name in order:
                side = self.sides[name]
                path = side.harness.compare(strategies, 1, self.options,
                                            os.path.join(self.work_dir, f"rep{rep:03d}-{name}"))
                results = load(path)
                side.context = side.context or results.context
                side.notes = side.notes or results.notes
                side.iterations += [dataclasses.replace(it, repetition_index=rep)
                                    for it in results.iterations]
            for strategy in strategies:
                self.pairs[strategy] = rep + 1
        self.done = max(self.done, repetitions)
        _progress(None)

    def result(self):
        """(reference Side, candidate Side), each repetition numbered as one of its
        strategy's pairs: repetition i of both sides is a pair."""
        out = []
        for name in ("reference", "candidate"):
            side = self.sides[name]
            out.append(dataclasses.replace(side, iterations=[
                renumbered(it, it.repetition_index, self.pairs[it.strategy])
                for it in side.iterations]))
        return tuple(out)


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
