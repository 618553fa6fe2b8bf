"""tools/median_table.py on hand-made compare.json files with known medians."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import median_table  # noqa: E402


def entry(strategy, ok=True, **fields):
    return dict(run_type="iteration", strategy=strategy, ok=ok, **fields)


class MedianTableTest(unittest.TestCase):
    def write(self, benchmarks):
        f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump({"benchmarks": benchmarks}, f)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_median_and_range_per_strategy_failed_runs_left_out(self):
        path = self.write([
            entry("a", cpu=100, lat_ns=3000), entry("b", cpu=7), entry("a", cpu=300, lat_ns=1000),
            entry("a", cpu=200, lat_ns=None), entry("a", ok=False, cpu=10**9),
            dict(run_type="aggregate", strategy="a", cpu=5),
        ])
        text = median_table.table([("8 streams", path)], ["cpu", "lat_ns"], ["lat_ns"], 1)
        rows = text.splitlines()
        self.assertEqual(rows[0], "|  | strategy | n | cpu | lat_ns (µs) |")
        self.assertEqual(rows[2], "| 8 streams | a | 3 | 200.0 [100.0–300.0] | - |")
        self.assertEqual(rows[3], "| 8 streams | b | 1 | 7.0 | - |")

    def test_dotted_fields_read_inside_objects(self):
        path = self.write([entry("a", frames={"damaged": 4}), entry("a", frames={"damaged": 6})])
        rows = median_table.table([("", path)], ["frames.damaged"], [], 0).splitlines()
        self.assertEqual(rows[2], "|  | a | 2 | 5 [4–6] |")

    def test_fractions_in_per_cent(self):
        path = self.write([entry("a", share=0.0342), entry("a", share=0.02)])
        rows = median_table.table([("", path)], ["share"], [], 1, ["share"]).splitlines()
        self.assertEqual(rows[0], "|  | strategy | n | share (%) |")
        self.assertEqual(rows[2], "|  | a | 2 | 2.7 [2.0–3.4] |")

    def test_across_files_and_paths(self):
        one = self.write([entry("a", path="loopback", cpu=1),
                          entry("a+path=veth", path="veth", cpu=2),
                          entry("b", path="loopback", cpu=5)])
        eight = self.write([entry("a", path="loopback", cpu=3),
                            entry("a+path=veth", path="veth", cpu=4)])
        rows = median_table.across([("1", one), ("8", eight)], "cpu", 1.0, 0).splitlines()
        self.assertEqual(rows[0], "| strategy | 1 loopback | 1 veth | 8 loopback | 8 veth |")
        self.assertEqual(rows[2], "| a | 1 | 2 | 3 | 4 |")
        self.assertEqual(rows[3], "| b | 5 |  |  |  |")


if __name__ == "__main__":
    unittest.main()
