"""Paired comparison on synthetic samples whose right answers are known by hand."""
import unittest

from reports.stats.paired import compare_paired, signed_rank_p
from reports.stats.verdict import (FASTER, NO_CHANGE, SLOWER, TOO_FEW, WORSE, headline,
                                   verdict)

REFERENCE = [1000, 1040, 980, 1010, 1100, 960, 1020, 990, 1050, 1005, 970, 1030]
# Per-pair noise around 1 whose median is exactly 1.0 (sorted, the 6th and 7th are 1.0).
NOISE = [0.99, 1.01, 1.00, 1.02, 0.98, 1.005, 0.995, 1.015, 0.985, 1.00, 1.01, 0.99]


def scaled(factor, n=len(REFERENCE)):
    return [r * factor * e for r, e in zip(REFERENCE[:n], NOISE[:n])]


class ClearRegression(unittest.TestCase):
    def setUp(self):
        self.c = compare_paired(REFERENCE, scaled(1.2))

    def test_verdict_is_slower(self):
        self.assertEqual(verdict(self.c, higher_is_better=False), SLOWER)
        self.assertEqual(headline(self.c, higher_is_better=False), "1.20x slower")

    def test_median_ratio_and_interval(self):
        self.assertAlmostEqual(self.c.median_ratio, 1.2, places=9)
        self.assertTrue(1.2 * 0.98 <= self.c.ci_low <= 1.2 <= self.c.ci_high <= 1.2 * 1.02,
                        (self.c.ci_low, self.c.ci_high))

    def test_exact_wilcoxon_p_when_every_pair_is_slower(self):
        # All 12 signs agree: the exact two-sided p is 2 / 2^12.
        self.assertEqual(self.c.p_value, 2 / 2 ** 12)
        self.assertEqual(self.c.n, 12)

    def test_one_sided_p_is_half_on_the_side_of_the_change(self):
        # The gate's question, "higher?": P(all 12 signs positive) = 1 / 2^12. "Lower?"
        # has no evidence at all.
        self.assertEqual((self.c.p_higher, self.c.p_lower), (1 / 2 ** 12, 1.0))
        self.assertIsNone(self.c.needed_repetitions)

    def test_medians_of_each_side(self):
        self.assertEqual(self.c.reference_median, 1007.5)


class ClearImprovement(unittest.TestCase):
    def test_faster(self):
        c = compare_paired(REFERENCE, scaled(0.8))
        self.assertEqual(verdict(c, higher_is_better=False), FASTER)
        self.assertEqual(headline(c, higher_is_better=False), "1.25x faster")
        self.assertLess(c.ci_high, 1.0)


class PureNoise(unittest.TestCase):
    def test_symmetric_noise_is_no_change(self):
        factors = [1.03, 1 / 1.03, 1.05, 1 / 1.05, 1.01, 1 / 1.01,
                   1.02, 1 / 1.02, 1.04, 1 / 1.04, 1.06, 1 / 1.06]
        c = compare_paired(REFERENCE, [r * f for r, f in zip(REFERENCE, factors)])
        self.assertEqual(verdict(c, higher_is_better=False), NO_CHANGE)
        self.assertGreater(c.p_value, 0.9)
        self.assertAlmostEqual(c.median_ratio, 1.0, places=3)
        self.assertLess(c.ci_low, 1.0)
        self.assertGreater(c.ci_high, 1.0)

    def test_identical_pairs_are_no_change(self):
        c = compare_paired(REFERENCE, REFERENCE)
        self.assertEqual(c.p_value, 1.0)
        self.assertEqual((c.ci_low, c.ci_high), (1.0, 1.0))
        self.assertEqual(verdict(c, higher_is_better=False), NO_CHANGE)


class TooFewRepetitions(unittest.TestCase):
    def test_three_pairs_need_six_at_5_percent(self):
        c = compare_paired(REFERENCE[:3], scaled(1.5, n=3))
        self.assertEqual(verdict(c, higher_is_better=False), TOO_FEW)
        self.assertEqual(c.needed_repetitions, 6)
        self.assertEqual(headline(c, higher_is_better=False), "too few repetitions: 3, need 6")

    def test_need_eight_at_1_percent(self):
        c = compare_paired(REFERENCE[:7], scaled(1.5, n=7), alpha=0.01)
        self.assertEqual(c.needed_repetitions, 8)

    def test_boundary_five_is_too_few_six_is_enough(self):
        self.assertEqual(verdict(compare_paired(REFERENCE[:5], scaled(1.5, n=5)), False),
                         TOO_FEW)
        six = compare_paired(REFERENCE[:6], scaled(1.5, n=6))
        self.assertEqual(verdict(six, False), SLOWER)
        self.assertEqual(six.p_value, 2 / 2 ** 6)

    def test_one_pair_has_no_interval(self):
        c = compare_paired([100.0], [120.0])
        self.assertIsNone(c.ci_low)
        self.assertEqual(c.median_ratio, 1.2)


class HigherIsBetter(unittest.TestCase):
    def test_less_delivered_is_worse(self):
        delivered = [0.97, 0.975, 0.965, 0.97, 0.968, 0.972, 0.971, 0.969]
        c = compare_paired([1.0] * 8, delivered)
        self.assertEqual(verdict(c, higher_is_better=True), WORSE)
        self.assertEqual(headline(c, higher_is_better=True), "3.0 % worse")


class BadInput(unittest.TestCase):
    def test_zero_and_missing_values_are_refused(self):
        with self.assertRaises(ValueError):
            compare_paired([1.0, 0.0], [1.0, 1.0])
        with self.assertRaises(ValueError):
            compare_paired([1.0, None], [1.0, 1.0])
        with self.assertRaises(ValueError):
            compare_paired([1.0, 2.0], [1.0])

    def test_signed_rank_all_zero_is_one(self):
        self.assertEqual(signed_rank_p([0.0, 0.0, 0.0]), 1.0)

    def test_signed_rank_of_many_samples_is_each_sample_s(self):
        """ci --calibrate's simulated gates: one p per row, each the p of that row alone
        (an all-zero row among them included)."""
        rows = [[0.03, -0.01, 0.02, 0.05, 0.04, -0.02, 0.06, 0.01],
                [0.0] * 8,
                [-0.03, -0.01, -0.02, -0.05, -0.04, 0.02, -0.06, -0.01]]
        for alternative in ("two-sided", "greater", "less"):
            self.assertEqual(list(signed_rank_p(rows, alternative)),
                             [signed_rank_p(row, alternative) for row in rows])


if __name__ == "__main__":
    unittest.main()
