"""`rxbench ci` end to end with the fake harness: exit codes, interleaving, what goes to
which build, outputs, history, nightly and calibration modes."""
import json
import os
import sqlite3
import subprocess
import unittest
from xml.etree import ElementTree

import reports
from reports.ci.fake_setup import SandboxTest

REPS = "10"   # the first look; >= 10: the least at which Wilcoxon can reach p < 0.01 / 5
# A gate of one look at 8 pairs (a fixed count, all of alpha: 8 is the least at 0.01).
FIXED8 = ("--repetitions", "8", "--max-repetitions", "8")


class AgainstRevision(SandboxTest):
    def test_a_a_passes_and_interleaves(self):
        junit = self.box.path("junit.xml")
        code, out, err = self.box.ci("--against", "HEAD", "--repetitions", REPS,
                                     "--junit", junit)
        self.assertEqual(code, 0, err)
        self.assertTrue(out.startswith("rxbench ci: PASS: no gated metric regressed "
                                       "against HEAD ("), out)
        self.assertIn("paired comparison", out)
        # Not the dry run, nor the exact tier's `run --help` (the fake predates that tier).
        calls = [c for c in self.box.harness_calls() if "--dry-run" not in c[1]
                 and c[1][:1] == ["compare"]]
        self.assertEqual(len(calls), 20)
        # Alternating order: reference first in even repetitions, candidate in odd.
        self.assertEqual([who for who, _ in calls[:4]],
                         ["reference", "candidate", "candidate", "reference"])
        for _, argv in calls:
            self.assertEqual(argv[:5], ["compare", "--strategies", "combined-list,iouring",
                                        "--repetitions", "1"])
            self.assertIn("minimal", argv)      # --measure minimal by default
        suite = ElementTree.parse(junit).getroot().find("testsuite")
        self.assertEqual((suite.get("tests"), suite.get("failures")), ("14", "0"))
        with sqlite3.connect(self.box.db) as conn:
            self.assertEqual(sorted(conn.execute("SELECT source FROM runs")),
                             [("ci",), ("ci-reference",)])
        # The second gate against the same commit reuses the built binary.
        builds = len(self.box.bazel_calls())
        self.assertEqual(self.box.ci("--against", self.box.head, *FIXED8,
                                     "--no-record")[0], 0)
        self.assertEqual(len(self.box.bazel_calls()), builds)

    def test_injected_cost_fails_only_the_build_under_test(self):
        markdown = self.box.path("mr.md")
        out_dir = self.box.path("out")
        code, out, err = self.box.ci("--against", "HEAD", "--repetitions", REPS,
                                     "--inject-cost-ns", "450", "--markdown", markdown,
                                     "--out", out_dir)
        self.assertEqual(code, 1, err)
        self.assertTrue(out.startswith("rxbench ci: FAIL: 2 regressions against HEAD"))
        # +450 ns on 3000 and 2600 ns, with +-1 % noise on each side.
        lines = err.splitlines()
        self.assertRegex(lines[-2], r"^rxbench: regression: receive-path CPU of "
                                    r"combined-list: 1\.1[4-6]x slower, 1\.1\d\d \[1\.1")
        # A fixed count of 10 pairs: one decision at the whole alpha.
        self.assertIn("(p=0.002, n=10); significantly worse (one-sided p=9.8e-04 < "
                      "0.01) and by more than the 2 % ignored (threshold 5 %)", lines[-2])
        self.assertNotIn("at look", lines[-2])
        self.assertRegex(lines[-1], r"^rxbench: regression: receive-path CPU of "
                                    r"iouring: 1\.1[6-8]x slower")
        for who, argv in self.box.harness_calls():
            self.assertEqual("--inject-cost-ns" in argv, who == "candidate", argv)
        with open(markdown) as f:
            self.assertIn("**rxbench ci: FAIL: 2 regressions", f.read())
        with open(os.path.join(out_dir, "ci.json")) as f:
            document = json.load(f)
        self.assertTrue(document["gate"]["failed"])
        self.assertEqual(len(document["benchmarks"]), 20)
        self.assertEqual(sorted({b["repetition_index"] for b in document["benchmarks"]}),
                         list(range(10)))
        self.assertTrue(os.path.isdir(os.path.join(out_dir, "rep009-reference")))
        with sqlite3.connect(self.box.db) as conn:
            options = dict(conn.execute("SELECT source, options FROM runs"))
        self.assertIn('"inject_cost_ns":450', options["ci"])
        self.assertNotIn("inject", options["ci-reference"])

    def test_exact_tier_skipped_for_a_build_that_predates_it(self):
        # The fake harness has no --lock-step in `run --help`, as a revision from before
        # the exact tier: the tier says why it is skipped, and the time tier decides.
        out_dir = self.box.path("out")
        code, out, err = self.box.ci("--against", "HEAD", "--repetitions", REPS,
                                     "--tier", "exact", "--inject-cost-ns", "450",
                                     "--out", out_dir, "--no-record")
        self.assertEqual(code, 1, err)
        self.assertIn("rxbench: ci: exact tier skipped: the reference build predates the "
                      "exact tier (its `run --help` has no --lock-step); running the time "
                      "tier, which decides", err)
        self.assertIn("exact tier: skipped: the reference build predates", out)
        self.assertIn("time tier:", out)
        with open(os.path.join(out_dir, "ci.json")) as f:
            document = json.load(f)
        self.assertIn("predates the exact tier", document["exact"]["skipped"])
        self.assertTrue(document["gate"]["failed"])

    def test_change_under_the_threshold_above_the_ignored_fails(self):
        # +120 ns is +4 % (combined-list) and +4.6 % (iouring): under the 5 % threshold,
        # but real (every pair agrees) and above the 2 % ignored. The gate must catch a
        # true +5 %, so it cannot wait for the estimate to pass 1.05.
        code, out, err = self.box.ci("--against", "HEAD", "--repetitions", REPS,
                                     "--inject-cost-ns", "120", "--no-record")
        self.assertEqual(code, 1, err)
        self.assertTrue(out.startswith("rxbench ci: FAIL: 2 regressions against HEAD"), out)

    def test_ignored_change_passes(self):
        # +15 ns is +0.5 % (combined-list) and +0.6 % (iouring): under the 2 % ignored,
        # whatever its p; the +-1 % noise keeps every median under 1.02.
        code, out, err = self.box.ci("--against", "HEAD", "--repetitions", REPS,
                                     "--inject-cost-ns", "15", "--no-record")
        self.assertEqual(code, 0, err)
        self.assertIn("rxbench ci: PASS", out)

    def test_new_loss_fails(self):
        code, _, err = self.box.ci("--against", "HEAD", "--repetitions", REPS,
                                   "--inject-cost-ns", "1", "--no-record",
                                   FAKE_RXBENCH_LOSS="7")
        self.assertEqual(code, 1)
        self.assertIn("rxbench: regression: new packet loss in combined-list: lost 70 "
                      "packets in 10 of 10 repetitions; the reference lost 0", err)

    def test_each_build_names_itself(self):
        """A results file names the build that made it: the reference binary must not
        inherit the checkout's version that ./rxbench exports."""
        git = ["git", "-C", self.box.repo, "-c", "user.name=t", "-c", "user.email=t@t"]
        subprocess.run(git + ["commit", "-q", "--allow-empty", "-m", "two"], check=True)

        def describe(rev):
            return subprocess.run(
                ["git", "-C", self.box.repo, "describe", "--always", "--tags", rev], check=True,
                capture_output=True, text=True).stdout.strip()
        head, previous = describe("HEAD"), describe("HEAD~1")
        out_dir = self.box.path("out")
        code, _, err = self.box.ci("--against", "HEAD~1", *FIXED8,
                                   "--no-record", "--out", out_dir, RXBENCH_VERSION=head)
        self.assertEqual(code, 0, err)
        for rep in range(8):
            versions = {}
            for side in ("reference", "candidate"):
                with open(os.path.join(out_dir, f"rep{rep:03d}-{side}", "compare.json")) as f:
                    versions[side] = json.load(f)["context"]["rxbench_version"]
            self.assertEqual(versions, {"reference": previous, "candidate": head})
        self.assertNotEqual(head, previous)

    def test_usage_errors_exit_2_before_building(self):
        cases = [
            (["--against", "HEAD", "--rate", "-5"], "rxbench: --rate: value must be positive"),
            (["--against", "HEAD", "--bogus", "1"],
             "rxbench: The following argument was not expected: --bogus"),
            (["--against", "nope"], "rxbench: --against nope: no such commit"),
            ([], "rxbench: ci: nothing to compare with"),
            (["--against", "HEAD", "--calibrate"], "rxbench: ci: choose one of"),
            (["--against", "HEAD", "--strategy=iouring"], "--strategy=iouring is set by ci"),
            (["--against", "HEAD", "--config", "/nonexistent.json"], "cannot read --config"),
            (["--against", "HEAD", "--repetitions", "0"], "--repetitions must be"),
            (["--against", "HEAD", "--repetitions", "7", "--max-repetitions", "30"],
             "--repetitions 7 is too few: with fewer than 10 pairs the Wilcoxon test "
             "cannot reach p < 0.002 (0.01 over 5 looks), so the first look could never "
             "fail; use --repetitions 10 or more"),
            (["--against", "HEAD", "--repetitions", "7"],
             "--repetitions 7 is too few: with fewer than 8 pairs the Wilcoxon test "
             "cannot reach p < 0.01, so the gate could never fail; use "
             "--repetitions 8"),
            (["--against", "HEAD", "--repetitions", "12", "--max-repetitions", "10"],
             "--max-repetitions 10 is below --repetitions 12 (the first look)"),
            (["--against", "HEAD", "--look-every", "0"], "--look-every must be"),
            (["--baseline", "absent"], "--baseline absent: no such baseline"),
            (["--against", "HEAD", "--strategies", "nope"], "unknown strategy 'nope'"),
        ]
        for argv, message in cases:
            code, out, err = self.box.ci(*argv)
            self.assertEqual(code, 2, (argv, err))
            self.assertEqual(len(err.splitlines()), 1, (argv, err))
            self.assertIn(message, err)
            self.assertEqual(out, "")
        self.assertEqual(self.box.bazel_calls(), [])
        self.assertTrue(all("--dry-run" in argv for _, argv in self.box.harness_calls()))

    def test_bad_input_leaves_nothing_behind(self):
        """Issue 17 section 3: one line, exit 2, before any build or traffic, and no
        output, history database or build worktree half-made."""
        configs = {"negative": {"thresholds": {"cpu_ns_per_packet_receive_path": -1}},
                   "typo": {"thresholds": {"cpu_ns_per_packet_recieve_path": 0.05}}}
        for name, data in configs.items():
            with open(self.box.path(f"{name}.json"), "w") as f:
                json.dump(data, f)
        out_dir = self.box.path("out")
        cases = [
            (["--against", "nope"], "rxbench: --against nope: no such commit in "),
            (["--against", "HEAD", "--config", self.box.path("negative.json")],
             "threshold of cpu_ns_per_packet_receive_path must be a fraction in [0, 1)"),
            (["--against", "HEAD", "--config", self.box.path("typo.json")],
             "unknown metric 'cpu_ns_per_packet_recieve_path'; one of "),
        ]
        for argv, message in cases:
            code, out, err = self.box.ci(*argv, *FIXED8, "--out", out_dir,
                                         "--junit", self.box.path("junit.xml"))
            self.assertEqual((code, out), (2, ""), (argv, err))
            self.assertEqual(len(err.splitlines()), 1, (argv, err))
            self.assertIn(message, err)
            for path in (out_dir, self.box.db, self.box.path("junit.xml"), self.box.cache):
                self.assertFalse(os.path.exists(path), (argv, path))
        self.assertEqual(self.box.bazel_calls(), [])
        self.assertTrue(all("--dry-run" in argv for _, argv in self.box.harness_calls()))

    def test_harness_not_set(self):
        code, _, err = self.box.ci("--against", "HEAD", RXBENCH_HARNESS="")
        self.assertEqual(code, 2)
        self.assertIn("RXBENCH_HARNESS is not set", err)

    def test_run_failure_exits_1(self):
        code, _, err = self.box.ci("--against", "HEAD", "--repetitions", REPS,
                                   FAKE_RXBENCH_FAIL="1")
        self.assertEqual(code, 1)
        self.assertIn("fake failure", err)

    def test_as_a_process(self):
        env = {**os.environ, **self.box.env,
               "PYTHONPATH": os.path.dirname(os.path.dirname(reports.__file__))}
        done = subprocess.run(["/usr/bin/python3", "-m", "reports", "ci", "--against",
                               "HEAD", *FIXED8, "--no-record"], env=env,
                              capture_output=True, text=True, timeout=600)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("rxbench ci: PASS", done.stdout)


