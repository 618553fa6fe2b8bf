"""`rxbench count`'s refusals and options, against small stand-in harness scripts: a
strategy valgrind or lock-step cannot run is refused with its reason before anything is
started, and count's own options are its own."""
import os
import stat
import tempfile
import unittest
from typing import Any, Dict, List

from reports.exact import cli, count
from reports.usage import UsageError

LISTING = """strategies
  baseline       alloc/mutex/recvfrom/single  one datagram per call
  iouring        pooled/atomic/iouring/list   io_uring multishot
  udpsrc         udpsrc                       GStreamer's own source
scenarios
  default        2 kpps
"""


class Refusals(unittest.TestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.harness = os.path.join(tmp.name, "rxbench")
        self.started = os.path.join(tmp.name, "started")
        with open(self.harness, "w") as f:
            # `list` prints the presets; anything else (a run) leaves a trace.
            f.write(f'#!/bin/sh\nif [ "$1" = list ]; then cat <<EOF\n{LISTING}EOF\n'
                    f'else touch {self.started}; fi\n')
        os.chmod(self.harness, stat.S_IRWXU)

    def test_io_uring_is_refused_with_the_reason(self) -> None:
        for strategy in ("iouring", "baseline+recv=iouring"):
            why = count.refusal(self.harness, strategy)
            self.assertIsNotNone(why)
            self.assertIn("valgrind cannot run io_uring", why or "")
        self.assertFalse(os.path.exists(self.started))

    def test_udpsrc_is_refused_under_lock_step(self) -> None:
        why = count.refusal(self.harness, "udpsrc")
        self.assertEqual(why, f"udpsrc: {count.UDPSRC_REFUSAL}")

    def test_a_plain_strategy_is_counted(self) -> None:
        self.assertIsNone(count.refusal(self.harness, "baseline"))


class Packets(unittest.TestCase):
    def test_the_windows_packets(self) -> None:
        self.assertEqual(count.measured_packets({"window_packets": 4096,
                                                 "packets_delivered": 4396}), 4096)

    def test_no_measured_packets_is_a_failure_not_a_division(self) -> None:
        results: List[Dict[str, Any]] = [{}, {"window_packets": 0}, {"window_packets": None}]
        for result in results:
            with self.assertRaises(count.CountFailed):
                count.measured_packets(result)


class Options(unittest.TestCase):
    def test_defaults_are_whole_rounds(self) -> None:
        args, forwarded = cli.parse(["--scenario", "default"])
        self.assertEqual(args.packets % args.lock_step, 0)
        self.assertEqual(forwarded, ["--scenario", "default"])

    def test_options_count_sets_are_refused(self) -> None:
        for argv in (["--strategy", "baseline"], ["--repetitions", "0"], ["--duration", "3"],
                     ["--lock-step", "0"], ["--strategies", ","], ["stray"]):
            with self.assertRaises(UsageError, msg=argv):
                cli.parse(argv)

    def test_the_command_counts_only_the_window(self) -> None:
        argv = count.command("H", "baseline", 64, 4096, "OUT", "R.json", ["--rate", "9"])
        self.assertIn("--instr-atstart=no", argv)
        self.assertIn("--separate-threads=yes", argv)
        self.assertEqual(argv[argv.index("H"):], ["H", "run", "--strategy", "baseline",
                                                  "--lock-step", "64", "--packets", "4096",
                                                  "--out", "R.json", "--rate", "9"])


if __name__ == "__main__":
    unittest.main()
