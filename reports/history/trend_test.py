import unittest

from reports.history.store import TrendValue
from reports.history.trend import as_json, render_trend, trend_rows
from reports.results.metrics import RECEIVE_PATH_CPU


def values(run_id, strategy, numbers, when):
    return [TrendValue(run_id, when, f"c{run_id}", "h", "default", strategy, v)
            for v in numbers]


class Trend(unittest.TestCase):
    def setUp(self):
        self.rows = trend_rows(
            values(1, "a", [100.0, 120.0, 110.0], "2026-01-01T10:00:00.000000Z") +
            values(1, "b", [50.0], "2026-01-01T10:00:00.000000Z") +
            values(2, "a", [121.0, 132.0], "2026-01-02T10:00:00.000000Z"))

    def test_median_and_change_per_strategy(self):
        self.assertEqual([(r.strategy, r.n, r.median) for r in self.rows],
                         [("a", 3, 110.0), ("b", 1, 50.0), ("a", 2, 126.5)])
        self.assertIsNone(self.rows[0].change)
        self.assertAlmostEqual(self.rows[2].change, 0.15)

    def test_table_and_json(self):
        text = render_trend(self.rows, RECEIVE_PATH_CPU)
        lines = text.splitlines()
        self.assertTrue(lines[0].startswith("receive-path CPU (ns/packet)"))
        self.assertEqual(lines[4].split(), ["2026-01-02", "10:00", "c2", "h", "default", "a",
                                            "2", "126.5", "121.0", "132.0", "+15.0", "%"])
        self.assertEqual(as_json(self.rows, RECEIVE_PATH_CPU)[1]["strategy"], "b")


if __name__ == "__main__":
    unittest.main()
