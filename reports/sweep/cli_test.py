"""`rxbench sweep` end to end against a fake harness (testdata/fake_harness.py)."""
import json
import os
import tempfile
import unittest
from unittest import mock

from reports.html import capture
from reports.sweep import cli

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata", "fake_harness.py")


class SweepCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = self.enterContext(tempfile.TemporaryDirectory(prefix="sweep_cli_test_"))
        self.log = os.path.join(self.tmp, "calls.log")
        self.enterContext(mock.patch.dict(os.environ, {
            "RXBENCH_HARNESS": FAKE, "FAKE_LOG": self.log, "FAKE_KNEE_PPS": "150000",
            "FAKE_SLEEP_S": "0"}))

    def sweep(self, *argv):
        out = os.path.join(self.tmp, "out")
        code, _, err = capture.run(cli.main, list(argv) + ["--out", out])
        doc = None
        if os.path.exists(os.path.join(out, "sweep.json")):
            with open(os.path.join(out, "sweep.json"), encoding="utf-8") as f:
                doc = json.load(f)["sweep"]
        return code, doc, err

    def calls(self):
        with open(self.log) as f:
            return f.read().splitlines()

    def test_grid_measures_every_point_and_reads_the_knee(self):
        code, doc, _ = self.sweep("--strategies", "a,b", "--rates", "10k,100k,200k",
                                  "--repetitions", "2", "--duration", "0.5")
        self.assertEqual(code, 0)
        self.assertEqual(len(doc["points"]), 6)
        self.assertEqual(doc["knees"]["a"]["max_loss_free_pps"], 100_000)
        self.assertEqual(doc["knees"]["a"]["first_bad_pps"], 200_000)
        # Scenario options are forwarded unchanged; rate and repetitions are the sweep's.
        self.assertIn("run --strategy a --rate 10000 --repetitions 2 --out", self.calls()[0])
        self.assertTrue(self.calls()[0].endswith("--duration 0.5"))
        out = os.path.join(self.tmp, "out")
        for name in ("index.html", "sweep.png", "sweep.svg"):
            self.assertTrue(os.path.exists(os.path.join(out, name)), name)

    def test_auto_bisects_to_the_knee_and_marks_the_generator_limit(self):
        code, doc, _ = self.sweep("--strategies", "a", "--auto", "--repetitions", "1")
        self.assertEqual(code, 0)
        k = doc["knees"]["a"]
        self.assertLessEqual(k["max_loss_free_pps"], 150_000)
        self.assertLessEqual(k["first_bad_pps"] / k["max_loss_free_pps"], 1.05)
        top = next(p for p in doc["points"] if p["offered_pps"] == 650_000)
        self.assertTrue(top["generator_fell_behind"])
        self.assertNotEqual(top["verdict"], "loss-free")

    def test_max_time_stops_and_keeps_what_finished(self):
        os.environ["FAKE_SLEEP_S"] = "0.4"
        code, doc, err = self.sweep("--strategies", "a,b", "--rates", "10k,20k,50k,100k",
                                    "--max-time", "1")
        self.assertEqual(code, 0)
        self.assertTrue(doc["stopped_by_time"])
        self.assertLess(len(doc["points"]), 8)
        self.assertGreater(len(doc["points"]), 0)
        self.assertIn("Stopped by --max-time", err)

    def test_a_failed_run_is_kept_and_exits_1(self):
        code, doc, _ = self.sweep("--strategies", "a,broken", "--rates", "10k")
        self.assertEqual(code, 1)
        broken = next(p for p in doc["points"] if p["strategy"] == "broken")
        self.assertEqual(broken["verdict"], "failed")
        self.assertIn("receiver did not start", broken["error"])

    def test_usage_errors_are_one_line_and_exit_2(self):
        for argv in (["--strategies", "a", "--rates", "10k", "--rate", "5"],   # sweep sets it
                     ["--strategies", "a"],                                    # no mode
                     ["--strategies", "a", "--rates", "fast"],
                     ["--strategies", "a", "--rates", "10k", "--bogus", "1"]):  # harness says
            code, _, err = self.sweep(*argv)
            self.assertEqual(code, 2, argv)
            lines = [line for line in err.splitlines() if line.strip()]
            self.assertEqual(len(lines), 1, err)
            self.assertTrue(lines[0].startswith("rxbench: "), err)
        os.environ.pop("RXBENCH_HARNESS")
        code, _, err = self.sweep("--strategies", "a", "--rates", "10k")
        self.assertEqual(code, 2)
        self.assertIn("RXBENCH_HARNESS", err)


if __name__ == "__main__":
    unittest.main()
