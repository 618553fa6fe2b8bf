"""`rxbench profile` without perf: it says why, then shows the harness's phase timing.

The perf path itself needs perf and a real harness, so it is exercised by hand (see the
README); what can break silently is the fallback, tested here with a fake harness.
"""
import json
import os
import tempfile
import unittest
from unittest import mock

from reports.html import capture
from reports.profile import cli, perf_check
from reports.results import catalogue
from reports.results.sample import LIST_JSON

with open(LIST_JSON, encoding="utf-8") as f:
    CATALOGUE = catalogue.from_json(json.load(f))

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sweep", "testdata",
                    "fake_harness.py")


class ProfileFallbackTest(unittest.TestCase):
    def setUp(self):
        self.tmp = self.enterContext(tempfile.TemporaryDirectory(prefix="profile_cli_test_"))
        self.enterContext(mock.patch.dict(os.environ, {
            "RXBENCH_HARNESS": FAKE, "FAKE_LOG": os.path.join(self.tmp, "calls.log")}))
        self.enterContext(mock.patch.object(perf_check, "unusable_reason",
                                            return_value="perf is not installed (test)"))

    def profile(self, *argv):
        out = os.path.join(self.tmp, "out")
        code, _, err = capture.run(cli.main, list(argv) + ["--out", out])
        return code, out, err

    def test_says_why_and_shows_phase_timing(self):
        code, out, err = self.profile("--strategy", "a,b", "--rate", "20000")
        self.assertEqual(code, 0)
        self.assertIn("perf is unusable here: perf is not installed (test)", err)
        with open(os.path.join(out, "profile.json"), encoding="utf-8") as f:
            doc = json.load(f)["profile"]
        self.assertEqual(doc["method"], "phase-timing")
        self.assertEqual(doc["strategies"][0]["phase_ns_per_packet"]["push"], 1200.0)
        with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("perf is unusable here: perf is not installed (test)", page)
        self.assertIn("phases.png", page)
        with open(os.path.join(out, "phases.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_a_harness_without_phase_timing_is_one_clear_line(self):
        os.environ["FAKE_NO_PHASE_TIMING"] = "1"
        code, _, err = self.profile("--strategy", "a")
        self.assertEqual(code, 2)
        last = err.strip().splitlines()[-1]
        self.assertTrue(last.startswith("rxbench: perf is unusable (perf is not installed"), last)
        self.assertIn("rejected --phase-timing", last)

    def test_options_it_sets_cannot_be_forwarded(self):
        code, _, err = self.profile("--strategy", "a", "--repetitions", "3")
        self.assertEqual(code, 2)
        self.assertIn("--repetitions is set by this command", err)


class ProfilePageTest(unittest.TestCase):
    """The perf path after recording: a recorded `perf script` sample to a page."""

    def test_recorded_sample_renders_side_by_side(self):
        from reports.html import report
        from reports.profile import perf_script
        sample = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata",
                              "perf-script-combined-list.txt")
        with open(sample, encoding="utf-8") as f:
            samples = perf_script.parse(f.read())
        out = self.enterContext(tempfile.TemporaryDirectory(prefix="profile_page_test_"))
        entries = []
        for strategy in ("combined-list", "<b>copy</b>"):  # a hostile name, too
            directory = os.path.join(out, "s%d" % len(entries))
            os.makedirs(directory)
            entry = {"strategy": strategy, "packets_delivered": 1000}
            entry.update(cli.thread_profiles(strategy, samples, directory, top=5,
                                             found_catalogue=CATALOGUE))
            entries.append(entry)
        doc = {"profile": {"method": "perf", "event": "cpu-clock", "unwinding": "dwarf",
                           "frequency_hz": 4000, "strategies": entries}}
        with open(report.render(out, profile=doc), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("Top functions, thread by thread", page)
        self.assertEqual(page.count('src="s0/flame-rxrecv.svg"'), 1)
        self.assertEqual(page.count('src="s1/flame-rxrecv.svg"'), 1)
        self.assertIn("__slab_free [k]", page)
        self.assertNotIn("<b>copy</b>", page)
        # rxgen is recorded but not part of the receive path: a note, not a row.
        self.assertIn("rxgen (generator) 4 samples", page)
        for name in ("rxrecv", "queue0_src", "src_src", "rtpjitterbuffer"):
            self.assertTrue(os.path.exists(os.path.join(out, "s0", f"flame-{name}.svg")))


if __name__ == "__main__":
    unittest.main()
