"""Google Benchmark's own compare.py (Debian libbenchmark-tools) reads rxbench results:
the JSON stays a data contract with the tool it borrows its format from."""
import json
import os
import subprocess
import tempfile
import unittest

from reports.results.sample import SAMPLE_COMPARE

COMPARE_PY = "/usr/share/benchmark/compare.py"


class CompareReadsRxbench(unittest.TestCase):
    def test_compare_py_benchmarks(self):
        with open(SAMPLE_COMPARE) as f:
            slower = json.load(f)
        for b in slower["benchmarks"]:
            if b["run_type"] == "iteration":
                b["cpu_time"] *= 1.25
        with tempfile.TemporaryDirectory() as tmp:
            b_json = os.path.join(tmp, "b.json")
            with open(b_json, "w") as f:
                json.dump(slower, f)
            done = subprocess.run(
                ["/usr/bin/python3", COMPARE_PY, "--no-color", "benchmarks",
                 SAMPLE_COMPARE, b_json], capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        for strategy in ("baseline", "combined-list", "null"):
            self.assertIn(f"{strategy}/custom ", done.stdout)
        # Its CPU column is the change in cpu_time (= receive-path CPU): +25 %.
        self.assertIn("+0.2500", done.stdout)
        self.assertIn("OVERALL_GEOMEAN", done.stdout)


if __name__ == "__main__":
    unittest.main()
