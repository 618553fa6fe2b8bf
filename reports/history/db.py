"""Opens the history database -- a SQLite file (the default) or a PostgreSQL server
(`--db postgresql://...`) -- ready for several writers at once, and brings its schema up
to date. Both back ends take the same statements from sql.py, translated for their
driver by `Connection`.

Two CI jobs may write at the same time. SQLite: WAL lets readers and one writer proceed
together, the busy timeout makes the second writer wait instead of failing, and every
write is one BEGIN IMMEDIATE transaction: it takes the write lock up front, because a
transaction that starts as a reader and then writes can fail with "database is locked"
without waiting. PostgreSQL: rows lock themselves; only migrations take a lock.

A PostgreSQL password never goes on the command line (/proc/PID/cmdline shows it to every
user), nor into a message: libpq reads it from PGPASSFILE (~/.pgpass), PGPASSWORD or a
service file.
"""
import contextlib
import os
import sqlite3
import time
import urllib.parse

from reports.history import sql
from reports.usage import UsageError

BUSY_TIMEOUT_S = 60
CONNECT_TIMEOUT_S = 10
SCHEMES = ("postgresql://", "postgres://")


class HistoryError(UsageError):
    """The history database cannot be opened or written (exit 2 when not handled)."""


def is_postgresql(target):
    return target.startswith(SCHEMES)


def check_target(target):
    """Refuses a password inside a PostgreSQL URL before anything is run."""
    if not is_postgresql(target):
        return
    parts = urllib.parse.urlsplit(target)
    query = urllib.parse.parse_qs(parts.query)
    if parts.password is not None or "password" in query:
        raise UsageError(
            f"--db {shown(target)}: a password in --db would be visible to every user in "
            "/proc/PID/cmdline; give it in a password file (PGPASSFILE, default ~/.pgpass), "
            "PGPASSWORD, or a service file (PGSERVICEFILE, then --db "
            "'postgresql://?service=NAME')")


def shown(target):
    """`target` as it may appear in a message: a URL without its password."""
    if not is_postgresql(target):
        return target
    parts = urllib.parse.urlsplit(target)
    netloc = parts.netloc.rpartition("@")[2]
    if parts.username is not None:
        netloc = f"{urllib.parse.quote(parts.username)}@{netloc}"
    query = "&".join(f"{k}={v}" if k != "password" else f"{k}=***"
                     for k, v in urllib.parse.parse_qsl(parts.query))
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _scrubbed(error):
    """A driver's message without any password libpq was given (it does not print one
    today; this keeps it so)."""
    text = str(error).strip()
    secret = os.environ.get("PGPASSWORD")
    return text.replace(secret, "***") if secret else text


class Connection:
    """One open history database. `execute` takes sql.py's statements and dict
    parameters on either back end and returns a cursor (fetchone, fetchall, iteration);
    a driver error becomes a HistoryError naming the database without its password."""

    def __init__(self, raw, dialect, target, errors):
        self.raw = raw
        self.dialect = dialect
        self.target = target
        self._errors = errors

    def execute(self, statement, params=None):
        with self._said():
            cursor = self.raw.cursor()
            # Always a dict: psycopg2 then undoubles the %% that translate wrote.
            cursor.execute(sql.translate(statement, self.dialect), params or {})
            return cursor

    def executemany(self, statement, rows):
        with self._said():
            self.raw.cursor().executemany(sql.translate(statement, self.dialect), rows)

    def close(self):
        with contextlib.suppress(*self._errors):
            self.raw.close()

    @contextlib.contextmanager
    def _said(self):
        try:
            yield
        except self._errors as e:
            raise HistoryError(f"history database {shown(self.target)}: {_scrubbed(e)}") \
                from None


def open_db(target, migrations=sql.MIGRATIONS):
    """A connection to the database `target`, a path (created if missing) or a
    postgresql:// URL, migrated."""
    check_target(target)
    if is_postgresql(target):
        conn = _open_postgresql(target)
    else:
        conn = _open_sqlite(target)
    try:
        migrate(conn, migrations)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_sqlite(path):
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, exist_ok=True)
        raw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        _switch_to_wal(raw)
        raw.execute("PRAGMA foreign_keys = ON")
    except (OSError, sqlite3.Error) as e:
        raise HistoryError(f"cannot open history database {path}: {e}") from e
    return Connection(raw, sql.SQLITE, path, (sqlite3.Error,))


def _open_postgresql(target):
    try:
        import psycopg2   # only PostgreSQL users need it
    except ImportError as e:
        raise HistoryError(f"--db {shown(target)}: PostgreSQL needs psycopg2 (Debian "
                           "package python3-psycopg2)") from e
    try:
        raw = psycopg2.connect(target, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg2.Error as e:
        # from None: the driver's exception carries the connection string.
        raise HistoryError(f"cannot open history database {shown(target)}: "
                           f"{_scrubbed(e)}") from None
    # Each statement commits on its own unless inside `transaction`, as with SQLite's
    # isolation_level=None: readers hold no transaction open.
    raw.autocommit = True
    return Connection(raw, sql.POSTGRESQL, target, (psycopg2.Error,))


def _switch_to_wal(raw):
    """Switching to WAL needs an exclusive lock, and SQLite answers "database is locked"
    at once, without its busy handler, when two processes create the database together
    (the concurrency test caught this). So retry here, within the same time budget."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            raw.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


@contextlib.contextmanager
def transaction(conn):
    conn.execute(conn.dialect.begin)
    try:
        yield conn
    except BaseException:
        # The connection may be gone (the server stopped): the error that says so is the
        # one to raise, not the failed rollback's.
        with contextlib.suppress(HistoryError):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_version(conn):
    row = conn.execute(sql.GET_VERSION).fetchone()
    return row[0] if row else 0


def migrate(conn, migrations=sql.MIGRATIONS):
    """Applies the migrations newer than the database, all in one transaction (DDL is
    transactional in both back ends: a failed migration leaves the old schema intact).
    Two processes opening a new database at once serialise on the write lock (SQLite) or
    the schema lock (PostgreSQL); the second finds it done."""
    latest = migrations[-1][0] if migrations else 0
    with transaction(conn):
        if conn.dialect.lock_schema:
            conn.execute(conn.dialect.lock_schema)
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
