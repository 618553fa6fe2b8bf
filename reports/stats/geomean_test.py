import unittest

from reports.stats.geomean import geometric_mean


class GeometricMean(unittest.TestCase):
    def test_symmetric_ratios_cancel(self):
        self.assertAlmostEqual(geometric_mean([2.0, 0.5]), 1.0)
        self.assertAlmostEqual(geometric_mean([0.5, 0.5, 4.0]), 1.0)

    def test_missing_ratios_are_left_out(self):
        self.assertAlmostEqual(geometric_mean([1.21, None, 1.0]), 1.1)
        self.assertIsNone(geometric_mean([]))


if __name__ == "__main__":
    unittest.main()
