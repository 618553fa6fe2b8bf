"""Figure 6 from the history database: `report --db`, and the reports `compare --report`
writes after `--record`. Runs are recorded with reports.history as compare and ci do."""
import json
import os
import subprocess
import tempfile
import unittest
from unittest import mock

from PIL import Image

from reports.analyze import cli as analyze
from reports.history import store
from reports.history.db import open_db
from reports.history.run_info import describe
from reports.html import capture, cli, history_trend
from reports.results.load import from_dict

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")
RESULTS = os.path.join(TESTDATA, "compare-high-rate.json")
PATH_KEY = "cpu_ns_per_packet_receive_path"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def recorded_document(cpu_factor=1.0, **context):
    """The recorded results file, receive-path CPU scaled by cpu_factor."""
    with open(RESULTS, encoding="utf-8") as f:
        doc = json.load(f)
    for b in doc["benchmarks"]:
        if isinstance(b.get(PATH_KEY), (int, float)):
            b[PATH_KEY] *= cpu_factor
    doc["context"].update(context)
    return doc


def record(db, commit, cpu_factor=1.0, **context):
    results = from_dict(recorded_document(cpu_factor, **context))
    conn = open_db(db)
    store.record(conn, describe(results.context, commit=commit), results.iterations)
    conn.close()


class ReportFromHistoryTest(unittest.TestCase):
    def setUp(self):
        self.tmp = self.enterContext(tempfile.TemporaryDirectory(prefix="trend_test_"))
        self.db = os.path.join(self.tmp, "history.db")
        self.out = os.path.join(self.tmp, "report")
        # No default history database: only what a test names is read.
        self.enterContext(mock.patch.dict(os.environ, {
            "XDG_DATA_HOME": os.path.join(self.tmp, "xdg")}))

    def report(self, *argv):
        code, out, err = capture.run(cli.main, [RESULTS, "--out", self.out, *argv])
        self.assertEqual(code, 0, err)
        with open(os.path.join(self.out, "index.html"), encoding="utf-8") as f:
            return f.read()

    def assert_valid_png(self, path):
        with open(path, "rb") as f:
            self.assertEqual(f.read(8), PNG_SIGNATURE, path)
        with Image.open(path) as image:
            image.verify()

    def test_two_commits_draw_the_trend(self):
        record(self.db, "c1")
        record(self.db, "c2", cpu_factor=0.8)
        record(self.db, "c2", cpu_factor=0.9)   # a second run of one commit: one point
        page = self.report("--db", self.db)
        self.assertIn('src="trend.png"', page)
        self.assertIn("2 commits", page)
        self.assert_valid_png(os.path.join(self.out, "trend.png"))
        with Image.open(os.path.join(self.out, "trend.png")) as image:
            self.assertGreater(image.size[1], 400)   # two panels: CPU and loss

    def test_records_are_this_workload_on_this_host(self):
        record(self.db, "c1")
        record(self.db, "c2", cpu_factor=0.5)
        record(self.db, "elsewhere", host_name="another-host")
        record(self.db, "bigger-buffer", rcvbuf_bytes=16777216)
        with open(RESULTS, encoding="utf-8") as f:
            context = json.load(f)["context"]
        data = history_trend.read(self.db, context, ["baseline", "iouring"],
                                  history_trend.gated_metrics())
        self.assertEqual({r["commit"] for r in data.records}, {"c1", "c2"})
        self.assertEqual({r["strategy"] for r in data.records}, {"baseline", "iouring"})
        self.assertEqual({r["metric"] for r in data.records},
                         {PATH_KEY, history_trend.LOSS_PERCENT})
        cpu = sorted(r["value"] for r in data.records if r["commit"] == "c2"
                     and r["strategy"] == "baseline" and r["metric"] == PATH_KEY)
        original = sorted(b[PATH_KEY] for b in recorded_document()["benchmarks"]
                          if b.get("strategy") == "baseline" and b.get("ok"))
        self.assertEqual(cpu, [0.5 * v for v in original])   # one record per repetition
        # iouring lost packets at 200 kpps in this recording: the loss panel shows it.
        self.assertTrue(any(r["value"] > 0 for r in data.records
                            if r["strategy"] == "iouring"
                            and r["metric"] == history_trend.LOSS_PERCENT))

    def test_commits_are_in_the_order_they_were_made_not_recorded(self):
        # As `ci --against OLD` records: the build under test first, the older reference
        # after it. The axis must still put the older commit left.
        repo = os.path.join(self.tmp, "repo")
        os.makedirs(repo)
        shas = []
        for day in ("2026-01-01T10:00:00Z", "2026-02-01T10:00:00Z"):
            env = {**os.environ, "GIT_COMMITTER_DATE": day, "GIT_AUTHOR_DATE": day,
                   "GIT_CONFIG_NOSYSTEM": "1"}
            subprocess.run(["git", "-C", repo, "-c", "init.defaultBranch=main", "init", "-q"],
                           check=True, env=env)
            subprocess.run(["git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@t",
                            "commit", "-q", "--allow-empty", "-m", day], check=True, env=env)
            shas.append(subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"],
                                       check=True, env=env, capture_output=True,
                                       text=True).stdout.strip())
        older, newer = shas
        record(self.db, newer + "-dirty")
        record(self.db, older)
        record(self.db, "not-a-commit")   # unknown to git: placed when it was recorded
        with open(RESULTS, encoding="utf-8") as f:
            context = json.load(f)["context"]
        with mock.patch.dict(os.environ, {"RXBENCH_ROOT": repo}):
            data = history_trend.read(self.db, context, ["baseline"], [PATH_KEY])
        ordered = sorted(data.records, key=lambda r: r["time"])
        self.assertEqual(list(dict.fromkeys(r["commit"] for r in ordered)),
                         [older, newer + "-dirty", "not-a-commit"])

    def test_no_rows_says_so_and_draws_nothing(self):
        record(self.db, "c1", host_name="another-host")   # a database, but not of this host
        page = self.report("--db", self.db)
        self.assertIn("has no recorded repetition", page)
        self.assertNotIn("trend.png", page)
        self.assertFalse(os.path.exists(os.path.join(self.out, "trend.png")))

    def test_no_database_says_so(self):
        page = self.report()
        self.assertIn("No history database, so no trend", page)
        self.assertNotIn("trend.png", page)

    def test_the_default_database_is_read_when_it_exists(self):
        default = os.path.join(self.tmp, "xdg", "rxbench", "history.db")
        record(default, "c1")
        self.assertIn('src="trend.png"', self.report())
        self.assertNotIn("trend.png", self.report("--no-history"))

    def test_a_missing_database_named_on_the_command_line_is_a_usage_error(self):
        code, _, err = capture.run(cli.main, [RESULTS, "--db", self.db, "--out", self.out])
        self.assertEqual(code, 2)
        self.assertIn("no such history database", err)


