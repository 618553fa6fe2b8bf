"""Packets lost per strategy over a set of repetitions, for the gate's rule that new
loss always fails: a build that drops packets where the reference dropped none has
changed behaviour, whatever its CPU says."""
from dataclasses import dataclass

from reports.results.metrics import lost_packets


@dataclass(frozen=True)
class Loss:
    packets: int        # lost over all successful repetitions
    repetitions: int    # how many of them lost any
    of: int             # successful repetitions counted


def loss_of(iterations):
    counts = [lost_packets(it.raw) for it in iterations if it.ok]
    counts = [c for c in counts if c is not None]
    return Loss(sum(counts), sum(1 for c in counts if c > 0), len(counts))
