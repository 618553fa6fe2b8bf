"""Where null is no comparable floor, the console and Markdown comparisons say so in the
floor note's words (reports/results/floor.py); where it is one (lock-step), they do not."""
import json
import unittest

from reports.comparison.compare_file import analyze_compare_file
from reports.render.console import render_console
from reports.render.markdown import render_markdown
from reports.results import synthetic
from reports.results.load import from_dict
from reports.results.sample import LIST_JSON

NOT_A_FLOOR = ("null is not a comparable floor here: it woke 0.13 times per packet against "
               "combined-list's 0.03; run with --lock-step 64 for a comparable floor")


def analysis(null_ctx, lock_step=None):
    with open(LIST_JSON, encoding="utf-8") as f:
        listed = json.load(f)
    results = from_dict(synthetic.floor_and_strategy(null_ctx, listed, lock_step))
    return analyze_compare_file(results)


class FloorNote(unittest.TestCase):
    def test_free_running_null_is_no_floor(self):
        found = analysis(0.13)
        self.assertIn(f"warning: {NOT_A_FLOOR}\n", render_console(found))
        self.assertIn(f"> warning: {NOT_A_FLOOR}\n", render_markdown(found))

    def test_lock_step_null_is_the_floor(self):
        found = analysis(0.016, lock_step=64)
        for text in (render_console(found), render_markdown(found)):
            self.assertNotIn("not a comparable floor", text)


if __name__ == "__main__":
    unittest.main()
