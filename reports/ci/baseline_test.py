"""Nightly baselines: parsing --baseline, failing early, reading stored repetitions."""
import dataclasses
import os
import tempfile
import unittest

from reports.ci.baseline import (BaselineSpec, baseline_iterations, check_available,
                                 parse_baseline)
from reports.history import store
from reports.history.db import open_db
from reports.history.run_info import describe
from reports.results import synthetic
from reports.results.load import from_dict
from reports.usage import UsageError


class Baseline(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.conn = open_db(os.path.join(self.tmp.name, "h.db"))
        self.results = from_dict(synthetic.two_strategies(1.0, n=4))
        self.info = describe(self.results.context)
        self.run_id = store.record(self.conn, self.info, self.results.iterations)

    def tearDown(self):
        self.conn.close()
        self.tmp.cleanup()

    def test_parse(self):
        self.assertEqual(parse_baseline("nightly"), BaselineSpec(name="nightly"))
        self.assertEqual(parse_baseline("history:5"), BaselineSpec(last=5))
        self.assertEqual(parse_baseline("history:5").label, "the last 5 runs")
        for bad in ("history:0", "history:x", "history:", ""):
            with self.assertRaises(UsageError, msg=bad):
                parse_baseline(bad)
        self.assertEqual(parse_baseline("history:5", any_host=True).label,
                         "the last 5 runs on any host")
        with self.assertRaisesRegex(UsageError, "goes with --baseline history:N"):
            parse_baseline("nightly", any_host=True)

    def test_named(self):
        store.save_baseline(self.conn, "nightly", self.run_id)
        check_available(self.conn, BaselineSpec(name="nightly"), "testhost")
        its = baseline_iterations(self.conn, BaselineSpec(name="nightly"), self.info)
        self.assertEqual(len(its), 8)
        with self.assertRaisesRegex(UsageError, "no such baseline"):
            check_available(self.conn, BaselineSpec(name="absent"), "testhost")

    def test_history(self):
        store.record(self.conn, self.info, self.results.iterations)
        its = baseline_iterations(self.conn, BaselineSpec(last=2), self.info)
        self.assertEqual(len(its), 16)
        with self.assertRaisesRegex(UsageError, "no runs recorded on elsewhere"):
            check_available(self.conn, BaselineSpec(last=2), "elsewhere")
        other = describe(self.results.context, extra_options={"inject_cost_ns": 9})
        with self.assertRaisesRegex(UsageError, "no recorded run"):
            baseline_iterations(self.conn, BaselineSpec(last=2), other)

    def test_history_is_of_this_machine_unless_any_host(self):
        """Another host, kernel or CPU model runs at other speeds: not a baseline."""
        for field in ("host", "kernel", "cpu_model"):
            store.record(self.conn, dataclasses.replace(self.info, **{field: "other"}),
                         self.results.iterations)
        self.assertEqual(len(baseline_iterations(self.conn, BaselineSpec(last=5),
                                                 self.info)), 8)
        self.assertEqual(len(baseline_iterations(
            self.conn, BaselineSpec(last=5, any_host=True), self.info)), 32)
        elsewhere = dataclasses.replace(self.info, kernel="7.0")
        with self.assertRaisesRegex(UsageError, r"no recorded run on testhost \(kernel 7.0"):
            baseline_iterations(self.conn, BaselineSpec(last=5), elsewhere)
        self.assertEqual(len(baseline_iterations(
            self.conn, BaselineSpec(last=1, any_host=True), elsewhere)), 8)


if __name__ == "__main__":
    unittest.main()
