"""Unpaired comparison (Mann-Whitney U, ratio of medians) on synthetic samples."""
import statistics
import unittest

from reports.stats.unpaired import compare_unpaired
from reports.stats.verdict import NO_CHANGE, SLOWER, TOO_FEW, evidence, verdict

REFERENCE = [1000 + 7 * ((i * 37) % 11) for i in range(20)]


class Unpaired(unittest.TestCase):
    def test_clear_regression(self):
        candidate = [1.2 * v for v in REFERENCE[:10]]
        c = compare_unpaired(REFERENCE, candidate)
        self.assertEqual(verdict(c, higher_is_better=False), SLOWER)
        self.assertAlmostEqual(c.median_ratio,
                               statistics.median(candidate) / statistics.median(REFERENCE))
        self.assertLess(c.p_value, 1e-4)
        self.assertGreater(c.ci_low, 1.1)
        self.assertEqual((c.n, c.reference_n), (10, 20))
        self.assertEqual(evidence(c), f"p={c.p_value:.1e}, n=10 vs 20, unpaired")
        # One-sided: the change is on the "higher" side, none on the other.
        self.assertLess(c.p_higher, c.p_value)
        self.assertGreater(c.p_lower, 0.99)

    def test_same_distribution_is_no_change(self):
        c = compare_unpaired(REFERENCE, REFERENCE[::-1])
        self.assertEqual(verdict(c, higher_is_better=False), NO_CHANGE)
        self.assertEqual(c.median_ratio, 1.0)

    def test_too_few(self):
        # Completely separated sizes 3 and k: exact p = 2 / C(3 + k, 3), which first drops
        # below 0.05 at k = 5 (2/56); k = 4 gives 2/35 = 0.057.
        c = compare_unpaired([100, 101, 102], [150, 151])
        self.assertEqual(verdict(c, higher_is_better=False), TOO_FEW)
        self.assertEqual(c.needed_repetitions, 5)

    def test_identical_constant_samples(self):
        c = compare_unpaired([5.0] * 10, [5.0] * 10)
        self.assertEqual(c.p_value, 1.0)


if __name__ == "__main__":
    unittest.main()
