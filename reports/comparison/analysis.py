"""Compares candidates with a reference, metric by metric: the statistics (paired or
unpaired), the verdict, the geometric mean across candidates and the noise warnings."""
from dataclasses import dataclass, field
from typing import Optional

from reports.comparison.samples import paired_samples, unpaired_samples
from reports.stats.comparison import PAIRED, Comparison
from reports.stats.geomean import geometric_mean
from reports.stats.noise import noise_warnings
from reports.stats.paired import compare_paired
from reports.stats.unpaired import compare_unpaired
from reports.stats.verdict import verdict

ALPHA = 0.05
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Row:
    strategy: str
    metric: object                       # results.metrics.Metric
    comparison: Optional[Comparison]     # None when skipped
    verdict: Optional[str]
    skipped: Optional[str] = None        # why the metric was not compared


@dataclass(frozen=True)
class Analysis:
    reference: str       # what the candidates are compared with (a strategy or a build)
    design: str          # PAIRED or UNPAIRED
    alpha: float
    confidence: float
    metrics: tuple
    rows: list
    geomean: dict        # metric key -> geometric mean of the median ratios (or None)
    warnings: list = field(default_factory=list)


@dataclass(frozen=True)
class Contender:
    """One candidate and the repetitions it is compared against."""
    strategy: str
    reference_iterations: list
    candidate_iterations: list


def analyze(reference, contenders, metrics, design=PAIRED, alpha=ALPHA,
            confidence=CONFIDENCE):
    rows = [compare_metric(contender, metric, design, alpha, confidence)
            for contender in contenders for metric in metrics]
    warnings = noise_warnings([(r.strategy, r.metric.label, r.comparison)
                               for r in rows if r.comparison])
    geomean = {m.key: geometric_mean([r.comparison.median_ratio for r in rows
                                      if r.metric == m and r.comparison])
               for m in metrics}
    return Analysis(reference, design, alpha, confidence, tuple(metrics), rows, geomean,
                    warnings)


def compare_metric(contender, metric, design, alpha, confidence):
    take = paired_samples if design == PAIRED else unpaired_samples
    samples = take(contender.reference_iterations, contender.candidate_iterations,
                   metric.key)
    if samples.skipped:
        return Row(contender.strategy, metric, None, None, samples.skipped)
    test = compare_paired if design == PAIRED else compare_unpaired
    comparison = test(samples.reference, samples.candidate, alpha, confidence)
    return Row(contender.strategy, metric, comparison,
               verdict(comparison, metric.higher_is_better))
