import unittest

from reports.ci.adjusted import adjusted_analysis
from reports.ci.config import DEFAULT
from reports.ci.made_up_pairs import contender as _contender
from reports.comparison.analysis import analyze
from reports.results.metrics import RECEIVE_PATH_CPU
from reports.stats.comparison import PAIRED


class AdjustedAnalysisTest(unittest.TestCase):
    def test_adjustment_sees_what_the_raw_pairs_hide(self):
        contender = _contender(0.02)
        raw = analyze("ref", [contender], [RECEIVE_PATH_CPU], PAIRED, DEFAULT.alpha,
                      DEFAULT.confidence).rows[0].comparison
        analysis, notes = adjusted_analysis("ref", [contender], DEFAULT, ["run_queue_wait"])
        adjusted = analysis.rows[0].comparison
        self.assertGreater(raw.p_higher, DEFAULT.alpha)       # too noisy raw
        self.assertLess(adjusted.p_higher, DEFAULT.alpha)     # seen once adjusted
        self.assertAlmostEqual(adjusted.median_ratio, 1.02, delta=0.004)
        self.assertGreater(notes[0].variance_explained, 0.9)
        # The same rule applies.
        self.assertEqual(analysis.rows[0].metric.key, RECEIVE_PATH_CPU.key)

    def test_no_change_stays_no_change(self):
        analysis, _ = adjusted_analysis("ref", [_contender(0.0)], DEFAULT, ["run_queue_wait"])
        self.assertGreater(analysis.rows[0].comparison.p_higher, DEFAULT.alpha)

    def test_a_missing_covariate_leaves_the_raw_pairs_and_says_so(self):
        contender = _contender(0.02)
        del contender.candidate_iterations[4].raw["thread_cpu"]["rx"][
            "run_queue_wait_ns_per_packet"]
        analysis, notes = adjusted_analysis("ref", [contender], DEFAULT, ["run_queue_wait"])
        self.assertIn("missing", notes[0].skipped)
        raw = analyze("ref", [contender], [RECEIVE_PATH_CPU], PAIRED, DEFAULT.alpha,
                      DEFAULT.confidence).rows[0].comparison
        self.assertEqual(analysis.rows[0].comparison.median_ratio, raw.median_ratio)


if __name__ == "__main__":
    unittest.main()
