"""`rxbench history` on a database with two recorded runs."""
import contextlib
import io
import json
import unittest

from reports.history import cli, store
from reports.history.backends import HistoryTest
from reports.history.db import open_db
from reports.history.run_info import describe
from reports.results.load import load
from reports.results.sample import SAMPLE_COMPARE
from reports.usage import UsageError


class HistoryCli(HistoryTest):
    def setUp(self):
        self.db = self.new_db()
        results = load(SAMPLE_COMPARE)
        conn = open_db(self.db)
        for commit in ("first", "second"):
            store.record(conn, describe(results.context, commit=commit), results.iterations)
        conn.close()

    def run_cli(self, *argv):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(cli.main(list(argv) + ["--db", self.db]), 0)
        return out.getvalue()

    def test_table(self):
        lines = self.run_cli("--strategy", "baseline").splitlines()
        self.assertEqual(len(lines), 4)   # title, header, two runs
        self.assertEqual(lines[2].split()[2:8],
                         ["first", "vm", "custom", "baseline", "3", "10982.9"])
        self.assertTrue(lines[3].rstrip().endswith("+0.0 %"))

    def test_json_last_and_host(self):
        rows = json.loads(self.run_cli("--json", "--last", "1", "--metric", "syscalls_per_packet"))
        self.assertEqual([r["commit"] for r in rows], ["second"] * 3)
        self.assertEqual(rows[0]["metric"], "syscalls_per_packet")
        self.assertIn("no recorded runs", self.run_cli("--host", "elsewhere"))

    def test_usage(self):
        with self.assertRaises(UsageError):
            cli.main(["--last", "0", "--db", self.db])
        with self.assertRaises(UsageError):
            cli.main(["--bogus"])


if __name__ == "__main__":
    unittest.main()
