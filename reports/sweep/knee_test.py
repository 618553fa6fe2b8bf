"""The knee search on synthetic loss data: a receiver that starts losing above a known
rate, behind a generator that cannot send faster than ~600 kpps; and the stream-count
search on a receive side that starts losing at a known count, with and without noise."""
import copy
import json
import math
import os
import random
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
        self.assertLessEqual(k.max_loss_free, 187_300)
        self.assertGreater(k.first_bad, 187_300)
        self.assertLessEqual(k.first_bad / k.max_loss_free, 1.05)
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
        self.assertLessEqual(k.max_loss_free, 15_000)
        self.assertLessEqual(k.first_bad / k.max_loss_free, 1.05)
        self.assertLessEqual(len(model.calls), 9)

    def test_a_rate_the_generator_cannot_offer_is_never_loss_free(self):
        # This receiver never loses a packet; only the generator limits the sweep.
        model = LossModel(knee_pps=10_000_000)
        k = knee.bisect_max_loss_free(model.probe, 10_000, 650_000, resolution=0.02)
        self.assertLess(k.max_loss_free, GENERATOR_CEILING / 0.98 + 1)
        self.assertGreater(k.first_bad, GENERATOR_CEILING)
        self.assertEqual(k.first_bad_verdict, point.GENERATOR_SHORT)
        self.assertIn("receiver's own limit was not reached", k.note)
        for rate, verdict in k.probes:
            if rate > GENERATOR_CEILING / 0.98:
                self.assertNotEqual(verdict, point.LOSS_FREE, rate)

    def test_lossy_at_the_lowest_rate_finds_none(self):
        k = knee.bisect_max_loss_free(LossModel(knee_pps=5_000).probe, 10_000, 650_000)
        self.assertIsNone(k.max_loss_free)
        self.assertEqual(k.first_bad, 10_000)
        self.assertIn("not loss-free even at the lowest rate", k.note)

    def test_loss_free_at_the_highest_rate_says_the_knee_is_higher(self):
        k = knee.bisect_max_loss_free(LossModel(knee_pps=10_000_000).probe, 10_000, 500_000)
        self.assertEqual(k.max_loss_free, 500_000)
        self.assertIsNone(k.first_bad)

    def test_out_of_time_keeps_the_bracket_found_so_far(self):
        model = LossModel(knee_pps=187_300)
        k = knee.bisect_max_loss_free(model.probe, 10_000, 650_000,
                                      should_stop=lambda: len(model.calls) >= 3)
        self.assertFalse(k.finished)
        self.assertEqual(len(k.probes), 3)
        self.assertLessEqual(k.max_loss_free, 187_300)
        self.assertGreater(k.first_bad, 187_300)
        self.assertIn("stopped by --max-time", k.note)


class GridTest(unittest.TestCase):
    def points(self, verdicts):
        return [{"offered_pps": r, "verdict": v} for r, v in verdicts]

    def test_knee_is_the_last_loss_free_rate_below_the_first_bad_one(self):
        k = knee.knee_of_grid(self.points([(50_000, point.LOSS_FREE), (10_000, point.LOSS_FREE),
                                           (200_000, point.LOSSY), (100_000, point.LOSS_FREE)]))
        self.assertEqual((k.max_loss_free, k.first_bad), (100_000, 200_000))

    def test_loss_free_again_above_the_knee_is_called_out(self):
        k = knee.knee_of_grid(self.points([(10_000, point.LOSS_FREE), (20_000, point.LOSSY),
                                           (50_000, point.LOSS_FREE)]))
        self.assertEqual(k.max_loss_free, 10_000)
        self.assertIn("not monotonic", k.note)


class FirstLoss:
    """A receive side that loses packets from `first_lossy` streams on; `glitches`: counts
    whose next probe is lossy anyway (one-off noise)."""

    def __init__(self, first_lossy, glitches=()):
        self.first_lossy, self.glitches, self.calls = first_lossy, set(glitches), []

    def probe(self, count):
        self.calls.append(count)
        if count in self.glitches:
            self.glitches.discard(count)
            return point.LOSSY
        return point.LOSSY if count >= self.first_lossy else point.LOSS_FREE


