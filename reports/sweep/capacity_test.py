"""A strategy's stream count over repeated searches, and the ratio of two with its spread,
from knees made by the real search on receive sides that lose from known counts."""
import unittest

from reports.sweep import capacity, knee, point


def searches(*first_lossy, cap=1024, precision=1):
    """One finished search per count at which loss starts."""
    def probe_for(limit):
        return lambda count: point.LOSSY if count >= limit else point.LOSS_FREE
    return [knee.search_max_count(probe_for(limit), cap, precision).as_dict()
            for limit in first_lossy]


class OfStrategyTest(unittest.TestCase):
    def test_median_and_spread_over_searches(self):
        c = capacity.of_strategy(searches(101, 97, 99))
        self.assertEqual(c["counts"], [100, 96, 98])
        self.assertEqual((c["median"], c["min"], c["max"]), (98, 96, 100))
        self.assertFalse(c["at_cap"])

    def test_a_stopped_search_is_left_out_and_none_loss_free_counts_zero(self):
        stopped = dict(searches(50)[0], finished=False)
        c = capacity.of_strategy([stopped] + searches(1, 5))
        self.assertEqual((c["searches"], c["finished_searches"], c["counts"]), (3, 2, [0, 4]))

    def test_loss_free_at_the_cap_is_a_lower_bound(self):
        self.assertTrue(capacity.of_strategy(searches(5000, cap=64))["at_cap"])


class RatioTest(unittest.TestCase):
    def test_ratio_of_medians_range_and_interval(self):
        r = capacity.ratio(searches(201, 181, 221), searches(101, 91, 111))
        self.assertEqual(r["ratio_of_medians"], 2.0)
        # Over all pairs of searches: 180/110 to 220/90.
        self.assertAlmostEqual(r["range"][0], 180 / 110)
        self.assertAlmostEqual(r["range"][1], 220 / 90)
        low, high = r["interval"]
        self.assertLessEqual(r["range"][0], low)
        self.assertLessEqual(low, 2.0)
        self.assertLessEqual(2.0, high)
        self.assertLessEqual(high, r["range"][1])

    def test_a_coarse_bracket_widens_the_range(self):
        # --streams-precision 8: each search brackets its count within 8, and the range
        # covers every count the brackets allow, not only the ones found.
        mine, ref = searches(201, precision=8), searches(101, precision=8)
        r = capacity.ratio(mine, ref)
        good_mine, bad_mine = mine[0]["max_loss_free_streams"], mine[0]["first_bad_streams"]
        good_ref, bad_ref = ref[0]["max_loss_free_streams"], ref[0]["first_bad_streams"]
        self.assertLess(good_mine, bad_mine - 1)
        self.assertEqual(r["range"], [good_mine / (bad_ref - 1), (bad_mine - 1) / good_ref])
        self.assertLess(r["range"][0], 200 / 100)
        self.assertGreater(r["range"][1], 200 / 100)

    def test_one_search_has_no_interval(self):
        r = capacity.ratio(searches(201), searches(101))
        self.assertEqual(r["ratio_of_medians"], 2.0)
        self.assertEqual(r["interval"], [None, None])

    def test_unknown_is_null_not_zero(self):
        # The reference held no stream: no ratio. Loss-free at the cap: no upper end.
        r = capacity.ratio(searches(201), searches(1))
        self.assertEqual((r["ratio_of_medians"], r["range"][1]), (None, None))
        r = capacity.ratio(searches(5000, cap=64), searches(33))
        self.assertEqual(r["ratio_of_medians"], 2.0)
        self.assertIsNone(r["range"][1])


if __name__ == "__main__":
    unittest.main()