class SequentialLooks(SandboxTest):
    def test_an_undecided_strategy_gets_more_pairs_in_alternating_order(self):
        """combined-list (+-1 % noise) passes at the first look; iouring's pairs swing
        30 % either way, so no look decides it: it alone gets more pairs, up to the cap,
        the order still alternating, and passes undecided."""
        out_dir = self.box.path("out")
        # Odd looks: the order must alternate across them, not restart at each.
        code, out, err = self.box.ci("--against", "HEAD", "--repetitions", "11",
                                     "--look-every", "3", "--max-repetitions", "17",
                                     "--out", out_dir, "--no-record",
                                     FAKE_RXBENCH_SWING="iouring=0.3")
        self.assertEqual(code, 0, err)
        calls = [c for c in self.box.harness_calls() if "--dry-run" not in c[1]
                 and c[1][:1] == ["compare"]]
        self.assertEqual(len(calls), 2 * 17)
        strategies = [argv[2] for _, argv in calls]
        self.assertEqual(strategies, ["combined-list,iouring"] * 22 + ["iouring"] * 12)
        # Pair r: reference first when r is even, across the looks too.
        self.assertEqual([who for who, _ in calls],
                         [who for r in range(17) for who in
                          (("reference", "candidate") if r % 2 == 0
                           else ("candidate", "reference"))])
        self.assertIn("looks at 11, 14, 17 pairs, each at alpha 0.00333333 (0.01 / 3)", out)
        self.assertIn("combined-list: stopped at look 1 of 3, 11 pairs: pass", out)
        self.assertIn("iouring: undecided at the cap (look 3 of 3, 17 pairs)", out)
        with open(os.path.join(out_dir, "ci.json")) as f:
            document = json.load(f)
        looks = document["gate"]["sequential"]
        self.assertEqual({s: (v["status"], v["look"], v["looks"], v["pairs"])
                          for s, v in looks.items()},
                         {"combined-list": ("pass", 1, 3, 11),
                          "iouring": ("undecided", 3, 3, 17)})
        self.assertEqual(document["context"]["ci"]["looks"], [11, 14, 17])
        indices = {}
        for b in document["benchmarks"]:
            indices.setdefault(b["strategy"], []).append(b["repetition_index"])
            self.assertEqual(b["repetitions"], 11 if b["strategy"] == "combined-list" else 17)
        self.assertEqual(indices, {"combined-list": list(range(11)),
                                   "iouring": list(range(17))})
        [iouring] = [c for c in document["gate"]["checks"]
                     if c["strategy"] == "iouring" and c["metric"].endswith("receive_path")]
        self.assertIn("n=17", iouring["message"])
        self.assertIn("undecided at the cap", iouring["message"])


