"""Medians with the gate's interval, and what counts as a value."""
import unittest
from typing import Dict, List, Optional, Sequence

from reports.stats import median
from reports.stats.paired import compare_paired


def interval(xs: Sequence[float]) -> median.MedianInterval:
    mi = median.median_interval(xs)
    assert mi is not None
    return mi


class MedianIntervalTest(unittest.TestCase):
    def test_the_interval_is_the_gates(self) -> None:
        xs = [100.0, 103.0, 98.0, 110.0, 95.0, 101.0, 99.0, 104.0, 97.0, 120.0]
        mi = interval(xs)
        gate = compare_paired([1.0] * len(xs), xs)
        self.assertEqual((mi.median, mi.low, mi.high, mi.exact),
                         (gate.median_ratio, gate.ci_low, gate.ci_high, True))

    def test_the_same_values_give_the_same_interval(self) -> None:
        # Seeded: a report drawn twice, or on another machine, draws the same bars.
        xs = [5, 1, 4, 2, 3, 9]
        self.assertEqual(interval(xs), interval(list(reversed(xs))))

    def test_one_value_has_no_interval(self) -> None:
        mi = interval([7])
        self.assertEqual((mi.median, mi.low, mi.high, mi.n, mi.exact), (7, 7, 7, 1, False))
        self.assertIn("single repetition", median.interval_note([mi]))

    def test_null_and_absent_values_are_skipped(self) -> None:
        runs: List[Dict[str, Optional[object]]] = [{"x": 1.0}, {"x": None}, {}, {"x": 3},
                                                   {"x": True}]
        self.assertEqual(median.values(runs, "x"), [1.0, 3.0])
        self.assertEqual(median.median_of(runs, "x"), 2.0)
        self.assertIsNone(median.median_of([{}], "x"))
        self.assertIsNone(median.median_interval([]))


if __name__ == "__main__":
    unittest.main()
