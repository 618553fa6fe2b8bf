"""One history for many machines: a run recorded by machine A is read by `history` and
`report` on machine B. Each machine is a process in its own UTS namespace (unshare -u)
with its own host name; A's results file names A, as the harness on A writes it."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import reports
from reports.history.backends import HistoryTest
from reports.results.sample import SAMPLE_COMPARE

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(reports.__file__)))


def on_machine(host, *argv):
    """`rxbench ARGV` as a process on the machine named `host`; (code, stdout, stderr)."""
    done = subprocess.run(["unshare", "-u", "sh", "-c", 'hostname "$0" && exec "$@"', host,
                           "/usr/bin/python3", "-m", "reports", *argv],
                          env={**os.environ, "PYTHONPATH": ROOT}, capture_output=True,
                          text=True, timeout=300)
    return done.returncode, done.stdout, done.stderr


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("unshare"),
                     "needs root for a host name of its own (unshare -u)")
class TwoMachines(HistoryTest):
    def test_run_of_machine_a_read_on_machine_b(self):
        db = self.new_db()
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        with open(SAMPLE_COMPARE, encoding="utf-8") as f:
            data = json.load(f)
        data["context"]["host_name"] = "machine-a"
        results = os.path.join(tmp, "a.json")
        with open(results, "w", encoding="utf-8") as f:
            json.dump(data, f)

        code, out, err = on_machine("machine-a", "history", "--import", results, "--db", db)
        self.assertEqual(code, 0, err)

        # B has its own name: nothing of its own is recorded, A's run is.
        code, out, err = on_machine("machine-b", "history", "--db", db, "--host",
                                    "machine-b")
        self.assertEqual((code, out.strip()), (0, "no recorded runs with "
                                                  "cpu_ns_per_packet_receive_path match"), err)
        code, out, err = on_machine("machine-b", "history", "--db", db, "--json")
        self.assertEqual(code, 0, err)
        rows = json.loads(out)
        self.assertEqual({(r["host"], r["strategy"]) for r in rows},
                         {("machine-a", s) for s in ("baseline", "combined-list", "null")})
        report = os.path.join(tmp, "report")
        code, out, err = on_machine("machine-b", "report", results, "--db", db, "--out",
                                    report)
        self.assertEqual(code, 0, err)
        with open(os.path.join(report, "index.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn('src="trend.png"', page)
        self.assertIn("host machine-a", page)


if __name__ == "__main__":
    unittest.main()
