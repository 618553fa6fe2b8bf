"""Opening the history: WAL, schema version, and migration of an old database."""
import os
import sqlite3
import tempfile
import unittest

from reports.history import sql, store
from reports.history.db import open_db, schema_version
from reports.history.run_info import describe
from reports.results.load import load
from reports.results.sample import SAMPLE_COMPARE
from reports.usage import UsageError

LATEST = sql.MIGRATIONS[-1][0]


class Database(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "history.db")

    def tearDown(self):
        self.tmp.cleanup()

    def test_new_database_is_latest_and_wal(self):
        conn = open_db(self.path)
        self.assertEqual(schema_version(conn), LATEST)
        self.assertEqual(conn.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        self.assertEqual(conn.execute("SELECT count(*) FROM schema_version").fetchone()[0], 1)
        conn.close()
        conn = open_db(self.path)   # reopening changes nothing
        self.assertEqual(conn.execute("SELECT version FROM schema_version").fetchall(),
                         [(LATEST,)])

    def test_migration_from_version_1_keeps_the_data(self):
        old = open_db(self.path, migrations=sql.MIGRATIONS[:1])
        self.assertEqual(schema_version(old), 1)
        # A run as version 1 stored it (no `source` column yet).
        old.execute("INSERT INTO runs (recorded_at, commit_id, host, kernel, cpu_model, "
                    "gstreamer, scenario, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    ("2025-01-01T00:00:00.000000Z", "v1", "h", "k", "c", "g", "default", "{}"))
        old.close()

        conn = open_db(self.path)
        self.assertEqual(schema_version(conn), LATEST)
        self.assertEqual(conn.execute("SELECT commit_id, source FROM runs").fetchall(),
                         [("v1", "compare")])
        indexes = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        self.assertIn("runs_by_host_scenario", indexes)
        # And the migrated database takes new runs.
        results = load(SAMPLE_COMPARE)
        store.record(conn, describe(results.context, source="ci"), results.iterations)
        self.assertEqual(conn.execute("SELECT count(*) FROM runs").fetchone()[0], 2)

    def test_migration_3_drops_real_time_of_schema_0_rows(self):
        """Rows recorded before results schema 1 stored real_time = p50 latency: a trend
        of real_time must not mix that with wall time per packet."""
        old = open_db(self.path, migrations=sql.MIGRATIONS[:2])
        results = load(SAMPLE_COMPARE)
        run_id = store.record(old, describe(results.context), results.iterations)
        # As the loader before schema 1 stored them: real_time among the metrics.
        repetition = old.execute("SELECT id FROM repetitions WHERE run_id = ? LIMIT 1",
                                 (run_id,)).fetchone()[0]
        old.execute("INSERT INTO metrics (repetition_id, key, value) VALUES (?, ?, ?)",
                    (repetition, "real_time", 68000.0))
        old.close()

        conn = open_db(self.path)
        self.assertEqual(conn.execute(
            "SELECT count(*) FROM metrics WHERE key = 'real_time'").fetchone()[0], 0)
        self.assertGreater(conn.execute(
            "SELECT count(*) FROM metrics WHERE key = 'latency_p50_ns'").fetchone()[0], 0)
        back = store.iterations_of(conn, [run_id])[0]
        self.assertIsNone(back.value("real_time"))
        self.assertEqual(back.value("latency_p50_ns"), back.raw["latency_p50_ns"])
        conn.close()

    def test_newer_database_is_refused(self):
        open_db(self.path).close()
        raw = sqlite3.connect(self.path)
        raw.execute("UPDATE schema_version SET version = 99")
        raw.commit()
        raw.close()
        with self.assertRaisesRegex(UsageError, "schema version 99 is newer"):
            open_db(self.path)

    def test_unopenable_path_is_a_usage_error(self):
        blocker = os.path.join(self.tmp.name, "file")
        open(blocker, "w").close()
        with self.assertRaisesRegex(UsageError, "cannot open history database"):
            open_db(os.path.join(blocker, "history.db"))


if __name__ == "__main__":
    unittest.main()
