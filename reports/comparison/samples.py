"""The values one metric contributes to a comparison, and why a metric is left out.

A metric is skipped, with the reason said, rather than compared on made-up numbers:
null means "not measured" (latency under --measure minimal, or for the null strategy),
and a zero (the null strategy's pipeline CPU) has no ratio. Failed repetitions are left
out of every metric.
"""
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Samples:
    reference: list
    candidate: list
    skipped: Optional[str] = None  # why there is nothing to compare


def paired_iterations(reference_iterations, candidate_iterations, key=None):
    """The (reference, candidate) iterations of each repetition index both sides ran
    successfully, in index order; with `key`, only the pairs where both have a value of
    it that makes a ratio (the pairs paired_samples compares)."""
    reference = _ok_by_index(reference_iterations)
    candidate = _ok_by_index(candidate_iterations)
    pairs = [(reference[i], candidate[i]) for i in sorted(set(reference) & set(candidate))]
    if key is None:
        return pairs
    return [(a, b) for a, b in pairs if _usable(a.value(key)) and _usable(b.value(key))]


def paired_samples(reference_iterations, candidate_iterations, key):
    """Values of `key` for the repetition indices both sides ran successfully."""
    both = paired_iterations(reference_iterations, candidate_iterations)
    if not both:
        return Samples([], [], "no repetition succeeded on both sides")
    a = [x.value(key) for x, _ in both]
    b = [y.value(key) for _, y in both]
    skipped = _why_unusable(a, b, *both[0])
    if skipped:
        return Samples([], [], skipped)
    pairs = [(x, y) for x, y in zip(a, b) if _usable(x) and _usable(y)]
    if not pairs:
        return Samples([], [], "no repetition has a value on both sides")
    return Samples([x for x, _ in pairs], [y for _, y in pairs])


def unpaired_samples(reference_iterations, candidate_iterations, key):
    """Values of `key` from every successful repetition of each side."""
    a_its = [it for it in reference_iterations if it.ok]
    b_its = [it for it in candidate_iterations if it.ok]
    if not a_its or not b_its:
        return Samples([], [], "no successful repetition on one side")
    a = [it.value(key) for it in a_its]
    b = [it.value(key) for it in b_its]
    skipped = _why_unusable(a, b, a_its[0], b_its[0])
    if skipped:
        return Samples([], [], skipped)
    return Samples([x for x in a if _usable(x)], [y for y in b if _usable(y)])


def _ok_by_index(iterations):
    return {it.repetition_index: it for it in iterations if it.ok}


def _why_unusable(a, b, reference_example, candidate_example):
    # Said of the candidate's row, so only the reference needs naming.
    for values, example, side in ((b, candidate_example, ""),
                                  (a, reference_example, " in the reference")):
        if all(v is None for v in values):
            how = " (--measure minimal)" if example.raw.get("measure") == "minimal" else ""
            return f"not measured{side}{how}"
        if not any(_usable(v) for v in values):
            return f"zero{side}: no ratio"
    return None


def _usable(value):
    return value is not None and value > 0 and value != float("inf")
