"""The exact tier's decision on hand-made counted runs: what fails, what passes, what a
failure names, and when the tier is skipped."""
import math
import os
import random
import statistics
import stat
import tempfile
import unittest
from typing import Dict, List, Optional

from reports.ci import exact_tier
from reports.ci.config import DEFAULT, parse_config
from reports.ci.decision import PASS, REGRESSION, SKIPPED
from reports.ci.report_calibration import report_calibration
from reports.ci.sequential import fixed
from reports.exact import valgrind
from reports.exact.count import Counted
from reports.exact.figures import Figures, Site

SEED = 19
RECEIVER_IR = 12000.0
QUEUE_IR = 4600.0
ALLOC = ("rxbench::pools::AllocSource::TryAcquire(rxbench::pools::PacketSlot*)",
         "gst_buffer_new_allocate")
EXTRA = ("rxbench::receivers::ReceiveLoop::Run()", "g_malloc")


def run(rng: random.Random, receiver_factor: float = 1.0,
        allocations: Optional[Dict[Site, float]] = None,
        syscalls: Optional[Dict[str, float]] = None, timer: float = 1.0,
        queue: float = 1.0) -> Counted:
    """One counted run: the counts of a quiet lock-step run (+-0.05 %), times a factor."""
    def noisy(x: float) -> float:
        return x * (1 + rng.uniform(-0.0005, 0.0005))
    f = Figures(4096)
    f.instructions = {"receiver": noisy(RECEIVER_IR) * receiver_factor,
                      "queue": noisy(QUEUE_IR) * queue, "generator": noisy(700.0),
                      "pipeline:timer": timer}
    f.syscalls = {"receiver": syscalls or {"recvfrom": 1.0}, "queue": {"syscall": 0.2}}
    f.allocations = {"receiver": allocations or {ALLOC: 1.0}, "queue": {}}
    f.inclusive = {"rxbench::receivers::ReceiveLoop::Run()": f.instructions["receiver"],
                   "gst_queue_chain": f.instructions["queue"]}
    return Counted("baseline", f, 0.03)


def runs(pairs: int, **candidate: object) -> Dict[str, exact_tier.StrategyRuns]:
    rng = random.Random(SEED)
    both = exact_tier.StrategyRuns()
    for _ in range(pairs):
        both.reference.append(run(rng))
        both.candidate.append(run(rng, **candidate))  # type: ignore[arg-type]
    return {"baseline": both}


def statuses(outcome: exact_tier.Outcome) -> Dict[str, str]:
    return {c.metric: c.status for c in outcome.checks}


class Decision(unittest.TestCase):
    def test_two_percent_more_receiver_instructions_fails_naming_the_receiver(self) -> None:
        outcome = exact_tier.judge(runs(2, receiver_factor=1.02), DEFAULT)
        self.assertEqual(statuses(outcome)["exact_instructions_per_packet:receiver"],
                         REGRESSION)
        self.assertEqual(statuses(outcome)["exact_instructions_per_packet:queue"], PASS)
        failed = [c for c in outcome.checks if c.status == REGRESSION]
        self.assertEqual(len(failed), 1)
        self.assertIn("baseline's receiver", failed[0].message)
        text = exact_tier.render(outcome)
        self.assertIn("what changed", text)
        # The function that moved most is the receive loop, by ~+240 per packet.
        moved = text.split("what changed")[1].splitlines()[1]
        self.assertIn("rxbench::receivers::ReceiveLoop::Run()", moved)

    def test_three_tenths_of_a_percent_passes(self) -> None:
        outcome = exact_tier.judge(runs(2, receiver_factor=1.003), DEFAULT)
        self.assertEqual([c for c in outcome.checks if c.status != PASS], [])

    def test_the_generator_is_not_gated(self) -> None:
        self.assertNotIn("exact_instructions_per_packet:generator",
                         statuses(exact_tier.judge(runs(2), DEFAULT)))

    def test_a_pipeline_role_is_judged_by_its_share_of_the_receive_path(self) -> None:
        # The timer thread's one instruction per packet +20 % is nothing; 500 more is 3 %
        # of the receive path (16 601).
        key = "exact_instructions_per_packet:pipeline:timer"
        self.assertEqual(statuses(exact_tier.judge(runs(2, timer=1.2), DEFAULT))[key], PASS)
        self.assertEqual(statuses(exact_tier.judge(runs(2, timer=500.0), DEFAULT))[key],
                         REGRESSION)
        # The queue +2 % of its own (92) is 0.55 % of the receive path: not failed; +300
        # (1.8 %) is.
        key = "exact_instructions_per_packet:queue"
        self.assertEqual(statuses(exact_tier.judge(runs(2, queue=1.02), DEFAULT))[key], PASS)
        self.assertEqual(statuses(exact_tier.judge(runs(2, queue=1.065), DEFAULT))[key],
                         REGRESSION)

    def test_a_new_allocation_site_fails_and_is_named(self) -> None:
        outcome = exact_tier.judge(runs(2, allocations={ALLOC: 1.0, EXTRA: 1.0}), DEFAULT)
        [failed] = [c for c in outcome.checks if c.status == REGRESSION]
        self.assertEqual(failed.metric, "exact_allocations_per_packet:receiver")
        self.assertIn(f"{EXTRA[0]} -> {EXTRA[1]} (new) 0.000 -> 1.000", failed.message)
        self.assertIn(f"new allocation site in receiver: {EXTRA[0]} -> {EXTRA[1]}",
                      exact_tier.render(outcome))

    def test_a_once_per_run_syscall_is_under_the_floor(self) -> None:
        rare = {"recvfrom": 1.0, "clock_nanosleep": 1 / 4096}
        outcome = exact_tier.judge(runs(2, syscalls=rare), DEFAULT)
        self.assertEqual(statuses(outcome)["exact_syscalls_per_packet:receiver"], PASS)
        per_round = {"recvfrom": 1.0, "epoll_wait": 1 / 64}
        outcome = exact_tier.judge(runs(2, syscalls=per_round), DEFAULT)
        self.assertEqual(statuses(outcome)["exact_syscalls_per_packet:receiver"], REGRESSION)

    def test_futex_calls_are_wake_ups_not_gated(self) -> None:
        # GLib's futex calls go through syscall(): how many follows the scheduling.
        outcome = exact_tier.judge(runs(2, syscalls={"recvfrom": 1.0, "syscall": 0.8}),
                                   DEFAULT)
        self.assertEqual(statuses(outcome)["exact_syscalls_per_packet:receiver"], PASS)

    def test_the_threshold_comes_from_the_config(self) -> None:
        loose = parse_config({"exact_thresholds": {"instructions_per_packet": 0.03}})
        outcome = exact_tier.judge(runs(2, receiver_factor=1.02), loose)
        self.assertEqual(statuses(outcome)["exact_instructions_per_packet:receiver"], PASS)

    def test_a_refused_strategy_is_skipped_with_its_reason(self) -> None:
        outcome = exact_tier.judge({"iouring": exact_tier.StrategyRuns(refused="no io")},
                                   DEFAULT)
        self.assertEqual([(c.status, c.message) for c in outcome.checks],
                         [(SKIPPED, "no io")])


