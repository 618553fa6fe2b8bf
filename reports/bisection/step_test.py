"""A step's verdict: on the time tier from its comparison (regressed by the gate's
rule, unchanged only when clearly so, unclear between); on the exact tier from the
tier's own check of the metric (made-up comparisons and counted runs)."""
import unittest
from typing import Dict, Optional

from reports.bisection.step import REGRESSED, UNCHANGED, UNCLEAR, decide_exact, decide_time
from reports.bisection.target import resolve
from reports.ci import exact_tier
from reports.ci.config import DEFAULT
from reports.ci.rule import Rule
from reports.exact.count import Counted
from reports.exact.figures import Figures
from reports.stats.comparison import PAIRED, Comparison

RULE = Rule(threshold=0.05, ignore_below=0.02, alpha=0.01)


def paired(ratio: float, low: float, high: float, p_higher: float, p_lower: float = 0.5,
           n: int = 40, too_few: bool = False) -> Comparison:
    return Comparison(PAIRED, n, n, 3000.0, 3000.0 * ratio, ratio, low, high, None, 0.01,
                      0.99, too_few, 8 if too_few else None, 0.01, p_higher, p_lower)


def verdict(c: Optional[Comparison], higher_is_better: bool = False) -> str:
    return decide_time(c, RULE, higher_is_better, "skipped").verdict


class TimeStep(unittest.TestCase):
    def test_the_gates_rule_regresses(self) -> None:
        self.assertEqual(verdict(paired(1.03, 1.02, 1.04, p_higher=0.001)), REGRESSED)

    def test_significant_but_ignored_is_unchanged(self) -> None:
        self.assertEqual(verdict(paired(1.01, 1.005, 1.015, p_higher=0.001)), UNCHANGED)

    def test_between_ignored_and_threshold_not_significant_is_unclear(self) -> None:
        self.assertEqual(verdict(paired(1.03, 0.99, 1.045, p_higher=0.05)), UNCLEAR)

    def test_small_estimate_with_an_interval_reaching_the_threshold_is_unclear(self) -> None:
        # The gate passes it, but a regression of the threshold's size is not excluded.
        self.assertEqual(verdict(paired(1.01, 0.97, 1.06, p_higher=0.3)), UNCLEAR)

    def test_faster_is_unchanged(self) -> None:
        self.assertEqual(verdict(paired(0.90, 0.88, 0.92, p_higher=1.0, p_lower=0.001)),
                         UNCHANGED)

    def test_higher_is_better_worse_side_is_lower(self) -> None:
        self.assertEqual(verdict(paired(0.97, 0.96, 0.98, p_higher=1.0, p_lower=0.001),
                                 higher_is_better=True), REGRESSED)
        self.assertEqual(verdict(paired(1.10, 1.08, 1.12, p_higher=0.001),
                                 higher_is_better=True), UNCHANGED)

    def test_too_few_or_not_compared_is_unclear(self) -> None:
        self.assertEqual(verdict(paired(1.20, 1.1, 1.3, p_higher=0.03, n=5, too_few=True)),
                         UNCLEAR)
        self.assertEqual(verdict(None), UNCLEAR)


def counted(receiver: float, queue: float, recv_calls: Dict[str, float]) -> Counted:
    f = Figures(4096)
    f.instructions = {"receiver": receiver, "queue": queue, "generator": 700.0}
    f.syscalls = {"receiver": recv_calls}
    f.allocations = {"receiver": {}}
    return Counted("combined-list", f, 0.03)


def exact(metric: str, receiver: float = 12000.0, queue: float = 4600.0,
          recv_calls: Optional[Dict[str, float]] = None):
    """A step of 3 pairs whose candidate counts `receiver`, `queue`, `recv_calls`."""
    both = exact_tier.StrategyRuns()
    for _ in range(3):
        both.reference.append(counted(12000.0, 4600.0, {"recvmmsg": 0.03}))
        both.candidate.append(counted(receiver, queue, recv_calls or {"recvmmsg": 0.03}))
    return decide_exact(both, resolve(metric, None, DEFAULT), "combined-list", DEFAULT)


class ExactStep(unittest.TestCase):
    def test_receiver_instructions(self) -> None:
        step = exact("instructions", receiver=12240.0)
        self.assertEqual((step.verdict, step.ratio, step.pairs), (REGRESSED, 1.02, 3))
        self.assertEqual((step.reference_value, step.candidate_value), (12000.0, 12240.0))
        self.assertEqual(exact("instructions", receiver=12060.0).verdict, UNCHANGED)

    def test_a_pipeline_role_is_judged_as_a_share_of_the_receive_path(self) -> None:
        # +230 in the queue is +5 % of the queue, +1.4 % of the receive path (16 600).
        step = exact("instructions:queue", queue=4830.0)
        self.assertEqual(step.verdict, REGRESSED)
        self.assertAlmostEqual(step.ratio or 0, 1 + 230 / 16600)
        # The receiver's own count did not move.
        self.assertEqual(exact("instructions", queue=4830.0).verdict, UNCHANGED)

    def test_a_new_syscall_per_packet(self) -> None:
        step = exact("syscalls", recv_calls={"recvmmsg": 0.03, "poll": 0.5})
        self.assertEqual(step.verdict, REGRESSED)
        self.assertIn("poll (new)", step.summary)
        self.assertEqual((step.reference_value, step.candidate_value), (0.03, 0.53))
        self.assertEqual(exact("syscalls").verdict, UNCHANGED)

    def test_a_role_that_did_not_run_is_unclear(self) -> None:
        self.assertEqual(exact("instructions:jitterbuffer").verdict, UNCLEAR)


if __name__ == "__main__":
    unittest.main()
