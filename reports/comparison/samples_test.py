"""Which values a metric contributes, and why a metric is skipped."""
import unittest

from reports.comparison.samples import paired_samples, unpaired_samples
from reports.results import synthetic
from reports.results.load import from_dict


def iterations(*entries):
    return from_dict(synthetic.results(entries)).iterations


class Paired(unittest.TestCase):
    def test_pairs_by_repetition_index_not_order(self):
        a = iterations(synthetic.entry("a", 1, 110.0), synthetic.entry("a", 0, 100.0))
        b = iterations(synthetic.entry("b", 0, 200.0), synthetic.entry("b", 1, 220.0))
        s = paired_samples(a, b, "cpu_ns_per_packet_receive_path")
        self.assertEqual((s.reference, s.candidate), ([100.0, 110.0], [200.0, 220.0]))

    def test_failed_repetition_drops_its_pair(self):
        a = iterations(synthetic.entry("a", 0, 100.0), synthetic.entry("a", 1, 110.0))
        b = iterations(synthetic.entry("b", 0, 200.0, ok=False),
                       synthetic.entry("b", 1, 220.0))
        s = paired_samples(a, b, "cpu_ns_per_packet_receive_path")
        self.assertEqual((s.reference, s.candidate), ([110.0], [220.0]))

    def test_not_measured(self):
        a = iterations(synthetic.entry("a", 0, 100.0))
        b = iterations(synthetic.entry("b", 0, 90.0, latency=None, measure="minimal"))
        s = paired_samples(a, b, "latency_p50_ns")
        self.assertEqual(s.skipped, "not measured (--measure minimal)")
        s = paired_samples(b, a, "latency_p50_ns")
        self.assertEqual(s.skipped, "not measured in the reference (--measure minimal)")

    def test_zero_has_no_ratio(self):
        a = iterations(synthetic.entry("a", 0, 100.0))
        b = iterations(synthetic.entry("null", 0, 50.0, cpu_ns_per_packet_pipeline=0.0))
        s = paired_samples(a, b, "cpu_ns_per_packet_pipeline")
        self.assertEqual(s.skipped, "zero: no ratio")

    def test_nothing_in_common(self):
        a = iterations(synthetic.entry("a", 0, 100.0))
        b = iterations(synthetic.entry("b", 1, 100.0))
        self.assertEqual(paired_samples(a, b, "cpu_time").skipped,
                         "no repetition succeeded on both sides")


class Unpaired(unittest.TestCase):
    def test_every_successful_repetition(self):
        a = iterations(*[synthetic.entry("a", i, 100.0 + i) for i in range(3)])
        b = iterations(synthetic.entry("a", 0, 90.0), synthetic.entry("a", 7, 80.0, ok=False))
        s = unpaired_samples(a, b, "cpu_ns_per_packet_receive_path")
        self.assertEqual((s.reference, s.candidate), ([100.0, 101.0, 102.0], [90.0]))


if __name__ == "__main__":
    unittest.main()
