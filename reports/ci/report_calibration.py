"""The calibration (A/A) summary: per strategy, for the first gated metric, how noisy
the pairs are, how often the gate would fire for nothing, what it can catch, and what to
set instead."""
import math

from reports.ci.calibrate import DETECTION, REPORTED_EFFECTS, TARGET_EFFECT, TRIALS, \
    calibrate
from reports.comparison.samples import paired_samples
from reports.results.metrics import lookup


def report_calibration(contenders, repetitions, config):
    key, threshold = next(iter(config.thresholds.items()), (None, None))
    if key is None:
        return "calibration: no gated metric in the configuration"
    metric = lookup(key)
    lines = [f"calibration: {metric.label}, gate at {threshold * 100:g} % and p < "
             f"{config.alpha}, {repetitions} repetitions. Rates estimated by resampling "
             f"this run's A/A pairs ({TRIALS} simulated gate runs with replacement and "
             "random signs), not by repeated gate runs.",
             "strategy        pairs  CV of ratios  false alarms  "
             + "".join(f"+{e * 100:g} % caught  " for e in REPORTED_EFFECTS)
             + f"catches (>= {DETECTION * 100:.0f} %)  suggest: threshold  repetitions"]
    suggestions = []
    for c in contenders:
        samples = paired_samples(c.reference_iterations, c.candidate_iterations, key)
        if samples.skipped or len(samples.reference) < 2:
            lines.append(f"{c.strategy:<15} {samples.skipped or 'too few pairs'}")
            continue
        logs = [math.log(b / a) for a, b in zip(samples.reference, samples.candidate)]
        cal = calibrate(logs, repetitions, threshold, config.alpha)
        suggestions.append(cal)
        catches = "-" if cal.detectable_effect is None else \
            f"+{cal.detectable_effect * 100:.1f} %"
        reps = "-" if cal.suggested_repetitions is None else str(cal.suggested_repetitions)
        caught = "".join(f"{cal.catch_rates[e] * 100:>10.1f} %  " for e in REPORTED_EFFECTS)
        lines.append(f"{c.strategy:<15} {cal.pool:>5}  {cal.cv * 100:>10.1f} %  "
                     f"{cal.false_alarm_rate * 100:>10.1f} %  {caught}{catches:>17}  "
                     f"{cal.suggested_threshold * 100:>16.1f} %  {reps:>11}")
    if suggestions:
        worst_t = max(s.suggested_threshold for s in suggestions)
        needed = [s.suggested_repetitions for s in suggestions]
        reps = "more than 60" if None in needed else str(max(needed))
        lines.append(f"suggestion: threshold {worst_t * 100:.1f} % and {reps} repetitions "
                     f"(catches +{TARGET_EFFECT * 100:.0f} % in >= {DETECTION * 100:.0f} % "
                     "of runs with <= 1 % false alarms)")
    return "\n".join(lines)
