"""A throwaway PostgreSQL 15 cluster for tests: initdb in a new directory under /tmp,
listening on 127.0.0.1 only at a free port, a random password that clients read from a
password file (PGPASSFILE), stopped and removed afterwards, also when a test fails.

What PostgreSQL needs here: initdb and pg_ctl refuse root, so as root they run as the
`postgres` user (runuser), which must be able to read the data directory and the
server's password file: hence /tmp, not a test's TEST_TMPDIR under /root. runuser cannot
set groups inside Bazel's sandbox, so tests using this carry the `no-sandbox` tag.
Debian's own cluster (port 5432) is neither used nor touched. A test process killed
before its cleanup (a Bazel timeout) leaves its cluster running: the next cluster made
stops and removes those whose owner process is gone.
"""
import glob
import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile

BIN = "/usr/lib/postgresql/15/bin"
RUNUSER = "/usr/sbin/runuser"   # not on the PATH Bazel gives tests
PREFIX = "rxbench-pg-"
SUPERUSER = "rxbench"
START_ATTEMPTS = 5   # a free port may be taken between choosing it and listening


class Cluster:
    def __init__(self):
        remove_orphans()
        self.root = tempfile.mkdtemp(prefix=PREFIX, dir="/tmp")
        self.data = os.path.join(self.root, "data")
        self.log = os.path.join(self.root, "server.log")
        self.password = secrets.token_hex(16)
        self.port = None
        self.running = False
        self._databases = 0
        # The client's password file is the test process's (libpq wants it private), in
        # a directory of its own that the server's user cannot enter.
        self._client = os.path.join(self.root, "client")
        os.mkdir(self._client, 0o700)
        self.passfile = os.path.join(self._client, "pgpass")
        with open(os.path.join(self.root, "owner"), "w", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        self._as_postgres = os.geteuid() == 0
        try:
            self._initdb()
        except BaseException:
            self.remove()
            raise

    def _initdb(self):
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        server_pw = os.path.join(self.root, "password")
        self._write_private(server_pw, self.password + "\n")
        self._run([os.path.join(BIN, "initdb"), "--no-sync", "-D", self.data,
                   "-U", SUPERUSER, f"--pwfile={server_pw}", "--auth=scram-sha-256",
                   "-E", "UTF8", "--locale=C.UTF-8"])
        os.remove(server_pw)

    def _write_private(self, path, text):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        if self._as_postgres and path.startswith(self.root):
            user = pwd.getpwnam("postgres")
            os.chown(path, user.pw_uid, user.pw_gid)

    def _run(self, argv):
        return _run(argv, self._as_postgres, self.root)

    def start(self):
        """Starts the server (again after `stop`, on a new port if the old one is taken)."""
        for attempt in range(START_ATTEMPTS):
            if self.port is None or attempt > 0:
                self.port = free_port()
            try:
                self._run([os.path.join(BIN, "pg_ctl"), "-D", self.data, "-l", self.log,
                           "-w", "-t", "120", "-o",
                           f"-c listen_addresses=127.0.0.1 -p {self.port} "
                           "-c unix_socket_directories='' -c fsync=off", "start"])
                break
            except RuntimeError:
                if attempt == START_ATTEMPTS - 1:
                    raise RuntimeError(f"PostgreSQL did not start; its log:\n{self.server_log()}")
        self.running = True
        if os.path.exists(self.passfile):
            os.remove(self.passfile)
        self._write_private(self.passfile,
                            f"127.0.0.1:{self.port}:*:{SUPERUSER}:{self.password}\n")

    def stop(self):
        """Stops the server for real (a test of a database that went away)."""
        if self.running:
            self._run([os.path.join(BIN, "pg_ctl"), "-D", self.data, "-m", "fast", "-w",
                       "stop"])
            self.running = False

    def remove(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def server_log(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def url(self, database="postgres"):
        """Where a client connects: no password in it (PGPASSFILE has it)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self):
        """The URL of a new, empty database: each test its own. It sorts text as a server
        set up for people does (ICU, en-US: "a" before "B"), not bytewise as SQLite."""
        import psycopg2
        self._databases += 1
        name = f"t{self._databases}"
        conn = psycopg2.connect(self.url(), passfile=self.passfile)
        try:
            conn.autocommit = True
            conn.cursor().execute(f"CREATE DATABASE {name} TEMPLATE template0 "
                                  "LOCALE_PROVIDER icu ICU_LOCALE 'en-US'")
        finally:
            conn.close()
        return self.url(name)


def _run(argv, as_postgres, cwd):
    prefix = [RUNUSER, "-u", "postgres", "--"] if as_postgres else []
    done = subprocess.run(prefix + argv, capture_output=True, text=True, cwd=cwd)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): "
                           f"{done.stdout}{done.stderr}")
    return done


def remove_orphans():
    """Stops and removes the clusters of test processes that no longer exist."""
    for root in glob.glob(os.path.join("/tmp", PREFIX + "*")):
        try:
            with open(os.path.join(root, "owner"), encoding="utf-8") as f:
                os.kill(int(f.read()), 0)
            continue   # its owner is alive
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue   # not one of ours, or being made
        data = os.path.join(root, "data")
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            with contextlib.suppress(RuntimeError):
                _run([os.path.join(BIN, "pg_ctl"), "-D", data, "-m", "immediate", "-w",
                      "stop"], os.geteuid() == 0, "/tmp")
        shutil.rmtree(root, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_cluster():
    """A started cluster, with PGPASSFILE pointing at its password file; removed on exit
    however the block ends."""
    cluster = Cluster()
    try:
        cluster.start()
        old = os.environ.get("PGPASSFILE")
        os.environ["PGPASSFILE"] = cluster.passfile
        try:
            yield cluster
        finally:
            if old is None:
                del os.environ["PGPASSFILE"]
            else:
                os.environ["PGPASSFILE"] = old
    finally:
        cluster.remove()
