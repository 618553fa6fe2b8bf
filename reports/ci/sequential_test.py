"""The time tier's looks on made-up ratio sequences: a clear regression or a clear pass
stops at the first look, an undecided sequence goes to the cap and passes, no look fails
with fewer pairs than the test needs at the look's alpha, and alpha spent over the looks
keeps the false alarms of the whole sequence under alpha where a full alpha at every
look would not."""
import unittest

import numpy as np

from reports.ci.calibrate import simulated_ratios
from reports.ci.rule import Rule
from reports.ci.sequential import PASS, REGRESSION, UNDECIDED, Gated, Plan, decide, fixed

RULE = Rule(threshold=0.05, ignore_below=0.02, alpha=0.01)   # the default gate's
PLAN = Plan(12, 6, 30)                                         # looks at 12, 18, 24, 30
# Within +-0.6 %, distinct (no ties), in no order.
JITTER = 1 + 0.006 * np.sin(np.arange(1, 31) * 2.3)


class Recorder:
    """pairs_at over fixed rows of ratios, remembering the looks asked for."""

    def __init__(self, *rows):
        self.rows = [np.asarray(r, dtype=float) for r in rows]
        self.asked = []

    def __call__(self, n, rows):
        self.asked.append((n, rows.tolist()))
        return [np.stack([self.rows[i][:n] for i in rows])]


def run(pairs_at, rows=1, plan=PLAN, gated=Gated(RULE)):
    return decide(pairs_at, [gated], plan, rows)


