"""A comparison in words, verdict first: "1.12x slower", "no significant change",
"too few repetitions: 3, need 6". CPU and latency are lower-is-better (faster/slower);
a higher-is-better metric such as the delivered fraction is better/worse."""

FASTER = "faster"
SLOWER = "slower"
BETTER = "better"
WORSE = "worse"
NO_CHANGE = "no significant change"
TOO_FEW = "too few repetitions"


def verdict(comparison, higher_is_better):
    if comparison.too_few:
        return TOO_FEW
    if not comparison.significant or comparison.median_ratio == 1:
        return NO_CHANGE
    up = comparison.median_ratio > 1
    if higher_is_better:
        return BETTER if up else WORSE
    return SLOWER if up else FASTER


def is_worse(comparison, higher_is_better):
    """The point estimate lies on the bad side of 1 (significant or not)."""
    if higher_is_better:
        return comparison.median_ratio < 1
    return comparison.median_ratio > 1


def headline(comparison, higher_is_better):
    """The verdict as a person says it."""
    word = verdict(comparison, higher_is_better)
    ratio = comparison.median_ratio
    if word == TOO_FEW:
        if comparison.needed_repetitions is None:
            return f"{TOO_FEW}: the reference has only {comparison.reference_n}"
        return f"{TOO_FEW}: {comparison.n}, need {comparison.needed_repetitions}"
    if word == SLOWER:
        return f"{ratio:.2f}x slower"
    if word == FASTER:
        return f"{1 / ratio:.2f}x faster"
    if word in (BETTER, WORSE):
        return f"{abs(ratio - 1) * 100:.1f} % {word}"
    return word


def evidence(comparison):
    """What the verdict rests on: "p=0.002, n=10" (with "unpaired" when it is)."""
    p = "p=-" if comparison.p_value is None else f"p={format_p(comparison.p_value)}"
    if comparison.design == "paired":
        return f"{p}, n={comparison.n}"
    return f"{p}, n={comparison.n} vs {comparison.reference_n}, unpaired"


def interval_text(comparison):
    """"1.120 [1.080, 1.160]": the ratio and its bootstrap interval ("[-]" with none)."""
    c = comparison
    if c.ci_low is None:
        return f"{c.median_ratio:.3f} [-]"
    return f"{c.median_ratio:.3f} [{c.ci_low:.3f}, {c.ci_high:.3f}]"


def format_p(p):
    return f"{p:.3f}" if p >= 0.001 else f"{p:.1e}"
