import dataclasses
import unittest

from reports.ci import covariate_calibration
from reports.ci.config import DEFAULT, GateConfig
from reports.ci.made_up_pairs import KEY, contender
from reports.comparison.analysis import Contender
from reports.ci.sequential import fixed


class CovariateCalibrationTest(unittest.TestCase):
    def _rows(self, pairs, injected):
        table = covariate_calibration.rows([pairs], DEFAULT, injected, fixed(12),
                                           trials=300)
        return {r.names: r for r in table}

    def test_a_covariate_that_explains_the_noise_lowers_cv_and_keeps_alarms_rare(self):
        rows = self._rows(contender(0.0, n=30, spread=10.0), injected=False)
        self.assertEqual(set(rows), {(), ("run_queue_wait",)})
        raw, adjusted = rows[()], rows[("run_queue_wait",)]
        self.assertLess(adjusted.cv, raw.cv / 3)
        self.assertLessEqual(adjusted.false_alarms, 0.02)
        # +5 % is mostly lost in the raw noise (CV ~14 %), always seen once adjusted.
        self.assertLess(raw.caught[0.05], 0.5)
        self.assertGreater(adjusted.caught[0.05], 0.95)

    def test_injected_pairs_whose_covariate_moved_lose_the_effect_when_adjusted(self):
        # A +5 % build whose wait grew by 5 ns (worth 5 %) at the same time: adjusting to
        # equal waits removes the effect; the table must show that, not hide it.
        rows = self._rows(contender(0.05, n=30, wait_shift=5.0), injected=True)
        self.assertGreater(rows[()].caught[None], 0.5)
        self.assertLess(rows[("run_queue_wait",)].caught[None], 0.05)
        self.assertIsNone(rows[()].false_alarms)

    def test_a_higher_is_better_metric_is_worse_when_lower(self):
        # delivered_fraction 10 % lower in the build under test: a regression of a
        # higher-is-better metric, which the table must see as one.
        def as_fraction(iterations):
            return [dataclasses.replace(it, metrics={"delivered_fraction":
                                                     it.metrics[KEY] / 2000})
                    for it in iterations]
        pairs = contender(-0.10, n=30)
        pairs = Contender(pairs.strategy, as_fraction(pairs.reference_iterations),
                          as_fraction(pairs.candidate_iterations))
        config = GateConfig({"delivered_fraction": 0.05}, DEFAULT.alpha)
        table = covariate_calibration.rows([pairs], config, True, fixed(12), trials=300)
        self.assertGreater({r.names: r for r in table}[()].caught[None], 0.9)

    def test_render_names_every_set(self):
        table = covariate_calibration.rows([contender(0.0, n=20)], DEFAULT, False,
                                           fixed(12), trials=50)
        text = covariate_calibration.render(table, False, fixed(12), trials=50)
        self.assertIn("(raw)", text)
        self.assertIn("run_queue_wait", text)


if __name__ == "__main__":
    unittest.main()