class Looks(unittest.TestCase):
    def test_the_plan(self):
        self.assertEqual(PLAN.looks, (12, 18, 24, 30))
        self.assertEqual(Plan(10, 4, 20).looks, (10, 14, 18, 20))   # a shorter last step
        self.assertEqual(fixed(40).looks, (40,))
        self.assertEqual(PLAN.alpha(0.01), 0.0025)

    def test_a_clear_regression_stops_at_the_first_look(self):
        pairs = Recorder(1.15 * JITTER)
        stops = run(pairs)
        self.assertEqual((stops.status[0], stops.look[0], stops.pairs[0]), (REGRESSION, 1, 12))
        self.assertEqual(pairs.asked, [(12, [0])])

    def test_a_clear_pass_stops_at_the_first_look(self):
        pairs = Recorder(JITTER)
        stops = run(pairs)
        self.assertEqual((stops.status[0], stops.look[0], stops.pairs[0]), (PASS, 1, 12))
        self.assertEqual(pairs.asked, [(12, [0])])
        # All 12 ratios under 1.05: the signed-rank p of "under" is 1 / 2^12.
        self.assertAlmostEqual(stops.p_within[0, 0], 2.0 ** -12)

    def test_an_undecided_sequence_goes_to_the_cap_and_passes_as_such(self):
        # Ratios swinging 25 % either way: neither worse nor +5 % excluded at any look.
        swing = np.where(np.arange(30) % 2 == 0, 1.25, 0.8) * JITTER
        pairs = Recorder(swing)
        stops = run(pairs)
        self.assertEqual((stops.status[0], stops.look[0], stops.pairs[0]),
                         (UNDECIDED, 4, 30))
        self.assertEqual([n for n, _ in pairs.asked], [12, 18, 24, 30])

    def test_a_regression_seen_only_later_stops_there(self):
        # +10 %, but a third of the first 12 pairs 3 % better: the one-sided p at 12
        # pairs is about 0.01, not under 0.0025; six more pairs all 10 % worse make it.
        i = np.arange(30)
        ratios = 1.10 * np.where((i < 12) & (i % 3 == 0), 0.88, 1.0) * JITTER
        stops = run(Recorder(ratios))
        self.assertEqual((stops.status[0], stops.look[0], stops.pairs[0]), (REGRESSION, 2, 18))

    def test_rows_stop_apart_and_only_open_rows_get_more_pairs(self):
        swing = np.where(np.arange(30) % 2 == 0, 1.25, 0.8) * JITTER
        pairs = Recorder(1.15 * JITTER, swing, JITTER)
        stops = run(pairs, rows=3)
        self.assertEqual(list(stops.status), [REGRESSION, UNDECIDED, PASS])
        self.assertEqual(list(stops.pairs), [12, 30, 12])
        self.assertEqual(pairs.asked, [(12, [0, 1, 2]), (18, [1]), (24, [1]), (30, [1])])

    def test_never_fails_below_the_tests_minimum_at_the_looks_alpha(self):
        """Looks at 8 and 9 pairs, each at 0.005: all 8 pairs 50 % worse give a one-sided
        p of 1/2^8 = 0.0039 < 0.005, but the gate's test needs 9 pairs at 0.005 (two-
        sided 2/2^8 is not under it): the first look neither fails nor passes."""
        pairs = Recorder(np.full(9, 1.5) * JITTER[:9])
        stops = run(pairs, plan=Plan(8, 1, 9))
        self.assertEqual((stops.status[0], stops.look[0]), (REGRESSION, 2))
        calm = run(Recorder(JITTER[:9]), plan=Plan(8, 1, 9))
        self.assertEqual((calm.status[0], calm.look[0]), (PASS, 2))

    def test_higher_is_better(self):
        worse = run(Recorder(0.85 * JITTER), gated=Gated(RULE, higher_is_better=True))
        self.assertEqual((worse.status[0], worse.look[0]), (REGRESSION, 1))
        better = run(Recorder(1.15 * JITTER), gated=Gated(RULE, higher_is_better=True))
        self.assertEqual((better.status[0], better.look[0]), (PASS, 1))

    def test_a_metric_without_pairs_holds_nothing_open(self):
        """The gate's rows come as 1-D arrays; a gated metric that was not measured has
        none and leaves the decision to the others."""
        def pairs_at(n, rows):
            return [[JITTER[:n] for _ in rows], [np.array([]) for _ in rows]]
        stops = decide(pairs_at, [Gated(RULE), Gated(RULE)], PLAN, 1)
        self.assertEqual((stops.status[0], stops.look[0]), (PASS, 1))
        self.assertEqual(list(stops.metric_status[0]), [PASS, PASS])

    def test_any_metric_worse_fails_all_must_be_within_to_pass(self):
        swing = np.where(np.arange(30) % 2 == 0, 1.25, 0.8) * JITTER

        def pairs_at(first, second):
            return lambda n, rows: [np.stack([first[:n]]), np.stack([second[:n]])]
        both = [Gated(RULE), Gated(RULE)]
        worse = decide(pairs_at(1.15 * JITTER, swing), both, PLAN, 1)
        self.assertEqual((worse.status[0], worse.look[0]), (REGRESSION, 1))
        self.assertEqual(list(worse.metric_status[0]), [REGRESSION, UNDECIDED])
        held = decide(pairs_at(JITTER, swing), both, PLAN, 1)
        self.assertEqual((held.status[0], held.look[0]), (UNDECIDED, 4))


class ErrorRates(unittest.TestCase):
    """Simulated A/A gates on a log-normal pool at a CV of 6 % (seeded: the same rates
    every run)."""
    POOL = np.random.default_rng(1).normal(0.0, 0.06, size=2000)
    TRIALS = 3000

    def false_alarms(self, plan):
        ratios = simulated_ratios(self.POOL, plan.cap, 0.0, self.TRIALS,
                                  np.random.default_rng(2))
        stops = decide(lambda n, rows: [ratios[rows, :n]], [Gated(RULE)], plan,
                       self.TRIALS)
        return float(np.mean(stops.status == REGRESSION))

    def test_alpha_spent_over_the_looks_bounds_the_false_alarms(self):
        self.assertLessEqual(self.false_alarms(PLAN), RULE.alpha)

    def test_full_alpha_at_every_look_would_not(self):
        class Unspent(Plan):
            def alpha(self, alpha):
                return alpha
        self.assertGreater(self.false_alarms(Unspent(12, 6, 30)), RULE.alpha)


if __name__ == "__main__":
    unittest.main()
