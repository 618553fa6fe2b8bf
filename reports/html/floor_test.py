"""The page's floor: where null woke more per packet than a strategy (free-running), the
CPU figure draws no floor line and its legend names no floor, and the notes say why in the
floor note's words (reports/results/floor.py); in lock-step null is drawn and labelled
the floor, and no note says otherwise."""
import json
import os
import tempfile
import unittest

from matplotlib.text import Text

from reports.html import fig_cpu, load, palette, verdicts
from reports.results import synthetic
from reports.results.sample import LIST_JSON

NOT_A_FLOOR = ("null is not a comparable floor here: it woke 0.13 times per packet against "
               "combined-list's 0.03; run with --lock-step 64 for a comparable floor")


class FloorOnThePage(unittest.TestCase):
    def setUp(self):
        self.tmp = self.enterContext(tempfile.TemporaryDirectory(prefix="floor_test_"))

    def results(self, null_ctx, lock_step=None):
        with open(LIST_JSON, encoding="utf-8") as f:
            listed = json.load(f)
        path = os.path.join(self.tmp, "compare.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(synthetic.floor_and_strategy(null_ctx, listed, lock_step), f)
        return load.load([path])

    def figure_text(self, results):
        fig = fig_cpu.draw(results, palette.colours(results.strategies))
        ax = fig.axes[0]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        # The footnote: text of the figure outside the plot and its legend.
        inside = set(ax.findobj(Text))
        footnote = " ".join(t.get_text() for t in fig.findobj(Text) if t not in inside)
        return legend, dashed, footnote.replace("\n", " ")

    def test_free_running_null_is_not_called_the_floor(self):
        results = self.results(0.13)
        legend, dashed, footnote = self.figure_text(results)
        self.assertFalse([t for t in legend if "floor" in t], legend)
        self.assertEqual(dashed, [])
        self.assertIn("no floor line: null is not a comparable floor here", footnote)
        self.assertIn(NOT_A_FLOOR, verdicts.build(results).notes)

    def test_lock_step_null_is_the_floor(self):
        results = self.results(0.016, lock_step=64)
        legend, dashed, footnote = self.figure_text(results)
        self.assertIn("null floor (kernel receive only): 1,901 ns", legend)
        self.assertEqual(len(dashed), 1)
        self.assertNotIn("floor", footnote)
        self.assertFalse([n for n in verdicts.build(results).notes if "floor" in n])


if __name__ == "__main__":
    unittest.main()
