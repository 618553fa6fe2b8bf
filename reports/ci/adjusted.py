"""The gated metrics of a paired gate, adjusted for covariates (covariates.py), as an
Analysis like the raw one: the same statistics, verdicts and rule apply to it, and the
console prints the two side by side.

Each adjusted pair keeps the reference's value and gets the candidate value whose ratio
is the adjusted one (A_i * exp(y_adj_i)), so that every downstream function (the paired
statistics, decision.judge, the markdown) reads it as it reads a raw comparison.
"""
import dataclasses
import math
from typing import List, Optional, Tuple

import numpy as np

from reports.ci import covariates
from reports.comparison.analysis import Contender, analyze
from reports.comparison.samples import paired_iterations
from reports.results.metrics import lookup
from reports.stats.comparison import PAIRED


@dataclasses.dataclass(frozen=True)
class Adjustment:
    strategy: str
    key: str
    names: Tuple[str, ...]
    variance_explained: Optional[float]   # share of the log ratios' variance removed
    skipped: Optional[str] = None         # why this metric was left unadjusted


def adjusted_analysis(reference_label, contenders, config, names):
    """(Analysis of the gated metrics adjusted for `names`, [Adjustment]). A metric whose
    pairs lack a covariate keeps its raw pairs, and its Adjustment says why."""
    adjusted_contenders: List[Contender] = []
    notes = []
    for contender in contenders:
        both = paired_iterations(contender.reference_iterations,
                                 contender.candidate_iterations)
        reference, candidate = [a for a, _ in both], [b for _, b in both]
        for key in config.thresholds:
            usable = _usable_pairs(contender, key)
            x = covariates.differences(names, [a.raw for a, _ in usable],
                                       [b.raw for _, b in usable])
            y = np.array([math.log(b.value(key) / a.value(key)) for a, b in usable])
            if x is None:
                notes.append(Adjustment(contender.strategy, key, tuple(names), None,
                                        "a covariate is missing from some repetition"))
                continue
            if len(y) < covariates.PAIRS_PER_COVARIATE * len(names):
                notes.append(Adjustment(contender.strategy, key, tuple(names), None,
                                        f"{len(y)} pairs are too few to fit "
                                        f"{len(names)} covariate(s)"))
                continue
            y_adj = covariates.adjust(y, x)
            notes.append(Adjustment(contender.strategy, key, tuple(names),
                                    covariates.variance_explained(
                                        y, covariates.adjust(y, x, widen=False))))
            replaced = {a.repetition_index: _with_value(b, key, a.value(key) * math.exp(v))
                        for (a, b), v in zip(usable, y_adj)}
            candidate = [replaced.get(it.repetition_index, it) for it in candidate]
        adjusted_contenders.append(Contender(contender.strategy, reference, candidate))
    metrics = [dataclasses.replace(lookup(k), label=f"{lookup(k).label}, adjusted")
               for k in config.thresholds]
    analysis = analyze(reference_label, adjusted_contenders, metrics, PAIRED, config.alpha,
                       config.confidence)
    return analysis, notes


def pairs_with_covariates(contender, key, names):
    """(log ratios (n,), covariate differences (n, k), the k names of `names` that every
    pair has), over the pairs paired_samples compares for `key`."""
    usable = _usable_pairs(contender, key)
    y = np.array([math.log(b.value(key) / a.value(key)) for a, b in usable])
    available = [n for n in names
                 if covariates.differences([n], [a.raw for a, _ in usable],
                                           [b.raw for _, b in usable]) is not None]
    x = covariates.differences(available, [a.raw for a, _ in usable],
                               [b.raw for _, b in usable])
    return y, x, available


def _usable_pairs(contender, key):
    return paired_iterations(contender.reference_iterations, contender.candidate_iterations,
                             key)


def _with_value(iteration, key, value):
    return dataclasses.replace(iteration, metrics={**iteration.metrics, key: value})


def describe(notes):
    """One line per adjusted metric for the console."""
    lines = []
    for n in notes:
        what = f"{n.strategy} {lookup(n.key).label} adjusted for {', '.join(n.names)}"
        if n.skipped:
            lines.append(f"{what}: not adjusted ({n.skipped}); the raw pairs decide")
        elif n.variance_explained is None:
            lines.append(f"{what}: the pairs did not vary")
        else:
            lines.append(f"{what}: {n.variance_explained * 100:.0f} % of the log ratios' "
                         "variance explained")
    return lines
