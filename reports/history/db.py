"""Opens the history database ready for several writers at once, and brings its schema
up to date.

Two CI jobs may write at the same time: WAL lets readers and one writer proceed together,
the busy timeout makes the second writer wait instead of failing, and every write is one
BEGIN IMMEDIATE transaction: it takes the write lock up front, because a transaction that
starts as a reader and then writes can fail with "database is locked" without waiting.
"""
import contextlib
import os
import sqlite3
import time

from reports.history import sql
from reports.usage import UsageError

BUSY_TIMEOUT_S = 60


def open_db(path, migrations=sql.MIGRATIONS):
    """A connection to the database at `path` (created if missing), migrated."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        _switch_to_wal(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, migrations)
    except (OSError, sqlite3.Error) as e:
        raise UsageError(f"cannot open history database {path}: {e}") from e
    return conn


def _switch_to_wal(conn):
    """Switching to WAL needs an exclusive lock, and SQLite answers "database is locked"
    at once, without its busy handler, when two processes create the database together
    (the concurrency test caught this). So retry here, within the same time budget."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


@contextlib.contextmanager
def transaction(conn):
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_version(conn):
    row = conn.execute(sql.GET_VERSION).fetchone()
    return row[0] if row else 0


def migrate(conn, migrations=sql.MIGRATIONS):
    """Applies the migrations newer than the database, all in one transaction (SQLite's
    DDL is transactional: a failed migration leaves the old schema intact). Two processes
    opening a new database at once serialise on the write lock; the second finds it done."""
    latest = migrations[-1][0] if migrations else 0
    with transaction(conn):
        conn.execute(sql.SCHEMA_VERSION_TABLE)
        current = schema_version(conn)
        if current > latest:
            raise UsageError(f"history database schema version {current} is newer than "
                             f"this rxbench knows ({latest}); update rxbench")
        for version, _, statements in migrations:
            if version > current:
                for statement in statements:
                    conn.execute(statement)
        if current == 0:
            conn.execute(sql.INSERT_VERSION, {"version": latest})
        elif latest > current:
            conn.execute(sql.SET_VERSION, {"version": latest})
