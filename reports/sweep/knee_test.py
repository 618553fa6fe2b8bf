"""The knee search on synthetic loss data: a receiver that starts losing above a known
rate, behind a generator that cannot send faster than ~600 kpps."""
import copy
import json
import os
import unittest

from reports.sweep import knee, point

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "html", "testdata")
GENERATOR_CEILING = 600_000


def recorded_run():
    """A real loss-free iteration (combined-list at 200 kpps) to shape synthetic ones from."""
    with open(os.path.join(TESTDATA, "compare-high-rate.json"), encoding="utf-8") as f:
        doc = json.load(f)
    return next(b for b in doc["benchmarks"] if b.get("run_type") == "iteration"
                and b["strategy"] == "combined-list" and b["ok"])


class LossModel:
    """Loses 1 % of the excess above `knee_pps`; the generator tops out at the ceiling."""

    def __init__(self, knee_pps):
        self.knee_pps, self.template, self.calls = knee_pps, recorded_run(), []

    def run(self, rate):
        r = copy.deepcopy(self.template)
        achieved = min(rate, GENERATOR_CEILING)
        r.update(offered_pps=rate, achieved_pps=achieved, packets_sent=int(achieved),
                 kernel_drops=int(max(0, achieved - self.knee_pps) * 0.01))
        r.pop("generator_fell_behind", None)  # as in results older than the flag
        return r

    def probe(self, rate):
        self.calls.append(rate)
        return point.summarise("x", rate, [self.run(rate)] * 3)["verdict"]


class BisectTest(unittest.TestCase):
    def test_finds_the_knee_to_the_resolution(self):
        model = LossModel(knee_pps=187_300)
        k = knee.bisect_max_loss_free(model.probe, 10_000, 650_000, resolution=0.05)
        self.assertTrue(k.finished)
        self.assertLessEqual(k.max_loss_free_pps, 187_300)
        self.assertGreater(k.first_bad_pps, 187_300)
        self.assertLessEqual(k.first_bad_pps / k.max_loss_free_pps, 1.05)
        self.assertEqual(k.first_bad_verdict, point.LOSSY)
        # Geometric bisection: the bracket 650k/10k = 65 shrinks to 1.05 after
        # ceil(log2(ln 65 / ln 1.05)) = 7 probes, plus the two ends.
        self.assertLessEqual(len(model.calls), 9)
        self.assertEqual(model.calls[:2], [10_000, 650_000])

    def test_a_low_knee_costs_no_more_probes(self):
        # Rates span decades: halving in log space finds a 15 kpps knee as fast as a
        # 187 kpps one (an arithmetic midpoint would need 12 probes here).
        model = LossModel(knee_pps=15_000)
        k = knee.bisect_max_loss_free(model.probe, 10_000, 650_000, resolution=0.05)
        self.assertLessEqual(k.max_loss_free_pps, 15_000)
        self.assertLessEqual(k.first_bad_pps / k.max_loss_free_pps, 1.05)
        self.assertLessEqual(len(model.calls), 9)

    def test_a_rate_the_generator_cannot_offer_is_never_loss_free(self):
        # This receiver never loses a packet; only the generator limits the sweep.
        model = LossModel(knee_pps=10_000_000)
        k = knee.bisect_max_loss_free(model.probe, 10_000, 650_000, resolution=0.02)
        self.assertLess(k.max_loss_free_pps, GENERATOR_CEILING / 0.98 + 1)
        self.assertGreater(k.first_bad_pps, GENERATOR_CEILING)
        self.assertEqual(k.first_bad_verdict, point.GENERATOR_SHORT)
        self.assertIn("receiver's own limit was not reached", k.note)
        for rate, verdict in k.probes:
            if rate > GENERATOR_CEILING / 0.98:
                self.assertNotEqual(verdict, point.LOSS_FREE, rate)

    def test_lossy_at_the_lowest_rate_finds_none(self):
        k = knee.bisect_max_loss_free(LossModel(knee_pps=5_000).probe, 10_000, 650_000)
        self.assertIsNone(k.max_loss_free_pps)
        self.assertEqual(k.first_bad_pps, 10_000)
        self.assertIn("not loss-free even at the lowest rate", k.note)

    def test_loss_free_at_the_highest_rate_says_the_knee_is_higher(self):
        k = knee.bisect_max_loss_free(LossModel(knee_pps=10_000_000).probe, 10_000, 500_000)
        self.assertEqual(k.max_loss_free_pps, 500_000)
        self.assertIsNone(k.first_bad_pps)

    def test_out_of_time_keeps_the_bracket_found_so_far(self):
        model = LossModel(knee_pps=187_300)
        k = knee.bisect_max_loss_free(model.probe, 10_000, 650_000,
                                      should_stop=lambda: len(model.calls) >= 3)
        self.assertFalse(k.finished)
        self.assertEqual(len(k.probes), 3)
        self.assertLessEqual(k.max_loss_free_pps, 187_300)
        self.assertGreater(k.first_bad_pps, 187_300)
        self.assertIn("stopped by --max-time", k.note)


class GridTest(unittest.TestCase):
    def points(self, verdicts):
        return [{"offered_pps": r, "verdict": v} for r, v in verdicts]

    def test_knee_is_the_last_loss_free_rate_below_the_first_bad_one(self):
        k = knee.knee_of_grid(self.points([(50_000, point.LOSS_FREE), (10_000, point.LOSS_FREE),
                                           (200_000, point.LOSSY), (100_000, point.LOSS_FREE)]))
        self.assertEqual((k.max_loss_free_pps, k.first_bad_pps), (100_000, 200_000))

    def test_loss_free_again_above_the_knee_is_called_out(self):
        k = knee.knee_of_grid(self.points([(10_000, point.LOSS_FREE), (20_000, point.LOSSY),
                                           (50_000, point.LOSS_FREE)]))
        self.assertEqual(k.max_loss_free_pps, 10_000)
        self.assertIn("not monotonic", k.note)


if __name__ == "__main__":
    unittest.main()
