"""The history's tests run once per back end, from the same test files: SQLite files by
default, and with RXBENCH_TEST_DB=postgresql (the *_pg_test targets, in the heavy set)
each test gets a new database in one throwaway PostgreSQL cluster per test process."""
import atexit
import os
import shutil
import tempfile
import unittest

from reports.history import pg_cluster

NAME = os.environ.get("RXBENCH_TEST_DB", "sqlite")
POSTGRESQL = NAME == "postgresql"
_cluster = None


def cluster():
    """The process's cluster, started on first use, removed after the test module (or at
    exit, whichever comes first: removing is idempotent)."""
    global _cluster
    if _cluster is None:
        started = pg_cluster.Cluster()
        try:
            started.start()
        except BaseException:
            started.remove()
            raise
        unittest.addModuleCleanup(_remove, started)
        atexit.register(started.remove)
        _cluster = started
    # Each time: a test that patched os.environ may have taken it away since.
    os.environ["PGPASSFILE"] = _cluster.passfile
    return _cluster


def _remove(started):
    global _cluster
    _cluster = None
    started.remove()


class HistoryTest(unittest.TestCase):
    """A test against the back end under test."""

    def new_db(self):
        """A new, empty history database: a PostgreSQL URL or a SQLite path."""
        if POSTGRESQL:
            return cluster().new_database()
        tmp = tempfile.mkdtemp(prefix="rxbench-history-test-")
        self.addCleanup(shutil.rmtree, tmp, True)
        return os.path.join(tmp, "history.db")


def columns(conn):
    """{table: [column, ...]} of the history's tables, as the back end reports them."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute("SELECT m.name, c.name FROM sqlite_master m, "
                            "pragma_table_info(m.name) c WHERE m.type = 'table' "
                            "ORDER BY m.name, c.cid").fetchall()
    else:
        rows = conn.execute("SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() "
                            "ORDER BY table_name, ordinal_position").fetchall()
    found = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return found


def index_names(conn):
    """The names of the indexes created by the migrations (not those of keys)."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                            "AND sql IS NOT NULL").fetchall()
    else:
        rows = conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = "
                            "current_schema() AND indexname NOT LIKE '%_pkey' "
                            "AND indexname NOT LIKE '%_key'").fetchall()
    return {row[0] for row in rows}
