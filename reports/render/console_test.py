"""The console table states each verdict, its interval, p and n, compactly."""
import unittest

from reports.comparison.compare_file import analyze_compare_file
from reports.render.console import render_console
from reports.results import synthetic
from reports.results.load import from_dict, load
from reports.results.sample import SAMPLE_COMPARE


class Console(unittest.TestCase):
    def test_regression_line(self):
        text = render_console(analyze_compare_file(from_dict(synthetic.two_strategies(1.12))))
        lines = text.splitlines()
        self.assertTrue(lines[0].startswith("paired comparison with baseline"))
        self.assertEqual(lines[1].split(), ["strategy", "metric", "verdict", "ratio", "[95",
                                            "%", "CI]", "p", "n"])
        # Every pair 12 % slower: exact Wilcoxon p = 2/2^12 = 4.9e-04, interval [1.12, 1.12].
        self.assertEqual(lines[2].split(), ["slow", "receive-path", "CPU", "1.12x", "slower",
                                            "1.120", "[1.120,", "1.120]", "4.9e-04", "12"])
        self.assertIn("no significant change", lines[5])   # latency p50: unchanged

    def test_compact_and_skips_explained(self):
        text = render_console(analyze_compare_file(load(SAMPLE_COMPARE)))
        table = text.splitlines()[1:14]
        self.assertLessEqual(max(len(line) for line in table), 110)
        self.assertIn("latency p50         - not measured  ", text)
        self.assertIn("too few repetitions: 3, need 6", text)
        self.assertIn("warning: combined-list: wide spread", text)


if __name__ == "__main__":
    unittest.main()
