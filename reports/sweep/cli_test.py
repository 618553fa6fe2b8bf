"""`rxbench sweep` end to end against a fake harness (testdata/fake_harness.py)."""
import json
import os
import tempfile
import unittest
from unittest import mock

from reports.html import capture
from reports.sweep import cli

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata", "fake_harness.py")


class CliTestBase(unittest.TestCase):
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


class SweepCliTest(CliTestBase):
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

    def test_a_run_past_the_point_timeout_is_killed_and_failed_and_the_sweep_goes_on(self):
        os.environ["FAKE_SLEEP_S"] = "5"
        code, doc, err = self.sweep("--strategies", "a,b", "--rates", "10k",
                                    "--point-timeout", "0.3")
        self.assertEqual(code, 1)
        self.assertFalse(doc["stopped_by_time"])
        self.assertEqual([p["verdict"] for p in doc["points"]], ["failed", "failed"])
        self.assertIn("did not finish within 0.3 s", doc["points"][0]["error"])

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


class StreamsCliTest(CliTestBase):
    """`sweep --streams` against the fake harness, which honours --streams as the
    contract of `run --streams` says (per_stream entries, totals over all streams)."""

    def test_search_finds_each_strategys_count_and_the_ratio(self):
        os.environ["FAKE_FIRST_LOSSY_STREAM"] = "baseline=37,combined-list=90"
        code, doc, _ = self.sweep("--strategies", "baseline,combined-list", "--streams",
                                  "--repetitions", "2", "--searches", "2",
                                  "--cpu-receiver", "1", "--cpu-pipeline", "1",
                                  "--cpu-generator", "0", "--duration", "0.5")
        self.assertEqual(code, 0)
        self.assertEqual(doc["mode"], "streams")
        self.assertEqual([(k["max_loss_free_streams"], k["first_bad_streams"])
                          for k in doc["knees"]["baseline"]], [(36, 37), (36, 37)])
        self.assertEqual(doc["capacity"]["combined-list"]["median"], 89)
        self.assertAlmostEqual(doc["ratios"]["combined-list"]["ratio_of_medians"], 89 / 36)
        # 12 probes per baseline search; each a run of N streams at 520 pps each,
        # the user's placement passed unchanged (and no default one added).
        baseline = [c for c in self.calls() if "--strategy baseline " in c]
        self.assertEqual(len(baseline), 24)
        self.assertIn("run --strategy baseline --streams 37 --rate 520 --repetitions 2",
                      "\n".join(baseline))
        self.assertTrue(baseline[0].endswith("--cpu-receiver 1 --cpu-pipeline 1 "
                                             "--cpu-generator 0 --duration 0.5"))
        out = os.path.join(self.tmp, "out")
        for name in ("index.html", "sweep.png", "sweep.svg"):
            self.assertTrue(os.path.exists(os.path.join(out, name)), name)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
            self.assertIn("Stream sweep", f.read())

    def test_one_core_placement_by_default(self):
        if len(os.sched_getaffinity(0)) < 2:
            self.skipTest("one core for the receive side and another for the generator")
        os.environ["FAKE_FIRST_LOSSY_STREAM"] = "2"
        code, doc, _ = self.sweep("--strategies", "a", "--streams", "--repetitions", "1")
        self.assertEqual(code, 0)
        options = self.calls()[0].split()
        cpu = {o: options[options.index(o) + 1]
               for o in ("--cpu-receiver", "--cpu-pipeline", "--cpu-generator")}
        self.assertEqual(cpu["--cpu-receiver"], cpu["--cpu-pipeline"])
        self.assertNotEqual(cpu["--cpu-receiver"], cpu["--cpu-generator"])
        self.assertEqual(doc["streams"]["placement"], options[options.index("--cpu-generator"):])

    def test_list_measures_the_counts_given_and_prints_the_table(self):
        os.environ["FAKE_FIRST_LOSSY_STREAM"] = "20"
        out = os.path.join(self.tmp, "out")
        code, printed, _ = capture.run(cli.main, [
            "--strategies", "a,b", "--streams", "1,8,64", "--per-stream-rate", "1k",
            "--repetitions", "1", "--cpu-receiver", "1", "--cpu-pipeline", "1",
            "--cpu-generator", "0", "--out", out])
        self.assertEqual(code, 0)
        self.assertEqual([c.split()[2:7] for c in self.calls()],
                         [[s, "--streams", str(n), "--rate", "1000"]
                          for n in (1, 8, 64) for s in ("a", "b")])
        with open(os.path.join(out, "sweep.json"), encoding="utf-8") as f:
            doc = json.load(f)["sweep"]
        self.assertEqual([(k["max_loss_free_streams"], k["first_bad_streams"])
                          for k in doc["knees"]["a"]], [(8, 64)])
        self.assertIn("a: 8 streams of 1000 pps loss-free", printed)
        self.assertRegex(printed, r"\n +64 lossy +[0-9,]+ +[0-9,.]+\n")

    def test_a_generator_that_falls_behind_is_not_the_receivers_limit(self):
        os.environ.update(FAKE_KNEE_PPS="10000000")  # this receiver never loses a packet
        out = os.path.join(self.tmp, "out")
        code, printed, _ = capture.run(cli.main, [
            "--strategies", "a", "--streams", "--per-stream-rate", "100k", "--repetitions", "1",
            "--cpu-receiver", "1", "--cpu-pipeline", "1", "--cpu-generator", "0", "--out", out])
        self.assertEqual(code, 0)
        # The fake generator tops out at 600 kpps: 6 streams of 100 kpps, not 7.
        self.assertIn("a: 6 streams of 100000 pps loss-free", printed)
        self.assertIn("not at 7 streams (generator short); the generator could not offer",
                      printed)

    def test_the_time_budget_stops_the_search_and_keeps_what_finished(self):
        os.environ.update(FAKE_SLEEP_S="0.3", FAKE_FIRST_LOSSY_STREAM="37")
        code, doc, err = self.sweep("--strategies", "a,b", "--streams", "--max-time", "1.5",
                                    "--cpu-receiver", "1", "--cpu-pipeline", "1",
                                    "--cpu-generator", "0")
        self.assertEqual(code, 0)
        self.assertTrue(doc["stopped_by_time"])
        self.assertFalse(doc["knees"]["a"][0]["finished"])
        self.assertLess(len(doc["points"]), 24)
        self.assertIn("Stopped by --max-time", err)

    def test_options_a_strategy_refuses_stop_the_sweep_before_any_run(self):
        code, _, err = self.sweep("--strategies", "baseline,udpsrc", "--streams", "1,8",
                                  "--cpu-receiver", "1", "--cpu-pipeline", "1",
                                  "--cpu-generator", "0")
        self.assertEqual(code, 2)
        self.assertEqual(err, "rxbench: --streams with udpsrc needs --stream-sockets "
                              "per-stream\n")
        self.assertFalse(os.path.exists(self.log))
        code, _, _ = self.sweep("--strategies", "baseline,udpsrc", "--streams", "1,8",
                                "--cpu-receiver", "1", "--cpu-pipeline", "1",
                                "--cpu-generator", "0", "--stream-sockets", "per-stream")
        self.assertEqual(code, 0)
        self.assertEqual(len(self.calls()), 4)

    def test_streams_usage_errors(self):
        for argv in (["--strategies", "a", "--streams", "0,8"],
                     ["--strategies", "a", "--streams", "many"],
                     ["--strategies", "a", "--streams", "--searches", "0"],
                     ["--strategies", "a", "--streams", "--reference", "b"],
                     ["--strategies", "a", "--streams", "--rates", "10k"]):
            code, _, err = self.sweep(*argv)
            self.assertEqual(code, 2, argv)
            self.assertEqual(len(err.strip().splitlines()), 1, err)


if __name__ == "__main__":
    unittest.main()
