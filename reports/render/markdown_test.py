import unittest

from reports.comparison.compare_file import analyze_compare_file
from reports.results import synthetic
from reports.results.load import from_dict
from reports.render.markdown import render_markdown


class Markdown(unittest.TestCase):
    def test_table(self):
        analysis = analyze_compare_file(from_dict(synthetic.two_strategies(1.12)))
        text = render_markdown(analysis, title="t", summary_lines=["**FAILED**"])
        lines = text.splitlines()
        self.assertEqual(lines[:3], ["### t", "", "**FAILED**"])
        header = lines.index("| strategy | metric | verdict | ratio [95 % CI] | p | n |")
        self.assertEqual(lines[header + 1], "|---|---|---|---|---|---|")
        self.assertEqual(lines[header + 2], "| slow | receive-path CPU | **1.12x slower** | "
                                            "1.120 [1.120, 1.120] | 4.9e-04 | 12 |")
        # Unchanged metrics are not bold.
        self.assertIn("| slow | latency p50 | no significant change |", text)


if __name__ == "__main__":
    unittest.main()
