"""Four writer processes at once (four CI jobs) lose no row, duplicate none and corrupt
nothing, on the back end under test (backends.py)."""
import multiprocessing
import unittest

from reports.history import sql, store
from reports.history.backends import HistoryTest
from reports.history.db import open_db
from reports.history.run_info import describe
from reports.results import synthetic
from reports.results.load import from_dict

WRITERS = 4
RUNS_PER_WRITER = 50
REPETITIONS = 5


def writer(target, name, start, writing):
    start.wait()   # all open together: on a new database, all create its schema at once
    conn = open_db(target)   # each process opens its own connection (never share across fork)
    writing.wait()   # and all write together: they overlap by construction
    for run in range(RUNS_PER_WRITER):
        results = from_dict(synthetic.results(
            [synthetic.entry(name, i, 1000.0 + run + i / 10) for i in range(REPETITIONS)]))
        store.record(conn, describe(results.context, commit=f"{name}-{run}"),
                     results.iterations)
    conn.close()


class ConcurrentWriters(HistoryTest):
    def test_no_loss_no_duplicate_no_corruption(self):
        target = self.new_db()
        start = multiprocessing.Event()
        writing = multiprocessing.Barrier(WRITERS)
        names = [f"w{w}" for w in range(WRITERS)]
        procs = [multiprocessing.Process(target=writer, args=(target, name, start, writing))
                 for name in names]
        for p in procs:
            p.start()
        start.set()
        for p in procs:
            p.join(timeout=600)
            self.assertEqual(p.exitcode, 0)
        conn = open_db(target)
        if conn.dialect is sql.SQLITE:
            self.assertEqual(conn.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        commits = [row[0] for row in conn.execute("SELECT commit_id FROM runs")]
        self.assertEqual(sorted(commits), sorted(f"{name}-{r}" for name in names
                                                 for r in range(RUNS_PER_WRITER)))
        self.assertEqual(conn.execute("SELECT count(*) FROM repetitions").fetchone()[0],
                         WRITERS * RUNS_PER_WRITER * REPETITIONS)
        # Every repetition kept all its metrics and belongs to its own run.
        per_rep = {row[0] for row in conn.execute(
            "SELECT count(*) FROM metrics GROUP BY repetition_id")}
        self.assertEqual(len(per_rep), 1)
        mixed = conn.execute(
            "SELECT count(*) FROM repetitions p JOIN runs r ON r.id = p.run_id "
            "WHERE substr(r.commit_id, 1, 2) != p.strategy").fetchone()[0]
        self.assertEqual(mixed, 0)
        conn.close()


if __name__ == "__main__":
    unittest.main()
