"""analyze-compare end to end on a hand-off file: table, section, Markdown, history,
report hand-over."""
import contextlib
import io
import json
import os
import re
import shutil
import tempfile
import types
import unittest
from unittest import mock

from reports.analyze import cli
from reports.history import cli as history_cli
from reports.history.db import open_db
from reports.results import synthetic
from reports.results.sample import SAMPLE_COMPARE
from reports.usage import UsageError


class AnalyzeCompare(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def handoff(self, data, **invocation):
        data["context"]["invocation"] = {"command": "compare", "reference": "baseline",
                                         **invocation}
        path = os.path.join(self.dir, "handoff.json")
        with open(path, "w") as f:
            json.dump(data, f)
        return path

    def run_cli(self, path, html=None):
        out, err = io.StringIO(), io.StringIO()
        with mock.patch("reports.optional.import_optional", return_value=html), \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main([path])
        return code, out.getvalue(), err.getvalue()

    def test_everything_asked_for(self):
        out_file = os.path.join(self.dir, "out", "compare.json")
        markdown = os.path.join(self.dir, "mr.md")
        db = os.path.join(self.dir, "h.db")
        path = self.handoff(synthetic.two_strategies(1.2), out_file=out_file,
                            markdown=markdown, record=True, db=db, commit="c1",
                            report=os.path.join(self.dir, "report"))
        code, out, err = self.run_cli(path)
        self.assertEqual(code, 0)
        self.assertIn("slow      receive-path CPU    1.20x slower", out)
        with open(out_file) as f:
            written = json.load(f)
        self.assertEqual(len(written["benchmarks"]), 24)   # compare's data kept whole
        rows = written["comparison"]["rows"]
        self.assertEqual((rows[0]["strategy"], rows[0]["verdict"]), ("slow", "slower"))
        self.assertEqual(rows[0]["p_value"], 2 / 2 ** 12)
        with open(markdown) as f:
            self.assertIn("| slow | receive-path CPU | **1.20x slower** |", f.read())
        conn = open_db(db)
        self.assertEqual(conn.execute("SELECT commit_id, source FROM runs").fetchall(),
                         [("c1", "compare")])
        self.assertIn("recorded as run 1", err)
        self.assertIn("reports.html is not installed", err)
        self.assertEqual(sorted(os.listdir(os.path.join(self.dir, "out"))), ["compare.json"])

    def test_unrecordable_run_is_kept_for_import(self):
        """The comparison and its files are written; the run waits for history --import."""
        blocker = os.path.join(self.dir, "not-a-directory")
        open(blocker, "w").close()
        out_file = os.path.join(self.dir, "compare.json")
        path = self.handoff(synthetic.two_strategies(1.2), out_file=out_file, record=True,
                            db=os.path.join(blocker, "h.db"), commit="c1")
        code, out, err = self.run_cli(path)
        self.assertEqual(code, 2, err)
        self.assertIn("1.20x slower", out)
        self.assertTrue(os.path.exists(out_file))
        self.assertIn("recording in the history failed", err)
        kept = re.search(r"history --import (\S+) --db", err).group(1)
        self.addCleanup(shutil.rmtree, os.path.dirname(kept))
        db = os.path.join(self.dir, "h.db")
        with contextlib.redirect_stdout(io.StringIO()):
            self.assertEqual(history_cli.main(["--import", kept, "--db", db]), 0)
        conn = open_db(db)
        self.assertEqual(conn.execute("SELECT commit_id, source FROM runs").fetchall(),
                         [("c1", "compare")])
        conn.close()

    def test_report_is_handed_to_reports_html(self):
        calls = []
        html = types.SimpleNamespace(render_of_run=lambda *args: calls.append(args))
        with open(SAMPLE_COMPARE) as f:
            path = self.handoff(json.load(f), report="/r", record=False)
        code, _, err = self.run_cli(path, html=html)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(calls, [(path, "/r", None, None)])

    def test_nothing_extra_without_invocation(self):
        with open(SAMPLE_COMPARE) as f:
            data = json.load(f)
        path = os.path.join(self.dir, "plain.json")
        with open(path, "w") as f:
            json.dump(data, f)
        code, out, err = self.run_cli(path)
        self.assertEqual((code, err), (0, ""))
        self.assertIn("too few repetitions: 3, need 6", out)
        self.assertEqual(os.listdir(self.dir), ["plain.json"])

    def test_busy_poll_trade_off_where_s_and_s_wait_x_ran(self):
        """Printed after the comparison, in the Markdown and as compare.json's "busy_poll"
        section; iouring+wait=napi against iouring although the reference is baseline."""
        data = synthetic.two_strategies(1.0, reference="iouring",
                                        candidate="iouring+wait=napi",
                                        latency_p50_ns=990000.0, latency_p99_ns=2990000.0)
        data["benchmarks"] += synthetic.two_strategies(1.2)["benchmarks"]
        out_file = os.path.join(self.dir, "compare.json")
        markdown = os.path.join(self.dir, "mr.md")
        path = self.handoff(data, out_file=out_file, markdown=markdown)
        code, out, err = self.run_cli(path)
        self.assertEqual((code, err), (0, ""))
        self.assertLess(out.index("slower"), out.index("iouring+wait=napi vs iouring, 12 pairs:"))
        self.assertRegex(out, r"p50 latency gained +\+10\.0 µs \[\+10\.0, \+10\.0\] +"
                              r"latency gained")
        with open(out_file) as f:
            [pair] = json.load(f)["busy_poll"]["pairs"]
        self.assertEqual((pair["sleeping"], pair["waiting"], pair["wait"], pair["n"]),
                         ("iouring", "iouring+wait=napi", "napi", 12))
        self.assertEqual(pair["latency_gained_p99_us"]["median"], 10.0)
        with open(markdown) as f:
            self.assertIn("| iouring+wait=napi vs iouring, 12 pairs | extra CPU, receive path "
                          "| +0 ns/packet [+0, +0] |", f.read())

    def test_no_busy_poll_section_without_a_wait_pair(self):
        out_file = os.path.join(self.dir, "compare.json")
        code, out, _ = self.run_cli(self.handoff(synthetic.two_strategies(1.2),
                                                 out_file=out_file))
        self.assertNotIn("busy-poll trade-off", out)
        with open(out_file) as f:
            self.assertNotIn("busy_poll", json.load(f))

    def test_missing_file(self):
        with self.assertRaisesRegex(UsageError, "cannot read"):
            cli.main([os.path.join(self.dir, "absent.json")])


if __name__ == "__main__":
    unittest.main()