class Calibration(unittest.TestCase):
    def test_the_pools_hold_the_ratios_the_gate_judges(self) -> None:
        # The queue +6.5 % of its own is +1.8 % of the receive path, as the gate judges it.
        [queue] = [p for p in exact_tier.pools(runs(2, queue=1.065), DEFAULT)
                   if p.label.endswith("queue")]
        median = statistics.median(math.exp(x) for x in queue.log_ratios)
        self.assertAlmostEqual(median, 1 + 0.065 * QUEUE_IR / 16601, delta=0.001)

    def test_quiet_counts_never_false_alarm_and_catch_two_percent(self) -> None:
        pools = exact_tier.pools(runs(12), DEFAULT)
        text = report_calibration([("exact", pools, fixed(2))])
        receiver = [line for line in text.splitlines() if "Ir/packet receiver" in line]
        # false alarms, then +1, +2, +5, +10 %: never at A/A, always from +2 %.
        self.assertRegex(receiver[0], r" 0\.0 %\s+\S+ %\s+100\.0 %\s+100\.0 %\s+100\.0 %")


def script(directory: str, name: str, text: str) -> str:
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + text)
    os.chmod(path, stat.S_IRWXU)
    return path


class Skipped(unittest.TestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.new = script(tmp.name, "new", 'echo "  --lock-step UINT  rounds"\n')
        self.old = script(tmp.name, "old", 'echo "  --packets UINT"\n')
        self.valgrind = lambda: valgrind.Probe((3, 19, 0), None)

    def test_a_side_that_predates_the_tier_is_named(self) -> None:
        self.assertEqual(exact_tier.unavailable(self.old, self.new, self.valgrind),
                         "the reference build predates the exact tier (its `run --help` "
                         "has no --lock-step)")
        why = exact_tier.unavailable(self.new, self.old, self.valgrind)
        self.assertTrue(why and why.startswith("the build under test predates"), why)
        self.assertIsNone(exact_tier.unavailable(self.new, self.new, self.valgrind))

    def test_no_valgrind_says_so(self) -> None:
        missing: List[valgrind.Probe] = [valgrind.Probe(None, "valgrind is not installed")]
        self.assertEqual(exact_tier.unavailable(self.new, self.new, lambda: missing[0]),
                         "valgrind is not installed")

    def test_a_skipped_tier_says_the_time_tier_decides(self) -> None:
        self.assertEqual(exact_tier.render(exact_tier.Outcome(skipped="why")),
                         "exact tier: skipped: why; the time tier decides")


if __name__ == "__main__":
    unittest.main()
