"""Calibration by resampling an A/A pool whose noise is known."""
import unittest

import numpy as np

from reports.ci.calibrate import calibrate, detectable_effect, fire_rate

QUIET = np.random.default_rng(7).normal(0.0, 0.01, size=40)    # ~1 % per pair
NOISY = np.random.default_rng(7).normal(0.0, 0.30, size=40)    # ~30 % per pair


class Calibrate(unittest.TestCase):
    def test_quiet_machine(self):
        cal = calibrate(QUIET, repetitions=20, threshold=0.05, alpha=0.01, trials=300)
        self.assertEqual(cal.pool, 40)
        self.assertAlmostEqual(cal.cv, float(np.std(np.exp(QUIET), ddof=1) /
                                             np.mean(np.exp(QUIET))))
        self.assertEqual(cal.false_alarm_rate, 0.0)
        # With 1 % noise a 5 % gate catches a bit more than 5 %, never less.
        self.assertGreater(cal.detectable_effect, 0.05)
        self.assertLessEqual(cal.detectable_effect, 0.065)
        # A/A medians of 20 stay well within 1 %: the smallest threshold offered.
        self.assertEqual(cal.suggested_threshold, 0.01)
        # +10 % against 1 % noise: all 8 signs agree, p = 2/2^8 < 0.01. 8 is the least.
        self.assertEqual(cal.suggested_repetitions, 8)
        # Against a 5 % threshold, +5 % sits on it (about half the medians fall short)
        # and +10 % is always caught.
        self.assertGreater(cal.catch_rates[0.05], 0.2)
        self.assertLess(cal.catch_rates[0.05], 0.8)
        self.assertEqual(cal.catch_rates[0.10], 1.0)

    def test_noisy_machine(self):
        cal = calibrate(NOISY, repetitions=20, threshold=0.05, alpha=0.01, trials=300)
        # The median of 20 ratios spread by 30 % moves by ~8 %: only large effects show.
        self.assertGreater(cal.detectable_effect, 0.25)
        self.assertGreater(cal.suggested_threshold, 0.10)
        self.assertLessEqual(cal.false_alarm_rate, 0.01)
        self.assertLess(cal.catch_rates[0.10], 0.5)

    def test_rates_move_the_right_way(self):
        rng = np.random.default_rng(1)
        low = fire_rate(QUIET, 20, 0.05, 0.01, 0.04, 400, rng)
        high = fire_rate(QUIET, 20, 0.05, 0.01, 0.08, 400, rng)
        self.assertEqual((low, high), (0.0, 1.0))
        self.assertIsNone(detectable_effect(QUIET, 3, 0.05, 0.01, 200, rng))  # n < 8


if __name__ == "__main__":
    unittest.main()
