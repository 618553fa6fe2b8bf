"""`rxbench history --changes` on a real SQLite history, recorded by store.record."""
import contextlib
import dataclasses
import io
import json
import os
import random
import tempfile
import unittest

from reports.history import cli, store
from reports.history.db import open_db
from reports.history.run_info import describe
from reports.results.load import load
from reports.results.sample import SAMPLE_COMPARE
from reports.usage import UsageError

KEY = "cpu_ns_per_packet_receive_path"
RUNS, STEP_AT = 40, 25   # baseline's receive-path CPU is 15 % higher from run 25 on


class HistoryChanges(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "h.db")
        results = load(SAMPLE_COMPARE)
        rng = random.Random(20)
        conn = open_db(cls.db)
        for run in range(RUNS):
            noise = 1 + 0.01 * rng.gauss(0, 1)
            iterations = [dataclasses.replace(it, metrics={
                **it.metrics, KEY: it.metrics[KEY] * noise
                * (1.15 if it.strategy == "baseline" and run >= STEP_AT else 1)})
                for it in results.iterations]
            store.record(conn, describe(results.context, commit=f"c{run:02}", source="ci"),
                         iterations)
            if run >= STEP_AT:
                # What `ci --against c24` records right after the build under test: the
                # older build, at the level before the step. Not a point of any series.
                before = [dataclasses.replace(it, metrics={**it.metrics, KEY: it.metrics[KEY]
                                                           * (1 + 0.01 * rng.gauss(0, 1))})
                          for it in results.iterations]
                store.record(conn, describe(results.context, commit="c24",
                                            source="ci-reference"), before)
        conn.close()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_cli(self, *argv):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(cli.main(["--changes", *argv, "--db", self.db]), 0)
        return out.getvalue()

    def test_the_step_is_listed_between_its_commits(self):
        lines = self.run_cli().splitlines()
        self.assertEqual(len(lines), 2, lines)   # header, baseline's step; others: none
        cells = lines[1].split()
        self.assertEqual(cells[:4], [KEY, "baseline", "vm", "custom"])
        self.assertEqual(cells[4:9], [str(STEP_AT + 1), "of", str(RUNS), "c24", "c25"])
        self.assertAlmostEqual(float(cells[9]), 15, delta=1.5)

    def test_json(self):
        [found] = json.loads(self.run_cli("--json", "--strategy", "baseline"))
        self.assertEqual((found["metric"], found["strategy"], found["index"], found["before"],
                          found["after"], found["points"]), (KEY, "baseline", STEP_AT, "c24",
                                                             "c25", RUNS))
        self.assertLess(found["low"], 0.15)
        self.assertGreater(found["high"], 0.15)
        self.assertLess(found["p_value"], 1e-6)

    def test_markdown(self):
        text = self.run_cli("--markdown")
        self.assertIn("| metric | strategy |", text)
        self.assertIn(f"| {KEY} | baseline | vm | custom | {STEP_AT + 1} of {RUNS} | c24 | c25 |",
                      text)
        self.assertIn("No change point in 3 series of syscalls_per_packet (120 points).",
                      self.run_cli("--markdown", "--metric", "syscalls_per_packet"))

    def test_none_found_says_what_was_searched(self):
        self.assertEqual(self.run_cli("--strategy", "null"),
                         f"no change point in 1 series of {KEY} ({RUNS} points)\n")
        # --last: the runs before the step are left out, so there is no step.
        self.assertIn("no change point", self.run_cli("--last", "15"))

    def test_markdown_needs_changes(self):
        with self.assertRaises(UsageError):
            cli.main(["--markdown", "--db", self.db])


if __name__ == "__main__":
    unittest.main()