class CompareReportTest(unittest.TestCase):
    """`compare --record --db DB --report DIR`: analyze-compare records, then draws the
    trend from the same database, so the report ends with this run."""

    def test_compare_report_draws_the_trend_it_recorded(self):
        tmp = self.enterContext(tempfile.TemporaryDirectory(prefix="trend_compare_"))
        self.enterContext(mock.patch.dict(os.environ, {
            "XDG_DATA_HOME": os.path.join(tmp, "xdg")}))
        db = os.path.join(tmp, "history.db")
        for commit in ("c1", "c2"):
            doc = recorded_document()
            report = os.path.join(tmp, f"report-{commit}")
            doc["context"]["invocation"] = {
                "command": "compare", "reference": "baseline", "record": True, "db": db,
                "commit": commit, "report": report,
                "out_file": os.path.join(tmp, commit, "compare.json")}
            handoff = os.path.join(tmp, "handoff.json")
            with open(handoff, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            code, _, err = capture.run(analyze.main, [handoff])
            self.assertEqual(code, 0, err)
            with open(os.path.join(report, "index.html"), encoding="utf-8") as f:
                page = f.read()
            self.assertIn('src="trend.png"', page, commit)
        self.assertIn("From " + db + ": 2 commits", page)


if __name__ == "__main__":
    unittest.main()
