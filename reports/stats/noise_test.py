import unittest

from reports.stats.noise import noise_warnings
from reports.stats.paired import compare_paired


class NoiseWarnings(unittest.TestCase):
    def test_wide_spread_and_few_repetitions(self):
        ratios = [1.0, 1.3, 0.8, 1.2, 0.9, 1.1, 0.75, 1.25]
        c = compare_paired([100.0] * 8, [100.0 * r for r in ratios])
        found = noise_warnings([("x", "receive-path CPU", c), ("x", "receiver CPU", c)])
        self.assertEqual(found, [
            "x: wide spread (CV of the repetitions' ratios: receive-path CPU 20 %, "
            "receiver CPU 20 %); its intervals are wide: add repetitions or pin threads",
            "only 8 repetitions: 10 or more give steadier intervals"])

    def test_quiet_when_steady_and_enough(self):
        c = compare_paired([100.0] * 12, [101.0, 100.5] * 6)
        self.assertEqual(noise_warnings([("x", "m", c)]), [])

    def test_too_few_is_the_verdict_not_a_warning(self):
        c = compare_paired([100.0] * 3, [101.0] * 3)
        self.assertEqual(noise_warnings([("x", "m", c)]), [])


if __name__ == "__main__":
    unittest.main()
