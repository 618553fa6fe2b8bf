"""A PostgreSQL password never leaks: refused inside --db (it would be in
/proc/PID/cmdline), and absent from error messages, output and what is recorded."""
import contextlib
import io
import os
import tempfile
import unittest
from unittest import mock

from reports import __main__ as dispatch
from reports.history import backends, pg_cluster
from reports.history.backends import HistoryTest
from reports.history.db import HistoryError, open_db
from reports.results.sample import SAMPLE_COMPARE

SECRET = "s3cret-Pa55"


def run(*argv):
    """`rxbench ARGV` in this process: (exit code, stdout + stderr)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = dispatch.main(list(argv))
    return code, out.getvalue()


class PasswordInDb(unittest.TestCase):
    def test_refused_with_where_to_put_it(self):
        for url in (f"postgresql://u:{SECRET}@127.0.0.1:1/h",
                    f"postgres://u:{SECRET}@127.0.0.1:1/h",
                    f"postgresql://u@127.0.0.1:1/h?password={SECRET}"):
            out = os.path.join(tempfile.gettempdir(), "never-written")
            for argv in (["history", "--db", url],
                         ["report", SAMPLE_COMPARE, "--db", url, "--out", out],
                         ["ci", "--calibrate", "--db", url]):
                with self.subTest(url=url, command=argv[0]):
                    code, said = run(*argv)
                    self.assertEqual(code, 2, said)
                    self.assertIn("PGPASSFILE", said)
                    self.assertIn("PGPASSWORD", said)
                    self.assertIn("service", said)
                    self.assertNotIn(SECRET, said)


@unittest.skipUnless(backends.POSTGRESQL, "needs a PostgreSQL server")
class ErrorMessages(HistoryTest):
    def assert_fails_without_secret(self, url, reason):
        with mock.patch.dict(os.environ, {"PGPASSWORD": SECRET}), \
                mock.patch.dict(os.environ, {"PGPASSFILE": os.devnull}):
            with self.assertRaises(HistoryError) as caught:
                open_db(url)
            code, said = run("history", "--db", url)
        message = str(caught.exception)
        self.assertIn(reason, message)
        self.assertNotIn(SECRET, message)
        self.assertEqual(code, 2)
        self.assertIn(reason, said)
        self.assertNotIn(SECRET, said)

    def test_wrong_password(self):
        self.assert_fails_without_secret(self.new_db(), "password authentication failed")

    def test_unreachable_server(self):
        url = f"postgresql://{pg_cluster.SUPERUSER}@127.0.0.1:{pg_cluster.free_port()}/h"
        self.assert_fails_without_secret(url, "Connection refused")

    def test_nothing_recorded_or_printed_holds_the_password(self):
        url = self.new_db()
        password = backends.cluster().password
        outputs = [run("history", "--import", SAMPLE_COMPARE, "--db", url),
                   run("history", "--db", url, "--strategy", "baseline"),
                   run("history", "--db", url, "--json")]
        for code, said in outputs:
            self.assertEqual(code, 0, said)
            self.assertNotIn(password, said)
        self.assertIn("recorded", outputs[0][1])
        conn = open_db(url)
        for table in ("runs", "repetitions", "metrics", "baselines", "schema_version"):
            for row in conn.execute(f"SELECT * FROM {table}"):
                self.assertNotIn(password, repr(row))
        conn.close()


if __name__ == "__main__":
    unittest.main()
