"""`ci --calibrate`'s simulated gates are judged as the gate judges a real one: on the
same pairs, calibrate.gate_fails and the gate's path (compare_paired, then
decision.judge) agree gate by gate. A change to either rule alone fails this test."""
import unittest

import numpy as np

from reports.ci.calibrate import gate_fails, simulated_ratios
from reports.ci.config import GateConfig
from reports.ci.decision import REGRESSION, judge
from reports.comparison.analysis import Analysis, Row
from reports.results.metrics import lookup
from reports.stats.comparison import PAIRED
from reports.stats.paired import compare_paired

CPU = "cpu_ns_per_packet_receive_path"
DELIVERED = "delivered_fraction"
CONFIG = GateConfig({CPU: 0.05, DELIVERED: 0.05}, 0.01)
POOL = np.random.default_rng(11).normal(0.0, 0.015, size=30)    # ~1.5 % per pair
# Around the ignored 2 % and under the 5 % threshold, where the rules differ; 7 pairs
# are too few for the table's test, 8 the least that are not.
EFFECTS = (0.0, 0.01, 0.02, 0.025, 0.03, 0.05)
PAIRS = (7, 8, 12)
TRIALS = 12


def gate_says(ratios, key):
    """The real gate's verdict on one gate's pairs (reference 1, candidate the ratio)."""
    comparison = compare_paired(np.ones(len(ratios)), ratios, CONFIG.alpha,
                                CONFIG.confidence)
    analysis = Analysis("ref", PAIRED, CONFIG.alpha, CONFIG.confidence, (lookup(key),),
                        [Row("s", lookup(key), comparison, None)], {})
    [check] = judge(analysis, CONFIG, {})
    return check.status == REGRESSION


class CalibrateIsTheGate(unittest.TestCase):
    def check_agreement(self, key, higher_is_better):
        rng = np.random.default_rng(5)
        rule = CONFIG.rule(key)
        simulated, real = [], []
        for n in PAIRS:
            for effect in EFFECTS:
                ratios = simulated_ratios(POOL, n, effect, TRIALS, rng, higher_is_better)
                simulated += [bool(f) for f in gate_fails(ratios, rule, higher_is_better)]
                real += [gate_says(row, key) for row in ratios]
        self.assertEqual(simulated, real)
        # Both verdicts occur often: the agreement is not that of two constant answers.
        self.assertGreater(sum(real), len(real) // 4)
        self.assertLess(sum(real), 3 * len(real) // 4)

    def test_lower_is_better(self):
        self.check_agreement(CPU, higher_is_better=False)

    def test_higher_is_better(self):
        self.check_agreement(DELIVERED, higher_is_better=True)


if __name__ == "__main__":
    unittest.main()
