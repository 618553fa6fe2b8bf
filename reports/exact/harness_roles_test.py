"""Real valgrind on the real harness: a short `baseline` run under callgrind (the whole
process: the harness does not open the callgrind window yet). Every thread gets its role
whatever order GStreamer started them in, and the reader's allocation count agrees with
the harness's own: baseline allocates one buffer per datagram, and says how many."""
import json
import os
import subprocess
import sys
import tempfile
import unittest
from collections import Counter
from typing import Any, Dict

from reports.exact import callgrind, figures, roles

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(os.environ.get("TEST_SRCDIR", os.path.join(HERE, "..", "..", "..")),
                       "rxbench", "commands", "rxbench")
ALLOCATE = "rxbench::pools::AllocSource::TryAcquire(rxbench::pools::PacketSlot*)"


class BaselineUnderCallgrind(unittest.TestCase):
    threads: Dict[int, callgrind.ThreadProfile]
    result: Dict[str, Any]

    @classmethod
    def setUpClass(cls) -> None:
        tmp = tempfile.TemporaryDirectory()
        cls.addClassCleanup(tmp.cleanup)
        out = os.path.join(tmp.name, "callgrind.out")
        results = os.path.join(tmp.name, "results.json")
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--separate-threads=yes", "--fair-sched=try",
             "--collect-systime=nsec", f"--callgrind-out-file={out}",
             HARNESS, "run", "--strategy", "baseline", "--packets", "1000", "--rate", "2000",
             "--out", results],
            capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            raise AssertionError(f"valgrind failed ({done.returncode}): {done.stderr[-3000:]}")
        cls.threads = callgrind.read_threads(callgrind.dump_files(out))
        with open(results, encoding="utf-8") as f:
            cls.result = json.load(f)["benchmarks"][0]

    def test_every_role_once(self) -> None:
        found = Counter(roles.roles(self.threads).values())
        self.assertEqual(found, Counter(["harness", "receiver", "generator", "src", "queue",
                                         "rtpjitterbuffer", "pipeline:timer"]), found)

    def test_the_receivers_buffers_are_the_harness_count(self) -> None:
        role = roles.roles(self.threads)
        receiver = [t for n, t in self.threads.items() if role[n] == "receiver"]
        sites = figures.allocation_sites(receiver[0])
        self.assertEqual(sites[(ALLOCATE, "gst_buffer_new_allocate")],
                         self.result["buffer_allocations"])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
