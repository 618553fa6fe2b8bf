"""Opening the history: schema version, WAL (SQLite), and migration of an old database
from every earlier schema version, on the back end under test (backends.py)."""
import os
import tempfile
import unittest

from reports.history import backends, sql, store
from reports.history.backends import HistoryTest, columns, index_names
from reports.history.db import HistoryError, open_db, schema_version
from reports.history.run_info import describe
from reports.results.load import load
from reports.results.sample import SAMPLE_COMPARE
from reports.usage import UsageError

LATEST = sql.MIGRATIONS[-1][0]
V1_RUN = ("INSERT INTO runs (recorded_at, commit_id, host, kernel, cpu_model, gstreamer, "
          "scenario, options) VALUES (:recorded_at, :commit, 'h', 'k', 'c', 'g', 'default', "
          "'{}')")


class Database(HistoryTest):
    def setUp(self):
        self.path = self.new_db()

    def test_new_database_is_latest(self):
        conn = open_db(self.path)
        # A URL must reach the server, never become a local file named like one.
        self.assertEqual(conn.dialect.name, backends.NAME)
        self.assertEqual(schema_version(conn), LATEST)
        if conn.dialect is sql.SQLITE:
            self.assertEqual(conn.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        self.assertEqual(conn.execute("SELECT count(*) FROM schema_version").fetchone()[0], 1)
        conn.close()
        conn = open_db(self.path)   # reopening changes nothing
        self.assertEqual(conn.execute("SELECT version FROM schema_version").fetchall(),
                         [(LATEST,)])
        conn.close()

    def test_every_earlier_version_migrates_to_the_latest(self):
        latest = open_db(self.new_db())
        want_columns, want_indexes = columns(latest), index_names(latest)
        latest.close()
        for version in range(1, LATEST):
            with self.subTest(version=version):
                path = self.new_db()
                old = open_db(path, migrations=sql.MIGRATIONS[:version])
                self.assertEqual(schema_version(old), version)
                # A run as version 1 stored it (the columns every version has).
                old.execute(V1_RUN, {"recorded_at": "2025-01-01T00:00:00.000000Z",
                                     "commit": f"v{version}"})
                old.close()
                conn = open_db(path)
                self.assertEqual(schema_version(conn), LATEST)
                self.assertEqual(columns(conn), want_columns)
                self.assertEqual(index_names(conn), want_indexes)
                self.assertEqual(conn.execute("SELECT commit_id, source FROM runs").fetchall(),
                                 [(f"v{version}", "compare")])
                # And the migrated database takes new runs.
                results = load(SAMPLE_COMPARE)
                store.record(conn, describe(results.context, source="ci"), results.iterations)
                self.assertEqual(conn.execute("SELECT count(*) FROM runs").fetchone()[0], 2)
                conn.close()

    def test_migration_3_drops_real_time_of_schema_0_rows(self):
        """Rows recorded before results schema 1 stored real_time = p50 latency: a trend
        of real_time must not mix that with wall time per packet."""
        old = open_db(self.path, migrations=sql.MIGRATIONS[:2])
        results = load(SAMPLE_COMPARE)
        run_id = store.record(old, describe(results.context), results.iterations)
        # As the loader before schema 1 stored them: real_time among the metrics.
        repetition = old.execute("SELECT id FROM repetitions WHERE run_id = :run_id LIMIT 1",
                                 {"run_id": run_id}).fetchone()[0]
        old.execute("INSERT INTO metrics (repetition_id, key, value) VALUES (:r, :k, :v)",
                    {"r": repetition, "k": "real_time", "v": 68000.0})
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
        conn = open_db(self.path)
        conn.execute("UPDATE schema_version SET version = 99")
        conn.close()
        with self.assertRaisesRegex(UsageError, "schema version 99 is newer"):
            open_db(self.path)

    @unittest.skipIf(backends.POSTGRESQL, "a SQLite path")
    def test_unopenable_path_is_a_usage_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            blocker = os.path.join(tmp, "file")
            open(blocker, "w").close()
            with self.assertRaisesRegex(HistoryError, "cannot open history database"):
                open_db(os.path.join(blocker, "history.db"))


if __name__ == "__main__":
    unittest.main()
