import unittest

import numpy as np

from reports.ci.adjusted import adjusted_analysis
from reports.ci.config import DEFAULT
from reports.comparison.analysis import Contender, analyze
from reports.results.metrics import RECEIVE_PATH_CPU
from reports.results.model import Iteration
from reports.stats.comparison import PAIRED

KEY = RECEIVE_PATH_CPU.key


def _iteration(index, cost, wait):
    raw = {"thread_cpu": {"rx": {"role": "receiver", "run_queue_wait_ns_per_packet": wait}}}
    return Iteration("combined-list", "s", index, True, "", {KEY: cost}, raw)


def _contender(effect, n=16, seed=3):
    """Pairs whose scatter comes from the run-queue wait: +1 ns of wait per packet costs
    +1 % of receive-path CPU; the build under test is `effect` slower."""
    rng = np.random.default_rng(seed)
    waits = rng.normal(0, 3.0, (n, 2))
    reference = [_iteration(i, 1000 * np.exp(0.01 * w[0]), 100 + w[0])
                 for i, w in enumerate(waits)]
    candidate = [_iteration(i, 1000 * (1 + effect) * np.exp(0.01 * w[1] + rng.normal(0, 0.002)),
                            100 + w[1]) for i, w in enumerate(waits)]
    return Contender("combined-list", reference, candidate)


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
        self.assertEqual(analysis.rows[0].metric.key, KEY)   # the same rule applies

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
