"""A report renders from a recorded results file, and every figure it names is a real PNG.

testdata/compare-high-rate.json is a real recording (see testdata/README.md): 5
strategies, 3 repetitions, packet loss, and one failed repetition of baseline.
"""
import json
import os
import re
import tempfile
import unittest

import matplotlib.image
from PIL import Image

from reports.html import capture, cli
from reports.results.sample import LIST_JSON

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")
RESULTS = os.path.join(TESTDATA, "compare-high-rate.json")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIGURES = ["cpu_per_packet", "latency", "loss", "counters"]


def referenced_files(page):
    """Every src= and href= of the page that is not a link elsewhere."""
    refs = re.findall(r'(?:src|href)="([^"]+)"', page)
    return [r for r in refs if not re.match(r"^[a-z]+:", r) and not r.startswith("#")]


def with_catalogue(directory):
    """The recording plus the strategy catalogue the harness writes today (`rxbench list
    --json`), which says that null is the floor: as a new file has it."""
    with open(RESULTS, encoding="utf-8") as f:
        doc = json.load(f)
    with open(LIST_JSON, encoding="utf-8") as f:
        doc["context"]["catalogue"] = json.load(f)
    path = os.path.join(directory, "catalogued.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    return path


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = cls.enterClassContext(tempfile.TemporaryDirectory(prefix="report_test_"))
        cls.index = cli.render([with_catalogue(cls.out)], cls.out)
        with open(cls.index, encoding="utf-8") as f:
            cls.page = f.read()

    def test_every_figure_is_a_valid_png_and_has_an_svg(self):
        for stem in FIGURES:
            png = os.path.join(self.out, stem + ".png")
            with open(png, "rb") as f:
                self.assertEqual(f.read(8), PNG_SIGNATURE, png)
            with Image.open(png) as image:
                image.verify()  # decodes the chunks; raises on a corrupt file
            pixels = matplotlib.image.imread(png)
            self.assertGreater(pixels.shape[0], 200, png)
            self.assertGreater(pixels.shape[1], 400, png)
            # Not a blank canvas: a drawn figure has many distinct colours.
            sampled = pixels[::7, ::7].reshape(-1, pixels.shape[2])
            self.assertGreater(len({tuple(p) for p in sampled}), 20, png)
            with open(os.path.join(self.out, stem + ".svg"), encoding="utf-8") as f:
                self.assertIn("<svg", f.read(2000))

    def test_page_is_self_contained(self):
        refs = referenced_files(self.page)
        self.assertTrue(any(r.endswith(".png") for r in refs))
        for ref in refs:
            self.assertFalse(os.path.isabs(ref), ref)
            self.assertTrue(os.path.exists(os.path.join(self.out, ref)), ref)
        self.assertNotIn("<script", self.page.lower())

    def test_page_opens_with_the_verdict_before_any_figure(self):
        verdict = self.page.index("Cheapest receive path")
        self.assertLess(verdict, self.page.index("<img"))
        # No comparison section in this file: the page must not pretend to statistics.
        self.assertIn("No paired statistics are available", self.page)

    def test_verdict_names_loss_of_the_cheapest(self):
        # iouring is cheapest per delivered packet here but lost packets at 200 kpps;
        # combined-list lost none.
        self.assertIn("Cheapest receive path by median: iouring", self.page)
        self.assertIn("the cheapest that lost none is combined-list", self.page)

    def test_failed_repetition_is_reported_not_drawn(self):
        self.assertIn("baseline: 1 repetition(s) failed", self.page)

    def test_context_has_what_reproduces_the_run(self):
        for text in ["GStreamer 1.22.0", "kernel", "rtpjitterbuffer latency=0", "high-rate",
                     "command line"]:
            self.assertIn(text, self.page)

    def test_command_line_is_shown_as_the_wrapper_command(self):
        from reports.html import sections
        self.assertEqual(sections.wrapper_command("/b/bazel-out/bin/harness/rxbench compare "
                                                  "--pipeline 'a ! b'"),
                         ("./rxbench compare --pipeline 'a ! b'",
                          "/b/bazel-out/bin/harness/rxbench"))
        self.assertEqual(sections.wrapper_command("rxbench run --strategy x"),
                         ("rxbench run --strategy x", None))

    def test_cli_usage_error_is_one_line_and_exit_2(self):
        code, _, err = capture.run(cli.main, ["--out", self.out])
        self.assertEqual(code, 2)
        self.assertEqual(len(err.strip().splitlines()), 1)
        self.assertTrue(err.startswith("rxbench: "))
        code, _, err = capture.run(cli.main, [os.path.join(self.out, "missing.json")])
        self.assertEqual(code, 2)
        self.assertIn("cannot read", err)

    def test_truncated_results_file_writes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(RESULTS) as f:
                text = f.read()
            truncated = os.path.join(tmp, "compare.json")
            with open(truncated, "w") as f:
                f.write(text[:len(text) // 2])   # as a run killed while writing would
            out = os.path.join(tmp, "report")
            code, printed, err = capture.run(cli.main, [truncated, "--out", out])
            self.assertEqual(code, 2)
            self.assertEqual(len(err.strip().splitlines()), 1, err)
            self.assertTrue(err.startswith(f"rxbench: {truncated} is not JSON: "), err)
            self.assertEqual(printed, "")
            self.assertFalse(os.path.exists(out))


def with_new_fields(doc):
    """The recorded file as the C++ writes it after issue 9: every new field derived from
    the recorded ones (thread_cpu from the per-thread CPU, jitter statistics from J)."""
    for b in doc["benchmarks"]:
        if b.get("run_type") != "iteration" or not b.get("ok"):
            continue
        threads = {"receiver": {"role": "receiver",
                                "cpu_ns_per_packet": b["cpu_ns_per_packet_receiver"]},
                   "generator": {"role": "generator",
                                 "cpu_ns_per_packet": b["generator_cpu_ns_per_packet"]}}
        for name, t in b["pipeline_thread_cpu"].items():
            threads[name] = {"role": "pipeline", **t}
        b["thread_cpu"] = threads
        b["unattributed_cpu_ns_per_packet"] = 0.05 * b["cpu_ns_per_packet_process"]
        j = b.get("jitter_rfc3550_us")
        for family in ("rfc3550", "d_abs"):
            for i, stat in enumerate(("mean", "p50", "p99", "max")):
                b[f"jitter_{family}_{stat}_us"] = None if j is None else j * (1 + i)
        b["generator_fell_behind"] = b["achieved_pps"] < 0.98 * b["offered_pps"]
    doc["context"]["command_line"] = "rxbench compare --scenario high-rate --repetitions 3"
    return doc


class NewFieldsAndTrendTest(unittest.TestCase):
    def setUp(self):
        self.out = self.enterContext(tempfile.TemporaryDirectory(prefix="report_test_new_"))

    def test_results_with_issue_9_fields_render(self):
        with open(RESULTS, encoding="utf-8") as f:
            doc = with_new_fields(json.load(f))
        path = os.path.join(self.out, "new.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        # One path, not a list: as `compare --report` hands it over.
        with open(cli.render(path, self.out), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("rxbench compare --scenario high-rate --repetitions 3", page)
        self.assertNotIn("does not write context.command_line", page)
        for stem in FIGURES:
            with open(os.path.join(self.out, stem + ".png"), "rb") as f:
                self.assertEqual(f.read(8), PNG_SIGNATURE, stem)

    def test_nothing_lost_is_a_sentence_not_an_empty_figure(self):
        import json
        from reports.html import fig_loss
        with open(RESULTS, encoding="utf-8") as f:
            doc = json.load(f)
        for b in doc["benchmarks"]:
            for field, _ in fig_loss.CATEGORIES:
                if field in b:
                    b[field] = 0
            if "packets_sent" in b:
                b["packets_delivered"] = b["packets_sent"]
        path = os.path.join(self.out, "lossless.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        with open(cli.render(path, self.out), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("No packet was lost", page)
        self.assertNotIn("loss.png", page)
        self.assertIn("<td>iouring</td>", page)   # the counts table is still there

    def test_trend_from_records(self):
        path = "cpu_ns_per_packet_receive_path"
        records = [{"commit": c, "time": t, "strategy": s, "metric": m, "value": v}
                   for c, t, s, m, v in [
                       ("a1b2c3d", "2026-11-20T10:00", "baseline", path, 5519),
                       ("e4f5a6b", "2026-11-21T10:00", "baseline", path, 5401),
                       ("a1b2c3d", "2026-11-20T10:00", "iouring", path, 3349),
                       ("e4f5a6b", "2026-11-21T10:00", "iouring", path, 3310),
                       ("e4f5a6b", "2026-11-21T10:00", "iouring", "latency_p99_ns", 21692400)]]
        with open(cli.render([RESULTS], self.out, trend_records=records), encoding="utf-8") as f:
            page = f.read()
        self.assertIn('src="trend.png"', page)
        with Image.open(os.path.join(self.out, "trend.png")) as image:
            image.verify()


if __name__ == "__main__":
    unittest.main()