class CountSearchTest(unittest.TestCase):
    def test_loss_from_37_finds_36_in_12_probes(self):
        model = FirstLoss(37)
        k = knee.search_max_count(model.probe, cap=1024)
        self.assertEqual((k.max_loss_free, k.first_bad), (36, 37))
        self.assertEqual(k.first_bad_verdict, point.LOSSY)
        self.assertTrue(k.finished)
        # Doubling to the first lossy power of two, then halving its gap of 32.
        self.assertEqual(model.calls, [1, 2, 4, 8, 16, 32, 64, 48, 40, 36, 38, 37])
        self.assertEqual(k.as_dict()["max_loss_free_streams"], 36)
        self.assertIn("loss-free at 36 streams, not at 37 streams", k.note)

    def test_every_first_loss_is_found_exactly_within_2_log2_probes(self):
        for first_lossy in range(2, 300):
            model = FirstLoss(first_lossy)
            k = knee.search_max_count(model.probe, cap=1024)
            self.assertEqual((k.max_loss_free, k.first_bad), (first_lossy - 1, first_lossy))
            self.assertLessEqual(len(model.calls), 2 * math.ceil(math.log2(first_lossy)),
                                 first_lossy)
            self.assertEqual(len(set(model.calls)), len(model.calls), "a count probed twice")

    def test_lossy_at_one_stream_finds_none(self):
        model = FirstLoss(1)
        k = knee.search_max_count(model.probe, cap=1024)
        self.assertEqual((k.max_loss_free, k.first_bad, model.calls), (None, 1, [1]))
        self.assertIn("not loss-free even at the lowest stream count tried (lossy)", k.note)

    def test_the_cap_is_the_last_count_tried(self):
        model = FirstLoss(10_000)
        k = knee.search_max_count(model.probe, cap=100)
        self.assertEqual(model.calls, [1, 2, 4, 8, 16, 32, 64, 100])
        self.assertEqual((k.max_loss_free, k.first_bad), (100, None))
        self.assertIn("knee is higher", k.note)
        # Below the cap but above the last power of two: bisected between 64 and the cap.
        k = knee.search_max_count(FirstLoss(80).probe, cap=100)
        self.assertEqual((k.max_loss_free, k.first_bad), (79, 80))

    def test_precision_stops_early_with_a_true_bracket(self):
        model = FirstLoss(37)
        k = knee.search_max_count(model.probe, cap=1024, precision=4)
        self.assertLessEqual(k.first_bad - k.max_loss_free, 4)
        self.assertLess(k.max_loss_free, 37)
        self.assertGreaterEqual(k.first_bad, 37)
        self.assertLess(len(model.calls), 12)

    def test_out_of_time_keeps_the_bracket_found_so_far(self):
        model = FirstLoss(37)
        k = knee.search_max_count(model.probe, cap=1024,
                                  should_stop=lambda: len(model.calls) >= 8)
        self.assertFalse(k.finished)
        self.assertEqual((k.max_loss_free, k.first_bad), (32, 48))
        self.assertIn("stopped by --max-time", k.note)

    def test_a_one_off_loss_below_the_limit_lowers_the_count_but_keeps_a_true_bracket(self):
        # Noise no search can see through alone: a single lossy run at 32 (the limit is
        # 48) ends the doubling there. The answer is the bracket around that run: why
        # --searches repeats the whole search.
        model = FirstLoss(49, glitches={32})
        k = knee.search_max_count(model.probe, cap=1024)
        self.assertEqual((k.max_loss_free, k.first_bad), (31, 32))

    def test_noisy_verdicts_always_end_in_a_consistent_bracket(self):
        # Loss-free with a probability falling from 1 at 20 streams to 0 at 60.
        for seed in range(200):
            rng = random.Random(seed)

            def probe(count):
                chance = min(1.0, max(0.0, (60 - count) / 40))
                return point.LOSS_FREE if rng.random() < chance else point.LOSSY
            k = knee.search_max_count(probe, cap=1024)
            verdicts = dict(k.probes)
            self.assertLessEqual(len(k.probes), 2 * math.ceil(math.log2(1024)) + 1, seed)
            self.assertTrue(all(1 <= c <= 1024 for c, _ in k.probes), seed)
            if k.max_loss_free is not None:
                self.assertEqual(verdicts[k.max_loss_free], point.LOSS_FREE, seed)
                self.assertEqual(k.first_bad - k.max_loss_free, 1, seed)
            self.assertNotEqual(verdicts[k.first_bad], point.LOSS_FREE, seed)
            self.assertLess(k.first_bad, 60 + 1, seed)

    def test_a_list_of_counts_reads_the_same_bracket(self):
        points = [{"streams": c, "verdict": v} for c, v in
                  [(64, point.LOSSY), (1, point.LOSS_FREE), (8, point.LOSS_FREE)]]
        k = knee.knee_of_grid(points, unit=knee.STREAMS)
        self.assertEqual((k.max_loss_free, k.first_bad), (8, 64))
        self.assertEqual(k.as_dict()["first_bad_streams"], 64)


if __name__ == "__main__":
    unittest.main()
