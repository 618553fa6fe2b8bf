"""Real valgrind on window_probe (a program with known counts): the callgrind window
(metrics/callgrind_window.h) counts what runs inside it in every thread and nothing
outside it, and the reader finds exactly the mallocs the probe makes there."""
import os
import subprocess
import sys
import tempfile
import unittest
from typing import Dict, Tuple

from reports.exact import callgrind, figures

PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "window_probe")
SPIN_INSIDE = "rxbench::exact_probe::SpinInside(unsigned long)"
SPIN_OUTSIDE = "rxbench::exact_probe::SpinOutside(unsigned long)"
ALLOCATE = "rxbench::exact_probe::AllocateInside(unsigned long)"
ALLOCS = 37


def counted(outside: int, inside: int) -> Tuple[Dict[int, callgrind.ThreadProfile], str]:
    """The probe's threads as callgrind counted them, and its stdout."""
    tmp = tempfile.TemporaryDirectory()
    out = os.path.join(tmp.name, "callgrind.out")
    try:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--separate-threads=yes",
             "--fair-sched=try", "--collect-systime=nsec", f"--callgrind-out-file={out}",
             PROBE, str(outside), str(inside), str(ALLOCS)],
            capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0:
            raise AssertionError(f"valgrind failed ({done.returncode}): {done.stderr[-2000:]}")
        return callgrind.read_threads(callgrind.dump_files(out)), done.stdout
    finally:
        tmp.cleanup()


Threads = Dict[int, callgrind.ThreadProfile]


class Window(unittest.TestCase):
    small: Threads
    large: Threads
    double: Threads
    stdout: str

    @classmethod
    def setUpClass(cls) -> None:
        cls.small, cls.stdout = counted(outside=1_000, inside=100_000)
        cls.large, _ = counted(outside=3_000_000, inside=100_000)
        cls.double, _ = counted(outside=1_000, inside=200_000)

    @staticmethod
    def spin(threads: Dict[int, callgrind.ThreadProfile], function: str) -> int:
        return sum(t.self_cost.get(function, {}).get("Ir", 0) for t in threads.values())

    def test_the_probe_ran_under_valgrind(self) -> None:
        self.assertIn("under valgrind: yes", self.stdout)

    def test_outside_the_window_nothing_is_counted(self) -> None:
        for threads in (self.small, self.large):
            self.assertEqual(self.spin(threads, SPIN_OUTSIDE), 0)
            for thread in threads.values():
                self.assertNotIn(SPIN_OUTSIDE, thread.functions())

    def test_inside_it_counts_do_not_depend_on_what_ran_outside(self) -> None:
        inside = self.spin(self.small, SPIN_INSIDE)
        self.assertGreater(inside, 100_000)
        self.assertEqual(self.spin(self.large, SPIN_INSIDE), inside)

    def test_inside_it_counts_follow_the_work(self) -> None:
        once, twice = self.spin(self.small, SPIN_INSIDE), self.spin(self.double, SPIN_INSIDE)
        self.assertGreater(once, 100_000)
        # a * iterations + b, with b the call's few instructions.
        self.assertLess(abs(twice - 2 * once), 100)

    def test_the_window_dump_is_there(self) -> None:
        triggers = [t for thread in self.small.values() for t in thread.triggers]
        self.assertIn("Client Request: window", triggers)

    def test_exactly_the_probes_allocations(self) -> None:
        sites: Dict[Tuple[str, str], int] = {}
        for thread in self.small.values():
            for site, n in figures.allocation_sites(thread).items():
                sites[site] = sites.get(site, 0) + n
        self.assertEqual(sites.get((ALLOCATE, "malloc")), ALLOCS)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
