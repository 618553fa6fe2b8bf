"""Loading results files: iterations only, ok flags, metrics by key, older files."""
import json
import os
import tempfile
import unittest

from reports.results import synthetic
from reports.results.load import V0_NOTE, from_dict, load, newer_note
from reports.results.sample import LIST_JSON, SAMPLE_COMPARE
from reports.usage import UsageError


class LoadSample(unittest.TestCase):
    def setUp(self):
        self.results = load(SAMPLE_COMPARE)

    def test_only_iterations(self):
        # 3 strategies x 3 repetitions; the 12 aggregate entries are not repetitions.
        self.assertEqual(len(self.results.iterations), 9)
        self.assertEqual(self.results.strategies(), ["baseline", "combined-list", "null"])
        self.assertEqual(sorted(it.repetition_index for it in
                                self.results.of_strategy("null")), [0, 1, 2])

    def test_metrics_by_key(self):
        first = self.results.of_strategy("baseline")[0]
        self.assertEqual(first.value("cpu_ns_per_packet_receive_path"), 10120.5006)
        self.assertEqual(first.value("delivered_fraction"), 1.0)
        self.assertTrue(first.ok)
        # null wrote null latency: kept as None ("not measured"), never 0.
        null = self.results.of_strategy("null")[0]
        self.assertIn("latency_p50_ns", null.metrics)
        self.assertIsNone(null.value("latency_p50_ns"))

    def test_context_and_missing_invocation(self):
        self.assertEqual(self.results.context["host_name"], "vm")
        self.assertEqual(self.results.invocation, {})


class Tolerant(unittest.TestCase):
    def test_old_file_without_newer_fields(self):
        old = {"benchmarks": [{"name": "baseline/default", "cpu_time": 5.0},
                              {"name": "baseline/default", "cpu_time": 6.0},
                              {"name": "baseline/default_mean", "run_type": "aggregate",
                               "aggregate_name": "mean", "cpu_time": 5.5}]}
        results = from_dict(old)
        self.assertEqual([it.repetition_index for it in results.iterations], [0, 1])
        self.assertEqual(results.iterations[0].strategy, "baseline")
        self.assertIsNone(results.iterations[0].value("delivered_fraction"))
        self.assertIsNone(results.iterations[0].value("thread_cpu"))

    def test_failed_run(self):
        data = synthetic.results([synthetic.entry("a", 0, 100.0, ok=False,
                                                  error_message="no packets")])
        it = from_dict(data).iterations[0]
        self.assertFalse(it.ok)
        self.assertEqual(it.error_message, "no packets")

    def test_nested_new_fields_stay_in_raw(self):
        data = synthetic.results([synthetic.entry(
            "a", 0, 100.0, thread_cpu={"receiver": {"role": "receiver"}})])
        it = from_dict(data).iterations[0]
        self.assertNotIn("thread_cpu", it.metrics)
        self.assertEqual(it.raw["thread_cpu"]["receiver"]["role"], "receiver")

    def test_not_a_results_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "x.json")
            with open(path, "w") as f:
                json.dump({"hello": 1}, f)
            with self.assertRaisesRegex(UsageError, "no 'benchmarks' list"):
                load(path)
            with self.assertRaisesRegex(UsageError, "cannot read results file"):
                load(os.path.join(tmp, "missing.json"))


class SchemaVersions(unittest.TestCase):
    """real_time was the p50 latency in schema 0 and is wall time per packet from 1: an
    old file is read with its latency where new files have it, real_time unavailable."""

    def test_version_0_file(self):
        with open(SAMPLE_COMPARE) as f:
            raw = json.load(f)
        self.assertNotIn("schema_version", raw["context"])   # written before version 1
        results = load(SAMPLE_COMPARE)
        self.assertEqual(results.notes, [V0_NOTE])
        first = results.of_strategy("baseline")[0]
        self.assertIsNone(first.value("real_time"))
        self.assertEqual(first.value("latency_p50_ns"), first.raw["real_time"])
        self.assertEqual(first.raw["real_time"], first.raw["latency_p50_ns"])  # kept as read

    def test_version_0_without_a_latency_field(self):
        old = {"benchmarks": [{"name": "a/x", "cpu_time": 5.0, "real_time": 7000.0},
                              {"name": "a/x", "cpu_time": 5.0, "real_time": 0}]}
        its = from_dict(old).iterations
        self.assertEqual(its[0].value("latency_p50_ns"), 7000.0)
        self.assertIsNone(its[0].value("real_time"))
        # 0 meant "not measured" (the format needed a number): not a latency of 0.
        self.assertIsNone(its[1].value("latency_p50_ns"))
        self.assertEqual(its[0].value("cpu_time"), 5.0)

    def test_version_1_kept(self):
        entry = synthetic.entry("a", 0, 100.0, real_time=2500.0, latency_p50_ns=9000.0)
        data = synthetic.results([entry])
        data["context"] = {"schema_version": 1}
        results = from_dict(data)
        self.assertEqual(results.notes, [])
        self.assertEqual(results.iterations[0].value("real_time"), 2500.0)
        self.assertEqual(results.iterations[0].value("latency_p50_ns"), 9000.0)
        # An entry read on its own (a history row) says its version itself.
        alone = from_dict({"benchmarks": [{**entry, "schema_version": 1}]})
        self.assertEqual(alone.iterations[0].value("real_time"), 2500.0)

    def test_a_newer_version_is_read_with_a_note(self):
        entry = synthetic.entry("a", 0, 100.0, real_time=2500.0)
        data = synthetic.results([entry])
        data["context"] = {"schema_version": 2}
        results = from_dict(data)
        self.assertEqual(results.notes, [newer_note(2)])
        self.assertEqual(results.iterations[0].value("real_time"), 2500.0)
        # A history row stored on its own says its version itself.
        alone = from_dict({"benchmarks": [{**entry, "schema_version": 2}]})
        self.assertEqual(alone.notes, [newer_note(2)])

    def test_the_catalogue_is_read_when_present(self):
        data = synthetic.results([synthetic.entry("a", 0, 100.0)])
        self.assertIsNone(from_dict(data).catalogue)   # older files have none
        with open(LIST_JSON, encoding="utf-8") as f:
            data["context"]["catalogue"] = json.load(f)
        found = from_dict(data).catalogue
        self.assertEqual(found.role("null+gro"), "floor")
        self.assertEqual(found.role("pooled+buffer=freelist"), "ordinary")
        self.assertEqual(found.role("udpsrc"), "reference")
        self.assertIsNone(found.role("nosuch"))


if __name__ == "__main__":
    unittest.main()
