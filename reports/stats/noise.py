"""Warnings in the manner of pyperf and benchstat: rather than print a confident number,
say when the spread is wide or the repetitions few. One line per strategy, not one per
metric: a noisy run is noisy in every metric."""

# pyperf warns when the standard deviation exceeds 10 % of the mean.
WIDE_CV = 0.10
# benchstat advises at least 10 runs per side before trusting an interval.
FEW_REPETITIONS = 10


def noise_warnings(named):
    """`named`: (strategy, metric label, Comparison) triples, in table order."""
    found = []
    wide = {}
    for strategy, label, c in named:
        if c.spread_cv is not None and c.spread_cv > WIDE_CV:
            wide.setdefault(strategy, []).append(f"{label} {c.spread_cv * 100:.0f} %")
    for strategy, parts in wide.items():
        found.append(f"{strategy}: wide spread (CV of the repetitions' ratios: "
                     f"{', '.join(parts)}); its intervals are wide: add repetitions "
                     "or pin threads")
    judged = [c.n for _, _, c in named if not c.too_few]
    if judged and min(judged) < FEW_REPETITIONS:
        found.append(f"only {min(judged)} repetitions: {FEW_REPETITIONS} or more give "
                     "steadier intervals")
    return found
