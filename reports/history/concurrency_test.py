"""Two writer processes at once (two CI jobs) lose no row and corrupt nothing."""
import multiprocessing
import os
import tempfile
import time
import unittest

from reports.history import store
from reports.history.db import open_db
from reports.history.run_info import describe
from reports.results import synthetic
from reports.results.load import from_dict

RUNS_PER_WRITER = 300
REPETITIONS = 5


def writer(path, name, start, times):
    start.wait()   # both begin together, creating the database at the same moment
    times.put((name, "start", time.monotonic()))
    conn = open_db(path)   # each process opens its own connection (never share across fork)
    for run in range(RUNS_PER_WRITER):
        results = from_dict(synthetic.results(
            [synthetic.entry(name, i, 1000.0 + run + i / 10) for i in range(REPETITIONS)]))
        store.record(conn, describe(results.context, commit=f"{name}-{run}"),
                     results.iterations)
    conn.close()
    times.put((name, "end", time.monotonic()))


class ConcurrentWriters(unittest.TestCase):
    def test_no_loss_no_corruption(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "history.db")
            start = multiprocessing.Event()
            times = multiprocessing.Queue()
            procs = [multiprocessing.Process(target=writer, args=(path, name, start, times))
                     for name in ("w0", "w1")]
            for p in procs:
                p.start()
            start.set()
            for p in procs:
                p.join(timeout=240)
                self.assertEqual(p.exitcode, 0)
            conn = open_db(path)
            self.assertEqual(conn.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            commits = {row[0] for row in conn.execute("SELECT commit_id FROM runs")}
            self.assertEqual(commits, {f"w{w}-{r}" for w in (0, 1)
                                       for r in range(RUNS_PER_WRITER)})
            self.assertEqual(conn.execute("SELECT count(*) FROM repetitions").fetchone()[0],
                             2 * RUNS_PER_WRITER * REPETITIONS)
            # Every repetition kept all its metrics and belongs to its own run.
            per_rep = {row[0] for row in conn.execute(
                "SELECT count(*) FROM metrics GROUP BY repetition_id")}
            self.assertEqual(len(per_rep), 1)
            mixed = conn.execute(
                "SELECT count(*) FROM repetitions p JOIN runs r ON r.id = p.run_id "
                "WHERE substr(r.commit_id, 1, 2) != p.strategy").fetchone()[0]
            self.assertEqual(mixed, 0)
            # The writers really overlapped in time. (Whether their rows interleave is
            # up to SQLite's busy handler, which is not fair: often one writer waits
            # until the other is done. Waiting is what it should do; losing is not.)
            marks = {(name, what): t for name, what, t in (times.get() for _ in range(4))}
            self.assertLess(max(marks["w0", "start"], marks["w1", "start"]),
                            min(marks["w0", "end"], marks["w1", "end"]))


if __name__ == "__main__":
    unittest.main()
