"""The opening verdicts: from a comparison section when there is one, else medians only."""
import json
import os
import tempfile
import unittest

from reports.html import load, verdicts
from reports.results.catalogue import NO_CATALOGUE_NOTE
from reports.results.sample import LIST_JSON

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")
RESULTS = os.path.join(TESTDATA, "compare-high-rate.json")


def recorded():
    """The recording (older than the strategy catalogue) with the catalogue the harness
    writes today (`rxbench list --json`): the roles come from there, as in a new file."""
    with open(RESULTS, encoding="utf-8") as f:
        doc = json.load(f)
    with open(LIST_JSON, encoding="utf-8") as f:
        listed = json.load(f)
    doc["context"]["catalogue"] = {k: v for k, v in listed.items()
                                   if k not in ("scenarios", "default_pipeline")}
    return doc


def write(tmpdir, doc, name):
    path = os.path.join(tmpdir, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    return path


def with_comparison(tmpdir, rows):
    """The recorded file plus a comparison section in the contract's schema."""
    doc = recorded()
    doc["comparison"] = {
        "reference": "baseline", "design": "paired", "alpha": 0.05, "confidence": 0.95,
        "metrics": [{"key": "cpu_ns_per_packet_receive_path", "label": "receive-path CPU",
                     "unit": "ns/packet", "better": "lower"}],
        "rows": rows, "geomean": {"cpu_ns_per_packet_receive_path": 0.79},
        "warnings": ["baseline: 1 of 3 repetitions failed; its pairs are left out"]}
    return write(tmpdir, doc, "with-comparison.json")


def row(strategy, ratio, low, high, p, verdict, needed=None):
    return {"strategy": strategy, "metric": "cpu_ns_per_packet_receive_path", "n": 2,
            "reference_median": 5519.0, "median": 5519.0 * ratio, "median_ratio": ratio,
            "ci_low": low, "ci_high": high, "p_value": p, "verdict": verdict,
            "needed_repetitions": needed}


class VerdictsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = self.enterContext(tempfile.TemporaryDirectory(prefix="verdicts_test_"))

    def test_without_comparison_says_no_statistics_and_uses_medians(self):
        v = verdicts.build(load.load([write(self.tmp, recorded(), "r.json")]))
        self.assertIn("No paired statistics are available", v.headline[0])
        self.assertIn("iouring", v.headline[1])
        self.assertIn("ratio of medians", v.headline[1])
        strategies = [r[0] for r in v.rows]
        self.assertEqual(strategies, ["baseline", "combined-list", "iouring", "udpsrc", "null"])
        # The failed repetition is named, and not counted in n.
        self.assertEqual(v.rows[0][1], "2")
        self.assertTrue(any("failed" in n for n in v.notes))

    def test_with_comparison_states_interval_p_and_verdict(self):
        rows = [row("combined-list", 0.70, 0.66, 0.74, 0.0004, "faster"),
                row("iouring", 0.61, 0.55, 0.68, 0.002, "faster"),
                row("udpsrc", 0.94, 0.80, 1.10, 0.42, "no significant change"),
                row("null", 0.25, 0.24, 0.26, 0.001, "faster")]
        v = verdicts.build(load.load([with_comparison(self.tmp, rows)]))
        text = v.headline[0]
        # null is the floor, never "cheapest"; iouring has the lowest ratio of the rest.
        self.assertIn("Cheapest receive path: iouring, 0.61× baseline", text)
        self.assertIn("[0.55, 0.68]", text)
        self.assertIn("p = 0.002", text)
        self.assertIn("paired, n = 2", text)
        # It lost packets in this recording: the loss-free runner-up is named.
        self.assertIn("the cheapest that lost none is combined-list, 0.70× baseline (p < 0.001",
                      text)
        self.assertEqual(len(v.rows), 4)
        self.assertIn("no significant change", v.rows[2][-1])
        self.assertTrue(any("Geometric mean" in n for n in v.notes))
        self.assertTrue(any("repetitions failed" in n for n in v.notes))

    def test_no_floor_is_ever_cheapest(self):
        # null+gro is a floor too (its role, from the harness), not only null.
        rows = [row("iouring", 0.61, 0.55, 0.68, 0.002, "faster"),
                row("null+gro", 0.20, 0.19, 0.21, 0.001, "faster"),
                row("null", 0.25, 0.24, 0.26, 0.001, "faster")]
        v = verdicts.build(load.load([with_comparison(self.tmp, rows)]))
        self.assertIn("Cheapest receive path: iouring, 0.61× baseline", v.headline[0])

    def test_a_file_without_the_catalogue_is_read_with_a_note(self):
        # Older than the roles: nothing is taken for a floor, and the page says why.
        v = verdicts.build(load.load([RESULTS]))
        self.assertIn("Cheapest receive path by median: null", v.headline[1])
        self.assertIn(f"These results were {NO_CATALOGUE_NOTE}.", v.notes)
        v = verdicts.build(load.load([write(self.tmp, recorded(), "r.json")]))
        self.assertFalse(any(NO_CATALOGUE_NOTE in n for n in v.notes))

    def test_too_few_repetitions_says_how_many_are_needed(self):
        rows = [row("combined-list", 0.97, 0.85, 1.12, 0.5, "too few repetitions", needed=14)]
        v = verdicts.build(load.load([with_comparison(self.tmp, rows)]))
        self.assertIn("too few repetitions", v.headline[0])
        self.assertIn("About 14 repetitions", v.headline[0])

    def test_two_files_keep_their_runs_apart(self):
        results = load.load([RESULTS, RESULTS])
        self.assertIn("baseline [1]", results.strategies)
        self.assertIn("baseline [2]", results.strategies)
        self.assertEqual(results.label_of("iouring", 1), "iouring [2]")


if __name__ == "__main__":
    unittest.main()
