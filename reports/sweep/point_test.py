"""One rate's verdict from recorded runs (testdata of reports/html: 200 kpps, 5 strategies)."""
import copy
import json
import os
import unittest

from reports.sweep import point
from reports.html.units import format_rate
from reports.sweep.rates import parse_rates

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "html", "testdata")


def runs_of(strategy):
    with open(os.path.join(TESTDATA, "compare-high-rate.json"), encoding="utf-8") as f:
        doc = json.load(f)
    return [b for b in doc["benchmarks"]
            if b.get("run_type") == "iteration" and b["strategy"] == strategy]


class PointTest(unittest.TestCase):
    def test_recorded_verdicts(self):
        # combined-list lost nothing in all 3 repetitions; iouring's ring ran dry.
        p = point.summarise("combined-list", 200_000, runs_of("combined-list"))
        self.assertEqual(p["verdict"], point.LOSS_FREE)
        self.assertEqual(p["packets_lost"], 0)
        self.assertGreater(p["cpu_ns_per_packet_receive_path"], 0)
        p = point.summarise("iouring", 200_000, runs_of("iouring"))
        self.assertEqual(p["verdict"], point.LOSSY)
        self.assertGreater(p["loss_fraction"], 0)

    def test_failed_repetition_makes_the_point_failed(self):
        p = point.summarise("baseline", 200_000, runs_of("baseline"))
        self.assertEqual(p["verdict"], point.FAILED)
        self.assertIn("end-of-stream", p["error"])

    def test_generator_short_is_never_loss_free(self):
        flagged = copy.deepcopy(runs_of("combined-list"))
        flagged[1]["generator_fell_behind"] = True
        self.assertEqual(point.summarise("c", 200_000, flagged)["verdict"], point.GENERATOR_SHORT)
        # Older results have no flag: achieved 3 % below offered counts as short, 1 % does not.
        old = copy.deepcopy(runs_of("combined-list"))
        for r in old:
            r.pop("generator_fell_behind", None)
            r["achieved_pps"] = r["offered_pps"] * 0.97
        self.assertEqual(point.summarise("c", 200_000, old)["verdict"], point.GENERATOR_SHORT)
        for r in old:
            r["achieved_pps"] = r["offered_pps"] * 0.99
        self.assertEqual(point.summarise("c", 200_000, old)["verdict"], point.LOSS_FREE)

    def test_rates_parse_and_format(self):
        self.assertEqual(parse_rates("50k, 10k,1.5M,20000"), [10_000, 20_000, 50_000, 1_500_000])
        self.assertEqual([format_rate(r) for r in (600_000, 187_300, 1_500_000)],
                         ["600k", "187.3k", "1.5M"])


def with_streams(runs, count, per_stream_pps, lost=()):
    """The recorded runs as `run --streams count` reports them: the totals over all
    streams and one per_stream entry each; streams in `lost` lost one packet."""
    out = copy.deepcopy(runs)
    for r in out:
        r["offered_pps"] = count * per_stream_pps
        r["per_stream"] = [{"ssrc": i, "port": 5004, "sent": 100, "delivered": 100 - (i in lost),
                            "lost": int(i in lost)} for i in range(count)]
    return out


class StreamsPointTest(unittest.TestCase):
    def test_clean_totals_and_streams_are_loss_free(self):
        runs = with_streams(runs_of("combined-list"), 4, 50_000)
        p = point.summarise_streams("combined-list", 4, 50_000, runs)
        self.assertEqual(p["verdict"], point.LOSS_FREE)
        self.assertEqual((p["streams"], p["per_stream_pps"], p["offered_pps"]),
                         (4, 50_000, 200_000))

    def test_one_stream_losing_one_packet_in_one_repetition_is_lossy(self):
        # The totals say nothing was dropped (a loss the kernel could not attribute to the
        # run's totals); the stream's own account still decides.
        runs = with_streams(runs_of("combined-list"), 4, 50_000)
        runs[2]["per_stream"][3]["lost"] = 1
        p = point.summarise_streams("combined-list", 4, 50_000, runs)
        self.assertEqual(p["verdict"], point.LOSSY)
        self.assertEqual(p["streams_with_loss"], 1)
        # The stream's socket dropped one, whatever its lost says.
        runs = with_streams(runs_of("combined-list"), 4, 50_000)
        runs[0]["per_stream"][0].update(lost=None, kernel_drops=1)
        p = point.summarise_streams("combined-list", 4, 50_000, runs)
        self.assertEqual(p["verdict"], point.LOSSY)

    def test_kernel_drops_in_the_totals_are_loss(self):
        runs = with_streams(runs_of("combined-list"), 4, 50_000)
        runs[0]["kernel_drops"] = 3
        self.assertEqual(point.summarise_streams("c", 4, 50_000, runs)["verdict"], point.LOSSY)

    def test_a_harness_that_ran_other_streams_fails_the_point(self):
        runs = with_streams(runs_of("combined-list"), 3, 50_000)
        p = point.summarise_streams("c", 4, 50_000, runs)
        self.assertEqual(p["verdict"], point.FAILED)
        self.assertIn("asked for 4 streams, the harness reported 3", p["error"])
        # A harness whose --rate meant the total over all streams offered 4 x 200 kpps.
        runs = with_streams(runs_of("combined-list"), 4, 200_000)
        p = point.summarise_streams("c", 4, 50_000, runs)
        self.assertEqual(p["verdict"], point.FAILED)
        self.assertIn("offered 800000 pps in all, not 4 x 50000", p["error"])
        # Results without per_stream (a harness before --streams) cannot say per stream.
        p = point.summarise_streams("c", 4, 50_000, runs_of("combined-list"))
        self.assertEqual(p["verdict"], point.FAILED)


if __name__ == "__main__":
    unittest.main()
