"""The change-point detector on synthetic series with planted steps (seeded noise)."""
import unittest

import numpy as np

from reports.history import changes


def noisy(n, cv, seed, steps=()):
    """n points around 100 with Gaussian noise of coefficient of variation `cv`, the level
    multiplied by 1 + size from each (index, size) in `steps` on."""
    values = 100 * (1 + cv * np.random.default_rng(seed).standard_normal(n))
    for at, size in steps:
        values[at:] *= 1 + size
    return [(f"c{i}", v) for i, v in enumerate(values)]


class PlantedSteps(unittest.TestCase):
    def test_one_step_is_found_where_it_is(self):
        found = changes.change_points(noisy(200, 0.03, seed=1, steps=[(137, 0.10)]))
        self.assertEqual(len(found), 1)
        c = found[0]
        self.assertLessEqual(abs(c.index - 137), 2)
        self.assertEqual((c.before, c.after), (f"c{c.index - 1}", f"c{c.index}"))
        self.assertLess(c.low, 0.10)
        self.assertGreater(c.high, 0.10)
        self.assertGreater(c.low, 0.05)
        self.assertLess(c.p_value, changes.P_VALUE)

    def test_placed_by_the_means_between_neighbours(self):
        # These windows put the candidate 12 to 42 points away (88, 130, 190, 113); the
        # split that best separates the means around it finds the step.
        for at, seed in ((75, 20), (155, 5), (155, 10), (155, 23)):
            found = changes.change_points(noisy(200, 0.06, seed=seed, steps=[(at, 0.06)]))
            self.assertEqual(len(found), 1, (at, seed))
            self.assertLessEqual(abs(found[0].index - at), 2, (at, seed))

    def test_a_rise_and_a_fall_are_two_change_points(self):
        found = changes.change_points(
            noisy(300, 0.02, seed=2, steps=[(90, 0.05), (210, -0.08)]))
        self.assertEqual([abs(c.index - at) <= 3 for c, at in zip(found, (90, 210))],
                         [True, True])
        self.assertEqual(len(found), 2)
        self.assertGreater(found[0].change, 0)
        self.assertLess(found[1].change, 0)

    def test_a_regression_fixed_soon_after_is_found_at_both_ends(self):
        # Windows: over 600 points, 25 slow ones are too short a stretch for a split of the
        # whole series to stand out; within a window of 120 they are not.
        for seed in range(8):
            series = [(c, v * (1.06 if 300 <= i < 325 else 1))
                      for i, (c, v) in enumerate(noisy(600, 0.02, seed=20 + seed))]
            found = changes.change_points(series)
            self.assertEqual(len(found), 2, seed)
            self.assertLessEqual(abs(found[0].index - 300), 3, seed)
            self.assertLessEqual(abs(found[1].index - 325), 3, seed)
            self.assertGreater(found[0].change, 0)
            self.assertLess(found[1].change, 0)

    def test_noise_alone_has_no_change_point(self):
        for seed in range(5):
            self.assertEqual(changes.change_points(noisy(300, 0.06, seed=10 + seed)), [],
                             seed)

    def test_a_series_without_noise(self):
        self.assertEqual(changes.change_points([(i, 5.0) for i in range(60)]), [])
        found = changes.change_points([(i, 5.0 if i < 30 else 6.0) for i in range(60)])
        self.assertEqual([(c.index, c.p_value) for c in found], [(30, 0.0)])
        self.assertAlmostEqual(found[0].change, 0.2)

    def test_too_short_a_series_has_none(self):
        self.assertEqual(changes.change_points(noisy(9, 0.01, 4, steps=[(5, 0.5)])), [])


class Determinism(unittest.TestCase):
    def test_same_input_same_output(self):
        series = noisy(250, 0.06, seed=5, steps=[(100, 0.08)])
        first = changes.change_points(series)
        self.assertTrue(first)
        for _ in range(3):
            self.assertEqual(changes.change_points(list(series)), first)


class Incremental(unittest.TestCase):
    def test_appending_gives_what_the_whole_series_gives(self):
        series = noisy(330, 0.03, seed=6, steps=[(70, 0.06), (200, -0.05), (300, 0.10)])
        detector = changes.Detector()
        seen = []
        for i, (commit, value) in enumerate(series, 1):
            detector.append(commit, value)
            if i % 15 == 0 or i == len(series):
                seen.append(detector.change_points())
                self.assertEqual(seen[-1], changes.change_points(series[:i]), i)
        self.assertEqual(len(seen[-1]), 3)
        self.assertLess(len(seen[0]), 3)   # prefixes did differ: the check was not idle

    def test_a_point_costs_a_window_not_the_series(self):
        detector = changes.Detector()
        detector.extend(noisy(599, 0.05, seed=7))
        self.assertGreaterEqual(detector.examined, 599)   # every window, once
        detector.append("new", 100.0)
        self.assertGreater(detector.examined, 0)
        self.assertLessEqual(detector.examined, 2 * changes.WINDOW)

    def test_extending_a_detector_equals_the_batch(self):
        series = noisy(260, 0.02, seed=8, steps=[(150, 0.04)])
        detector = changes.Detector()
        detector.extend(series[:130])
        detector.extend(series[130:])
        self.assertEqual(detector.change_points(), changes.change_points(series))


if __name__ == "__main__":
    unittest.main()
