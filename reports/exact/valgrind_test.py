"""The valgrind probe and the strategies the exact tier refuses. `rxbench-list.txt` is
the real harness's `rxbench list` output."""
import os
import subprocess
import unittest
from typing import List

from reports.exact import valgrind

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "testdata", "rxbench-list.txt"), encoding="utf-8") as f:
    LISTING = f.read()


def answering(stdout: str, returncode: int = 0) -> valgrind.Runner:
    def run(args: List[str]) -> "subprocess.CompletedProcess[str]":
        return subprocess.CompletedProcess(args, returncode, stdout, "")
    return run


class Probe(unittest.TestCase):
    def test_version_text(self) -> None:
        self.assertEqual(valgrind.parse_version("valgrind-3.19.0\n"), (3, 19, 0))
        self.assertEqual(valgrind.parse_version("valgrind-3.22.0.GIT"), (3, 22, 0))
        self.assertIsNone(valgrind.parse_version("command not found"))

    def test_new_enough(self) -> None:
        found = valgrind.probe(answering("valgrind-3.19.0\n"))
        self.assertEqual(found, valgrind.Probe((3, 19, 0), None))

    def test_too_old(self) -> None:
        found = valgrind.probe(answering("valgrind-3.18.1\n"))
        self.assertEqual(found.reason, "valgrind 3.18.1 is older than 3.19")

    def test_not_installed(self) -> None:
        def missing(args: List[str]) -> "subprocess.CompletedProcess[str]":
            raise FileNotFoundError(args[0])
        self.assertIn("not installed", valgrind.probe(missing).reason or "")

    def test_this_machine(self) -> None:
        # The developer guide's machines have Debian 12's valgrind 3.19.
        found = valgrind.probe()
        self.assertIsNone(found.reason)
        self.assertGreaterEqual(found.version or (), (3, 19))


class Refusal(unittest.TestCase):
    def test_io_uring_presets_and_overrides_are_refused_with_the_reason(self) -> None:
        for strategy in ("iouring", "iouring+sync=mutex", "pooled+recv=iouring+buffer=ring"):
            reason = valgrind.refusal(strategy, LISTING)
            self.assertIsNotNone(reason, strategy)
            self.assertIn("multishot", reason or "")

    def test_the_others_run(self) -> None:
        for strategy in ("baseline", "combined-list", "udpsrc", "null", "null+gro", "gro",
                         "iouring+recv=recvmmsg+buffer=gstpool"):
            self.assertIsNone(valgrind.refusal(strategy, LISTING), strategy)

    def test_an_unknown_strategy_is_named(self) -> None:
        self.assertIn("'nosuch'", valgrind.refusal("nosuch", LISTING) or "")


if __name__ == "__main__":
    unittest.main()
