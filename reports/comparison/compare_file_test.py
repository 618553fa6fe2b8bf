"""The analysis of a `compare` file: every strategy against the reference strategy."""
import json
import unittest

from reports.comparison.compare_file import analyze_compare_file
from reports.comparison.section import to_section
from reports.results import synthetic
from reports.results.load import from_dict, load
from reports.results.sample import SAMPLE_COMPARE
from reports.stats.verdict import FASTER, NO_CHANGE, TOO_FEW, WORSE

NOISE = [1.0, 1.02, 0.98, 1.01, 0.99, 1.0, 1.015, 0.985, 1.005, 0.995]


def compare_file(factor, delivered=10000, reference="baseline", n=10):
    entries = []
    for i in range(n):
        base = 3000.0 + 40 * i
        entries.append(synthetic.entry("baseline", i, base))
        entries.append(synthetic.entry("fast", i, base * factor * NOISE[i],
                                       delivered=delivered - i))
    return from_dict(synthetic.results(entries, invocation={"reference": reference}))


class Sample(unittest.TestCase):
    def test_rows_for_every_strategy_and_metric(self):
        analysis = analyze_compare_file(load(SAMPLE_COMPARE))
        self.assertEqual(analysis.reference, "baseline")
        self.assertEqual(len(analysis.rows), 2 * 6)
        null = {r.metric.key: r for r in analysis.rows if r.strategy == "null"}
        self.assertEqual(null["latency_p50_ns"].skipped, "not measured")
        self.assertEqual(null["cpu_ns_per_packet_pipeline"].skipped, "zero: no ratio")
        # 3 repetitions can never reach p < 0.05 with Wilcoxon.
        self.assertEqual(null["cpu_ns_per_packet_receive_path"].verdict, TOO_FEW)


class Synthetic(unittest.TestCase):
    def test_faster_and_worse_delivery(self):
        analysis = analyze_compare_file(compare_file(0.7, delivered=9990))
        rows = {r.metric.key: r for r in analysis.rows}
        self.assertEqual(rows["cpu_ns_per_packet_receive_path"].verdict, FASTER)
        self.assertAlmostEqual(rows["cpu_ns_per_packet_receive_path"].comparison.median_ratio,
                               0.7, places=9)
        self.assertEqual(rows["latency_p50_ns"].verdict, NO_CHANGE)
        self.assertEqual(rows["delivered_fraction"].verdict, WORSE)
        self.assertAlmostEqual(analysis.geomean["cpu_ns_per_packet_receive_path"], 0.7)

    def test_reference_from_invocation_or_first_strategy(self):
        analysis = analyze_compare_file(compare_file(0.7, reference="fast"))
        self.assertEqual(analysis.reference, "fast")
        self.assertEqual({r.strategy for r in analysis.rows}, {"baseline"})
        analysis = analyze_compare_file(compare_file(0.7, reference="absent"))
        self.assertEqual(analysis.reference, "baseline")
        self.assertIn("reference 'absent' is not in this run", analysis.warnings[0])

    def test_section_is_strict_json_with_the_contract_fields(self):
        section = to_section(analyze_compare_file(compare_file(1.3, n=3)))
        text = json.dumps(section, allow_nan=False)
        self.assertEqual(json.loads(text)["design"], "paired")
        row = section["rows"][0]
        for key in ("strategy", "metric", "n", "reference_median", "median", "median_ratio",
                    "ci_low", "ci_high", "p_value", "verdict", "needed_repetitions"):
            self.assertIn(key, row)
        self.assertEqual(row["verdict"], TOO_FEW)
        self.assertEqual(row["needed_repetitions"], 6)
        self.assertEqual([m["better"] for m in section["metrics"]][-1], "higher")


if __name__ == "__main__":
    unittest.main()