class Report(SandboxTest):
    def test_report_draws_the_trend_including_this_gate(self):
        # Rendered after recording: even the first gate's report has a trend (this gate's
        # two builds), and it is read from the database the gate recorded into.
        for n, commit in enumerate(("c1", "c2")):
            report = self.box.path(f"report{n}")
            code, _, err = self.box.ci("--against", "HEAD", *FIXED8,
                                       "--commit", commit, "--report", report)
            self.assertEqual(code, 0, err)
            with open(os.path.join(report, "index.html"), encoding="utf-8") as f:
                page = f.read()
            self.assertIn('src="trend.png"', page, commit)
            self.assertIn("From " + self.box.db, page)
        with open(os.path.join(report, "trend.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_save_baseline_alone_still_writes_the_report(self):
        report = self.box.path("report")
        code, _, err = self.box.ci("--save-baseline", "nightly", *FIXED8,
                                   "--report", report)
        self.assertEqual(code, 0, err)
        self.assertTrue(os.path.exists(os.path.join(report, "index.html")))


class Nightly(SandboxTest):
    def test_save_then_compare_unpaired(self):
        # Unpaired, no looks: the cap's repetitions.
        code, out, err = self.box.ci("--save-baseline", "nightly", "--max-repetitions",
                                     REPS)
        self.assertEqual((code, out), (0, ""), err)
        self.assertIn("saved as baseline 'nightly'", err)
        code, out, err = self.box.ci("--baseline", "nightly", "--max-repetitions", REPS,
                                     "--inject-cost-ns", "450")
        self.assertEqual(code, 1, err)
        self.assertIn("unpaired comparison with baseline 'nightly'", out)
        self.assertIn("n=10 vs 10, unpaired", err)
        code, out, err = self.box.ci("--baseline", "history:1", "--max-repetitions", REPS)
        self.assertEqual(code, 0, err)
        self.assertIn("unpaired comparison with the last 1 runs", out)
        # No looks without pairs: the plan's looks are null in ci.json, and no
        # strategy has a stop.
        out_dir = self.box.path("out")
        code, _, err = self.box.ci("--baseline", "nightly", "--max-repetitions", REPS,
                                   "--out", out_dir, "--no-record")
        self.assertEqual(code, 0, err)
        with open(os.path.join(out_dir, "ci.json")) as f:
            document = json.load(f)
        self.assertEqual((document["context"]["ci"]["looks"],
                          document["context"]["ci"]["look_alpha"],
                          document["gate"]["sequential"]), (None, None, None))
        self.assertEqual(len(document["benchmarks"]), 2 * int(REPS))

    def test_adjusted_for_a_covariate_the_adjusted_pairs_decide(self):
        # +4 % under +-30 % noise that the receiver's run-queue wait explains entirely:
        # the raw pairs cannot see it, adjusted they do, and the adjusted row decides.
        os.environ.update(FAKE_RXBENCH_NOISE="0.3", FAKE_RXBENCH_SEED="7")
        self.addCleanup(os.environ.pop, "FAKE_RXBENCH_NOISE")
        self.addCleanup(os.environ.pop, "FAKE_RXBENCH_SEED")
        options = ["--against", "HEAD", "--repetitions", "12", "--strategies",
                   "combined-list", "--inject-cost-ns", "120", "--no-record"]
        code, out, err = self.box.ci(*options)
        self.assertEqual(code, 0, out + err)
        code, out, err = self.box.ci(*options, "--adjust-for", "run_queue_wait",
                                     "--out", self.box.path("out"))
        self.assertEqual(code, 1, out + err)
        self.assertIn("time tier, gated metrics adjusted for run_queue_wait", out)
        self.assertRegex(err, r"regression: receive-path CPU, adjusted of combined-list: "
                              r"1\.0[45]x slower")
        with open(os.path.join(self.box.path("out"), "ci.json")) as f:
            document = json.load(f)
        self.assertEqual(document["adjusted"]["covariates"], ["run_queue_wait"])
        self.assertGreater(document["adjusted"]["notes"][0]["variance_explained"], 0.99)

    def test_calibrate(self):
        # Looks at 10, 16 and 20 pairs; --calibrate runs all 20, its A/A pool.
        markdown = self.box.path("calibration.md")
        code, out, err = self.box.ci("--calibrate", "--repetitions", REPS,
                                     "--max-repetitions", "20", "--strategies", "iouring",
                                     "--markdown", markdown)
        self.assertEqual(code, 0, err)
        # The tables as printed, for docs to quote from the command's own output.
        with open(markdown) as f:
            quoted = f.read().split("## Calibration\n\n```\n", 1)[1]
        self.assertIn("time tier, covariates", quoted)
        self.assertIn("(raw)", quoted.split("<- the gate")[0].splitlines()[-1])
        self.assertIn(quoted.split("```")[0].strip(), out)
        self.assertIn("itself (A/A)", out)
        self.assertIn("resampling this run's A/A pairs", out)
        self.assertIn("time tier:", out)
        row = [line for line in out.splitlines() if line.startswith("iouring   ")
               and "receive-path CPU" in line][-1]
        # The fake's noise is its run-queue wait: adjusted, nothing is left of it.
        self.assertRegex(out, r"\niouring +\(raw\) +[\d.]+ % +0\.0 %.*\n"
                              r"iouring +run_queue_wait +0\.0 % +0\.0 %")
        # The fake's noise is within +-1 %: 20 A/A pairs, no false alarm (no median
        # reaches 1.02), +10 % and the 5 % threshold always caught, a fixed count would
        # need the least repetitions at which p < 0.01 is possible, and every simulated
        # gate, A/A or at +5 %, decides at its first look: 10 pairs.
        self.assertRegex(row, r"^iouring +receive-path CPU +20 +[\d.]+ % +5 % +2 % +0\.01 +"
                              r"0\.0 %( +[\d.]+ %){3} +100\.0 % +100\.0 % +\+[\d.]+ % +8"
                              r" +10\.0 10/10 +10\.0 10/10$")
        self.assertIn("time tier: each gate looks at 10, 16, 20 pairs, each look at alpha / 3",
                      out)


if __name__ == "__main__":
    unittest.main()
