"""Figure 6 marks the change points of the runs it draws: a history recorded with
reports.history, a planted +15 % step in baseline's receive-path CPU at the 26th of 40
commits (iouring's stays)."""
import json
import os
import random
import tempfile
import unittest
from unittest import mock

from reports.history import store
from reports.history.db import open_db
from reports.history.run_info import describe
from reports.html import fig_trend, history_trend, sections
from reports.results.load import from_dict

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")
RESULTS = os.path.join(TESTDATA, "compare-high-rate.json")
PATH_KEY = "cpu_ns_per_packet_receive_path"
RUNS, STEP_AT = 40, 25


def record_history(db, step):
    """RUNS runs of commits c00, c01, ..., receive-path CPU with 1 % noise (seeded), and
    baseline's `step` higher from run STEP_AT on."""
    with open(RESULTS, encoding="utf-8") as f:
        original = json.load(f)
    rng = random.Random(6)
    conn = open_db(db)
    for run in range(RUNS):
        doc = json.loads(json.dumps(original))
        noise = 1 + 0.01 * rng.gauss(0, 1)
        for b in doc["benchmarks"]:
            if isinstance(b.get(PATH_KEY), (int, float)):
                b[PATH_KEY] *= noise * (1 + step if run >= STEP_AT
                                        and b.get("strategy") == "baseline" else 1)
        results = from_dict(doc)
        store.record(conn, describe(results.context, commit=f"c{run:02}"), results.iterations)
    conn.close()
    return original["context"]


class TrendChangePoints(unittest.TestCase):
    def setUp(self):
        self.tmp = self.enterContext(tempfile.TemporaryDirectory(prefix="trend_changes_"))
        self.db = os.path.join(self.tmp, "history.db")
        self.enterContext(mock.patch.dict(os.environ, {
            "XDG_DATA_HOME": os.path.join(self.tmp, "xdg"), "RXBENCH_ROOT": self.tmp}))

    def section(self, data):
        """Figure 6's section of the report page, as report.render writes it."""
        return str(sections.trend(data, {"baseline": "#123456"}, self.tmp))

    def test_the_step_is_found_drawn_and_said(self):
        context = record_history(self.db, 0.15)
        data = history_trend.read(self.db, context, ["baseline", "iouring"], [PATH_KEY])
        [change] = data.changes
        self.assertEqual((change["metric"], change["strategy"], change["before"],
                          change["after"]), (PATH_KEY, "baseline", "c24", "c25"))
        self.assertAlmostEqual(change["change"], 0.15, delta=0.015)

        # The figure draws the last 30 commits (c10 ... c39): c25 is the 16th.
        fig = fig_trend.draw(data.records, {"baseline": "#123456"}, changes=data.changes)
        dashed = [line for line in fig.axes[0].lines if line.get_linestyle() == "--"]
        self.assertEqual([list(line.get_xdata()) for line in dashed], [[14.5, 14.5]])
        self.assertEqual(dashed[0].get_color(), "#123456")
        self.assertIn("+15", " ".join(t.get_text() for t in fig.axes[0].texts))

        page = self.section(data)
        self.assertIn('src="trend.png"', page)
        self.assertIn("Change points (dashed", page)
        self.assertIn("baseline receive-path CPU (ns/packet) +1", page)
        self.assertIn("from c24 to c25, p ", page)

    def test_no_step_no_change_point(self):
        context = record_history(self.db, 0.0)
        data = history_trend.read(self.db, context, ["baseline", "iouring"],
                                  history_trend.gated_metrics())
        self.assertEqual(data.changes, [])
        fig = fig_trend.draw(data.records, {}, changes=data.changes)
        self.assertEqual([line for ax in fig.axes for line in ax.lines
                          if line.get_linestyle() == "--"], [])


if __name__ == "__main__":
    unittest.main()
