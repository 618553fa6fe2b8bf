"""The floor's comparability on made-up figures: either side of the tolerance, one-sided,
unknown figures, and the sentence every report prints."""
import json
import unittest

from reports.results import floor, synthetic
from reports.results.load import from_dict
from reports.results.sample import LIST_JSON


def runs(ctx, syscalls=None):
    return [{"ctx_switches_per_packet": ctx, "syscalls_per_packet": syscalls}]


class Exceeds(unittest.TestCase):
    def test_the_issues_figures_are_beyond_it(self):
        # Free-running at the default scenario: 0.13 against 0.03, 0.51 against 0.06.
        self.assertTrue(floor.exceeds(0.13, 0.03))
        self.assertTrue(floor.exceeds(0.51, 0.06))

    def test_either_side_of_the_ratio(self):
        self.assertTrue(floor.exceeds(0.126, 0.1))    # 26 % above, 0.026 per packet
        self.assertFalse(floor.exceeds(0.124, 0.1))   # 24 % above

    def test_either_side_of_the_per_packet_slack(self):
        self.assertTrue(floor.exceeds(0.0205, 0.01))  # twice, and 0.0105 more per packet
        self.assertFalse(floor.exceeds(0.019, 0.01))  # twice, but 0.009 more

    def test_waking_less_is_what_a_floor_may_do(self):
        # Lock-step: null once per round of 64, combined-list more (pushing).
        self.assertFalse(floor.exceeds(0.016, 0.046))


class Mismatch(unittest.TestCase):
    def test_wake_ups_first(self):
        found = floor.mismatch(runs(0.13, 0.51), runs(0.03, 0.06))
        self.assertEqual((found.key, found.floor, found.strategy),
                         ("ctx_switches_per_packet", 0.13, 0.03))

    def test_syscalls_alone(self):
        found = floor.mismatch(runs(0.03, 0.51), runs(0.03, 0.06))
        self.assertEqual(found.key, "syscalls_per_packet")

    def test_medians_of_the_runs(self):
        floor_runs = runs(0.01) + runs(0.2) + runs(0.2)
        self.assertIsNotNone(floor.mismatch(floor_runs, runs(0.05)))
        self.assertIsNone(floor.mismatch(runs(0.01) + runs(0.01) + runs(0.2), runs(0.05)))

    def test_an_unknown_figure_is_not_held_against_the_floor(self):
        self.assertIsNone(floor.mismatch(runs(0.03, 0.51), runs(0.03, None)))
        self.assertIsNone(floor.mismatch([{}], runs(0.03, 0.06)))


class Note(unittest.TestCase):
    def test_says_what_and_how_to_get_a_floor(self):
        found = floor.Mismatch("ctx_switches_per_packet", 0.13, 0.03)
        self.assertEqual(floor.note("null", "combined-list", found, True),
                         "null is not a comparable floor here: it woke 0.13 times per packet "
                         "against combined-list's 0.03; run with --lock-step 64 for a "
                         "comparable floor")

    def test_syscalls_without_the_hint(self):
        found = floor.Mismatch("syscalls_per_packet", 0.51, 0.0625)
        self.assertEqual(floor.note("null", "udpsrc", found, False),
                         "null is not a comparable floor here: it made 0.51 syscalls per "
                         "packet against udpsrc's 0.062")

    def test_no_lock_step_for_udpsrc_or_io_uring(self):
        self.assertTrue(floor.can_lock_step({"receiver": "loop", "recv": "recvmmsg"}))
        self.assertFalse(floor.can_lock_step({"receiver": "udpsrc"}))
        self.assertFalse(floor.can_lock_step({"receiver": "loop", "recv": "iouring"}))
        self.assertFalse(floor.can_lock_step(None))


def compare_file(null_ctx, lock_step=None):
    with open(LIST_JSON, encoding="utf-8") as f:
        listed = json.load(f)
    return from_dict(synthetic.floor_and_strategy(null_ctx, listed, lock_step))


class NotesOfFile(unittest.TestCase):
    def test_free_running(self):
        self.assertEqual(floor.notes_of_file(compare_file(0.13)),
                         ["null is not a comparable floor here: it woke 0.13 times per packet "
                          "against combined-list's 0.03; run with --lock-step 64 for a "
                          "comparable floor"])

    def test_comparable(self):
        self.assertEqual(floor.notes_of_file(compare_file(0.02, lock_step=64)), [])

    def test_lock_step_already(self):
        self.assertEqual(floor.notes_of_file(compare_file(0.13, lock_step=64)),
                         ["null is not a comparable floor here: it woke 0.13 times per packet "
                          "against combined-list's 0.03"])

    def test_no_floor_no_note(self):
        self.assertEqual(floor.notes_of_file(from_dict(synthetic.two_strategies(1.0))), [])


if __name__ == "__main__":
    unittest.main()
