"""A time-tier step's verdict from its comparison: regressed by the gate's rule,
unchanged only when clearly so, unclear between (made-up comparisons)."""
import unittest
from typing import Optional

from reports.bisection.step import REGRESSED, UNCHANGED, UNCLEAR, decide_time
from reports.ci.rule import Rule
from reports.stats.comparison import PAIRED, Comparison

RULE = Rule(threshold=0.05, ignore_below=0.02, alpha=0.01)


def paired(ratio: float, low: float, high: float, p_higher: float, p_lower: float = 0.5,
           n: int = 40, too_few: bool = False) -> Comparison:
    return Comparison(PAIRED, n, n, 3000.0, 3000.0 * ratio, ratio, low, high, None, 0.01,
                      0.99, too_few, 8 if too_few else None, 0.01, p_higher, p_lower)


def verdict(c: Optional[Comparison], higher_is_better: bool = False) -> str:
    return decide_time(c, RULE, higher_is_better, "skipped").verdict


class TimeStep(unittest.TestCase):
    def test_the_gates_rule_regresses(self) -> None:
        self.assertEqual(verdict(paired(1.03, 1.02, 1.04, p_higher=0.001)), REGRESSED)

    def test_significant_but_ignored_is_unchanged(self) -> None:
        self.assertEqual(verdict(paired(1.01, 1.005, 1.015, p_higher=0.001)), UNCHANGED)

    def test_between_ignored_and_threshold_not_significant_is_unclear(self) -> None:
        self.assertEqual(verdict(paired(1.03, 0.99, 1.045, p_higher=0.05)), UNCLEAR)

    def test_small_estimate_with_an_interval_reaching_the_threshold_is_unclear(self) -> None:
        # The gate passes it, but a regression of the threshold's size is not excluded.
        self.assertEqual(verdict(paired(1.01, 0.97, 1.06, p_higher=0.3)), UNCLEAR)

    def test_faster_is_unchanged(self) -> None:
        self.assertEqual(verdict(paired(0.90, 0.88, 0.92, p_higher=1.0, p_lower=0.001)),
                         UNCHANGED)

    def test_higher_is_better_worse_side_is_lower(self) -> None:
        self.assertEqual(verdict(paired(0.97, 0.96, 0.98, p_higher=1.0, p_lower=0.001),
                                 higher_is_better=True), REGRESSED)
        self.assertEqual(verdict(paired(1.10, 1.08, 1.12, p_higher=0.001),
                                 higher_is_better=True), UNCHANGED)

    def test_too_few_or_not_compared_is_unclear(self) -> None:
        self.assertEqual(verdict(paired(1.20, 1.1, 1.3, p_higher=0.03, n=5, too_few=True)),
                         UNCLEAR)
        self.assertEqual(verdict(None), UNCLEAR)


if __name__ == "__main__":
    unittest.main()
