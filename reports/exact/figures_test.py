"""Per-packet figures and the diff of two builds, on hand-written profiles of 4 packets."""
import unittest
from typing import Dict

from reports.exact import callgrind, figures, profile_diff

# A receiver thread over 4 packets: per packet, one recvfrom (a syscall), one buffer
# (gst_buffer_new_allocate, which allocates through gst_allocator_alloc, g_slice_alloc and
# malloc inside) and
# one g_malloc (which calls malloc inside).
RECEIVER = """events: Ir sysCount
fn=(1) Receive()
1 400
cfn=(2) recvfrom
calls=4 0
1 200 4
cfn=(3) gst_buffer_new_allocate
calls=4 0
2 600
cfn=(4) g_malloc
calls=4 0
3 120
fn=(2)
0 200 4
fn=(3)
0 200
cfn=(9) gst_allocator_alloc
calls=4 0
0 400
fn=(9)
0 0
cfn=(5) g_slice_alloc
calls=4 0
0 400
fn=(5)
0 80
cfn=(6) malloc
calls=4 0
0 320
fn=(4)
0 40
cfn=(6)
calls=4 0
0 80
fn=(6)
0 400
totals: 1320 4
"""

# The pipeline thread: a write per packet, and a clock read (a syscall only under
# valgrind, which has no vDSO) every other packet.
PIPELINE = """events: Ir sysCount
fn=(1) Consume()
1 100
cfn=(2) write
calls=4 0
1 60 4
cfn=(3) clock_gettime
calls=2 0
1 20 2
fn=(2)
0 60 4
fn=(3)
0 20 2
totals: 180 6
"""


def threads(receiver: str = RECEIVER) -> Dict[int, callgrind.ThreadProfile]:
    return {2: callgrind.read_text(receiver), 3: callgrind.read_text(PIPELINE),
            4: callgrind.read_text("events: Ir\nfn=(1) Other()\n1 999\n")}


ROLES = {2: "receiver", 3: "queue"}


class PerPacket(unittest.TestCase):
    def setUp(self) -> None:
        self.figures = figures.figures(threads(), ROLES, packets=4)

    def test_instructions_per_role_leave_out_threads_without_one(self) -> None:
        self.assertEqual(self.figures.instructions, {"receiver": 330.0, "queue": 45.0})

    def test_syscalls_by_entry_point(self) -> None:
        self.assertEqual(self.figures.syscalls,
                         {"receiver": {"recvfrom": 1.0}, "queue": {"write": 1.0}})
        self.assertEqual(self.figures.vdso_calls["queue"], {"clock_gettime": 0.5})

    def test_allocations_counted_once_where_they_were_asked_for(self) -> None:
        self.assertEqual(self.figures.allocations["receiver"],
                         {("Receive()", "gst_buffer_new_allocate"): 1.0,
                          ("Receive()", "g_malloc"): 1.0})
        self.assertEqual(self.figures.allocations["queue"], {})
        self.assertEqual(self.figures.allocations_total(), 2.0)

    def test_top_functions_by_inclusive_instructions(self) -> None:
        self.assertEqual(self.figures.top_functions(2),
                         [("Receive()", 330.0), ("gst_buffer_new_allocate", 150.0)])

    def test_no_packets_no_figures(self) -> None:
        with self.assertRaises(ValueError):
            figures.figures(threads(), ROLES, packets=0)


class Diff(unittest.TestCase):
    def test_a_new_allocation_and_syscall_are_named(self) -> None:
        # The second build allocates once more per packet, from a new site, and polls.
        changed = RECEIVER.replace("fn=(2)\n0 200 4\n", (
            "cfn=(7) Extra()\ncalls=4 0\n4 240 4\n"
            "fn=(7)\n0 40\ncfn=(6) malloc\ncalls=4 0\n0 80\ncfn=(8) poll\ncalls=4 0\n0 120 4\n"
            "fn=(8)\n0 120 4\nfn=(6)\n0 80\n"
            "fn=(2)\n0 200 4\n")).replace("totals: 1320 4", "totals: 1560 8")
        before = figures.figures(threads(), ROLES, packets=4)
        after = figures.figures(threads(changed), ROLES, packets=4)
        found = profile_diff.diff(before, after, top=2)
        self.assertEqual(found.instructions, {"receiver": (330.0, 390.0), "queue": (45.0, 45.0)})
        self.assertEqual([(m.function, m.before, m.after) for m in found.moved],
                         [("Extra()", 0.0, 60.0), ("Receive()", 330.0, 390.0)])
        self.assertEqual(found.new_syscalls, [("receiver", "poll", 1.0)])
        self.assertEqual(found.new_allocation_sites, [("receiver", "Extra()", "malloc", 1.0)])

    def test_the_same_build_has_nothing_new(self) -> None:
        same = profile_diff.diff(figures.figures(threads(), ROLES, 4),
                                 figures.figures(threads(), ROLES, 4))
        self.assertEqual((same.moved, same.new_syscalls, same.new_allocation_sites), ([], [], []))


if __name__ == "__main__":
    unittest.main()
