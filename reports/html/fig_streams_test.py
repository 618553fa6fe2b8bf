"""The stream sweep's figure and section, drawn from a sweep.json document of the shape
`sweep --streams` writes (two strategies, two searches that disagree for one)."""
import os
import tempfile
import unittest

from reports.html import fig_streams, report

COLOURS = {"baseline": "#1f77b4", "combined-list": "#ff7f0e"}


def point(strategy, streams, verdict, search=0):
    return {"strategy": strategy, "streams": streams, "offered_pps": streams * 520,
            "search": search, "verdict": verdict, "packets_lost": 0, "packets_sent": 1000,
            "cpu_ns_per_packet_receive_path": 1000.0 + streams,
            "latency_p99_ns": 50_000.0 * streams}


def sweep_doc():
    points = [point("baseline", n, "loss-free") for n in (1, 2, 4, 8, 16, 32, 36)]
    points += [point("baseline", n, "lossy") for n in (37, 64)]
    points += [point("combined-list", n, "loss-free", s) for s in (0, 1) for n in (1, 64, 72)]
    points += [point("combined-list", 80, "loss-free", 0), point("combined-list", 80, "lossy", 1),
               point("combined-list", 81, "lossy", 0), point("combined-list", 7, "failed")]
    return {"mode": "streams", "strategies": ["baseline", "combined-list"], "repetitions": 3,
            "points": points,
            "streams": {"per_stream_pps": 520, "reference": "baseline",
                        "placement": ["--cpu-generator", "0", "--cpu-receiver", "1",
                                      "--cpu-pipeline", "1"], "loss_free_rule": "rule"},
            "knees": {"baseline": [{"max_loss_free_streams": 36, "first_bad_streams": 37,
                                    "finished": True}],
                      "combined-list": [{"max_loss_free_streams": 80, "first_bad_streams": 81,
                                         "finished": True},
                                        {"max_loss_free_streams": 72,
                                         "first_bad_streams": 80, "finished": True}]},
            "capacity": {"baseline": {"median": 36, "min": 36, "max": 36, "searches": 1,
                                      "finished_searches": 1},
                         "combined-list": {"median": 76, "min": 72, "max": 80, "searches": 2,
                                           "finished_searches": 2}},
            "ratios": {"combined-list": {"ratio_of_medians": 76 / 36, "range": [2.0, 2.22],
                                         "interval": [None, None], "confidence": 0.95}},
            "notes": []}


class FigureTest(unittest.TestCase):
    def test_log2_axis_lines_and_found_counts(self):
        fig = fig_streams.draw(sweep_doc(), COLOURS)
        cpu, latency = fig.axes[:2]
        self.assertEqual(cpu.get_xscale(), "log")
        self.assertEqual(cpu.xaxis.get_transform().base, 2)
        self.assertEqual(latency.get_yscale(), "log")
        # One line per strategy through the counts measured (the failed point left out).
        lines = {ln.get_label(): list(ln.get_xdata()) for ln in cpu.get_lines()
                 if ln.get_label() in COLOURS}
        self.assertEqual(lines["baseline"], [1, 2, 4, 8, 16, 32, 36, 37, 64])
        self.assertEqual(lines["combined-list"], [1, 64, 72, 80, 81])
        # The found counts: a vertical line at each strategy's median, a star where the
        # cost curve was measured at it, a band where the searches disagree.
        vertical = sorted(ln.get_xdata()[0] for ln in cpu.get_lines()
                          if ln.get_linestyle() == ":" and len(set(ln.get_xdata())) == 1)
        self.assertEqual(vertical, [36, 76])
        stars = [ln.get_xdata() for ln in cpu.get_lines() if ln.get_marker() == "*"]
        self.assertEqual(stars, [[36]])
        self.assertEqual(len(cpu.patches), 1)
        labels = [t.get_text() for t in cpu.get_legend().get_texts()]
        self.assertIn("largest loss-free count", labels)

    def test_nothing_measured_draws_nothing(self):
        doc = sweep_doc()
        doc["points"] = [p for p in doc["points"] if p["verdict"] == "failed"]
        self.assertIsNone(fig_streams.draw(doc, COLOURS))

    def test_the_report_has_the_stream_section(self):
        with tempfile.TemporaryDirectory() as out:
            index = report.render(out, sweep={"sweep": sweep_doc()})
            with open(index, encoding="utf-8") as f:
                page = f.read()
            self.assertTrue(os.path.exists(os.path.join(out, "sweep.png")))
        self.assertIn("rxbench stream sweep", page)
        self.assertIn("Stream sweep", page)
        self.assertIn("[72, 80)", page)
        self.assertIn("2.11", page)


if __name__ == "__main__":
    unittest.main()
