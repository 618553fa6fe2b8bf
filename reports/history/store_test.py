"""The history round trip: what is recorded reads back unchanged."""
import json
import unittest

from reports.history import store
from reports.history.backends import HistoryTest
from reports.history.db import open_db
from reports.history.run_info import describe
from reports.results import synthetic
from reports.results.load import from_dict, load
from reports.results.sample import SAMPLE_COMPARE


class RoundTrip(HistoryTest):
    def setUp(self):
        self.conn = open_db(self.new_db())
        self.addCleanup(self.conn.close)
        self.results = load(SAMPLE_COMPARE)

    def test_run_and_repetitions(self):
        info = describe(self.results.context, commit="abc123")
        run_id = store.record(self.conn, info, self.results.iterations)
        back = store.run_info(self.conn, run_id)
        self.assertEqual(back, info)
        self.assertEqual((back.host, back.kernel, back.gstreamer, back.scenario),
                         ("vm", "6.18.44-fc-v657", "GStreamer 1.22.0", "custom"))
        self.assertEqual(json.loads(back.options)["scenario"]["rate_pps"], 10000.0)
        its = store.iterations_of(self.conn, [run_id])
        self.assertEqual(len(its), 9)
        original = {(i.strategy, i.repetition_index): i for i in self.results.iterations}
        for it in its:
            # The whole iteration JSON comes back, so every metric (now or later) does.
            self.assertEqual(it.raw, original[(it.strategy, it.repetition_index)].raw)
        # And the metric rows to the last bit (10982.871 is no 4-byte float).
        key = "cpu_ns_per_packet_receive_path"
        self.assertEqual(
            sorted(v.value for v in store.trend_values(self.conn, key, "baseline")),
            sorted(i.value(key) for i in self.results.iterations if i.strategy == "baseline"))

    def test_strategies_in_bytewise_order_on_any_server(self):
        """Repetitions and trend rows come in the same order from both back ends, whatever
        the server's locale would sort first ("a" before "B" in en-US)."""
        data = synthetic.results([synthetic.entry(s, 0, 1000.0) for s in ("a", "B")])
        run_id = store.record(self.conn, describe(from_dict(data).context),
                              from_dict(data).iterations)
        self.assertEqual([i.strategy for i in store.iterations_of(self.conn, [run_id])],
                         ["B", "a"])
        self.assertEqual([v.strategy for v in store.trend_values(
            self.conn, "cpu_ns_per_packet_receive_path")], ["B", "a"])

    def test_metrics_rows_skip_unmeasured(self):
        run_id = store.record(self.conn, describe(self.results.context), self.results.iterations)
        keys = {row[0] for row in self.conn.execute(
            "SELECT m.key FROM metrics m JOIN repetitions p ON p.id = m.repetition_id "
            "WHERE p.run_id = :run_id AND p.strategy = 'null'", {"run_id": run_id})}
        self.assertIn("cpu_ns_per_packet_receive_path", keys)
        self.assertIn("delivered_fraction", keys)
        self.assertNotIn("latency_p50_ns", keys)   # null: not measured, not a zero

    def test_baselines_and_runs_like(self):
        info = describe(self.results.context)
        first = store.record(self.conn, info, self.results.iterations)
        second = store.record(self.conn, info, self.results.iterations)
        other = describe(self.results.context, extra_options={"inject_cost_ns": 500})
        store.record(self.conn, other, self.results.iterations)
        self.assertEqual(store.runs_like(self.conn, info, last=5), [second, first])
        self.assertEqual(store.runs_like(self.conn, info, last=1), [second])
        store.save_baseline(self.conn, "nightly", first)
        self.assertEqual(store.baseline_run(self.conn, "nightly"), first)
        store.save_baseline(self.conn, "nightly", second)   # a name moves on
        self.assertEqual(store.baseline_run(self.conn, "nightly"), second)
        self.assertIsNone(store.baseline_run(self.conn, "absent"))
        self.assertEqual(store.runs_on_host(self.conn, "vm"), 3)

    def test_trend_values(self):
        for cpu in (1000.0, 1100.0):
            data = synthetic.results([synthetic.entry("a", i, cpu + i) for i in range(3)] +
                                     [synthetic.entry("b", 0, 5.0)])
            store.record(self.conn, describe(from_dict(data).context),
                         from_dict(data).iterations)
        values = store.trend_values(self.conn, "cpu_ns_per_packet_receive_path", "a")
        self.assertEqual([v.value for v in values], [1000.0, 1001.0, 1002.0,
                                                     1100.0, 1101.0, 1102.0])
        last = store.trend_values(self.conn, "cpu_ns_per_packet_receive_path", last=1)
        self.assertEqual(sorted(v.value for v in last), [5.0, 1100.0, 1101.0, 1102.0])
        self.assertEqual(store.trend_values(self.conn, "cpu_time", host="elsewhere"), [])


if __name__ == "__main__":
    unittest.main()
