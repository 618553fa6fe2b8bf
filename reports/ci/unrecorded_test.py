"""A history database that is unreachable, or goes away during the gate, loses no
measurement: ci says recording failed, exits 2 (1 if it found a regression), keeps the
runs, and `history --import` records them later as they would have been. On the back end
under test (reports/history/backends.py); "goes away" stops the PostgreSQL server."""
import contextlib
import glob
import io
import os
import re
import shutil
import unittest
from unittest import mock

from reports.ci import cli as ci_cli
from reports.ci.fake_setup import SandboxTest
from reports.history import backends, cli as history_cli, pg_cluster, store
from reports.history.db import open_db

REPS = "12"   # the first look of the default plan


class Unrecorded(SandboxTest, backends.HistoryTest):
    def recorded(self, db):
        conn = open_db(db)
        try:
            return sorted(conn.execute(
                "SELECT r.commit_id, r.source, count(*) FROM runs r JOIN repetitions p "
                "ON p.run_id = r.id GROUP BY r.id, r.commit_id, r.source").fetchall())
        finally:
            conn.close()

    def import_(self, files, db):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(history_cli.main(["--import", *files, "--db", db]), 0)
        self.assertEqual(sum(line.startswith("recorded ") for line in
                             out.getvalue().splitlines()), len(files))

    def unreachable(self):
        if backends.POSTGRESQL:
            return (f"postgresql://{pg_cluster.SUPERUSER}@127.0.0.1:"
                    f"{pg_cluster.free_port()}/gone")
        blocker = self.box.path("not-a-directory")
        open(blocker, "w").close()
        return os.path.join(blocker, "history.db")

    def test_unreachable_from_the_start(self):
        self.box.db = self.unreachable()
        code, out, err = self.box.ci("--against", "HEAD", "--repetitions", REPS,
                                     "--commit", "c1")
        self.assertEqual(code, 2, err)
        self.assertIn("rxbench ci: PASS", out)   # the verdict is given all the same
        self.assertIn("measuring anyway", err)
        self.assertIn("recording in the history failed", err)
        command = re.search(r"`rxbench history --import ([^`]*)`", err).group(1).split()
        files = command[:command.index("--db")]
        self.addCleanup(shutil.rmtree, os.path.dirname(files[0]))
        self.assertEqual([os.path.basename(f) for f in files],
                         ["unrecorded-candidate.json", "unrecorded-reference.json"])
        db = self.new_db()
        self.import_(files, db)
        self.assertEqual([(commit, source, n) for commit, source, n in self.recorded(db)
                          if commit == "c1"], [("c1", "ci", 2 * int(REPS))])
        self.assertEqual(sorted(source for _, source, _ in self.recorded(db)),
                         ["ci", "ci-reference"])
        # Imported again (a retried CI step): nothing is recorded twice.
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(history_cli.main(["--import", *files, "--db", db]), 0)
        self.assertEqual([line.split(":")[0] for line in out.getvalue().splitlines()],
                         ["already recorded"] * 2)
        self.assertEqual(sorted(source for _, source, _ in self.recorded(db)),
                         ["ci", "ci-reference"])

    @unittest.skipUnless(backends.POSTGRESQL, "stops a PostgreSQL server")
    def test_server_stopped_during_the_gate(self):
        cluster = backends.cluster()
        self.box.db = cluster.new_database()
        record = ci_cli._record

        def stop_then_record(*args):
            cluster.stop()   # for real: the server process exits
            return record(*args)

        out_dir = self.box.path("out")
        try:
            with mock.patch.object(ci_cli, "_record", stop_then_record):
                code, out, err = self.box.ci("--against", "HEAD", "--repetitions", REPS,
                                             "--commit", "c1", "--out", out_dir,
                                             "--inject-cost-ns", "450")
        finally:
            cluster.start()
        self.assertEqual(code, 1, err)   # the regression it found still fails the job
        self.assertIn("recording in the history failed", err)
        self.assertNotIn(cluster.password, out + err)
        files = sorted(glob.glob(os.path.join(out_dir, "unrecorded-*.json")))
        self.assertEqual(len(files), 2)
        for path in files + [os.path.join(out_dir, "ci.json")]:
            with open(path, encoding="utf-8") as f:
                self.assertNotIn(cluster.password, f.read())
        self.assertEqual(self.recorded(self.box.db), [])
        self.import_(files, self.box.db)
        self.assertEqual(sorted(source for _, source, _ in self.recorded(self.box.db)),
                         ["ci", "ci-reference"])

    @unittest.skipUnless(backends.POSTGRESQL, "stops a PostgreSQL server")
    def test_server_stopped_between_the_two_builds_records(self):
        """The build under test was recorded, the reference was not: only the reference
        is kept, so that importing it duplicates nothing."""
        cluster = backends.cluster()
        self.box.db = cluster.new_database()
        record = store.record

        def record_then_stop(*args):
            run_id = record(*args)
            cluster.stop()
            return run_id

        out_dir = self.box.path("out")
        try:
            with mock.patch.object(store, "record", record_then_stop):
                code, _, err = self.box.ci("--against", "HEAD", "--repetitions", REPS,
                                           "--commit", "c1", "--out", out_dir)
        finally:
            cluster.start()
        self.assertEqual(code, 2, err)
        files = glob.glob(os.path.join(out_dir, "unrecorded-*.json"))
        self.assertEqual([os.path.basename(f) for f in files], ["unrecorded-reference.json"])
        self.assertEqual([source for _, source, _ in self.recorded(self.box.db)], ["ci"])
        self.import_(files, self.box.db)
        self.assertEqual(sorted(source for _, source, _ in self.recorded(self.box.db)),
                         ["ci", "ci-reference"])


if __name__ == "__main__":
    unittest.main()
