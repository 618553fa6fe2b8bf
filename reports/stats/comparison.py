"""The outcome of comparing a candidate's repetitions with a reference's: numbers only.
Words (the verdict) come from verdict.py, layout from reports/render."""
from dataclasses import dataclass
from typing import Optional

PAIRED = "paired"
UNPAIRED = "unpaired"


@dataclass(frozen=True)
class Comparison:
    design: str                # PAIRED or UNPAIRED
    n: int                     # candidate repetitions (pairs when paired)
    reference_n: int           # reference repetitions (== n when paired)
    reference_median: float
    median: float
    # Paired: median of the per-repetition ratios B_i/A_i.
    # Unpaired: median(B) / median(A).
    median_ratio: float
    ci_low: Optional[float]    # bootstrap interval of median_ratio; None below 2 repetitions
    ci_high: Optional[float]
    p_value: Optional[float]   # Wilcoxon signed-rank (paired) or Mann-Whitney U (unpaired)
    alpha: float
    confidence: float
    # Too few repetitions for the test to ever reach p < alpha; then how many the
    # candidate needs (None when adding candidate repetitions cannot help: the
    # reference of an unpaired comparison is too small).
    too_few: bool
    needed_repetitions: Optional[int]
    # Coefficient of variation of the per-repetition ratios (paired) or of the candidate
    # (unpaired): how noisy this comparison is.
    spread_cv: Optional[float]
    # One-sided p of the same test: the candidate's values higher than the reference's,
    # and lower. The gate asks only "worse?", so its level alpha is spent on one side.
    p_higher: Optional[float] = None
    p_lower: Optional[float] = None

    @property
    def significant(self):
        return not self.too_few and self.p_value is not None \
            and self.p_value < self.alpha
