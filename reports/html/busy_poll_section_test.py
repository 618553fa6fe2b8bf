"""The busy-poll trade-off on the report page, from the section analyze-compare writes."""
import contextlib
import io
import json
import os
import tempfile
import unittest

from reports.analyze import cli as analyze
from reports.html import cli
from reports.results import synthetic


def compare_json(directory, gained):
    """A compare.json as analyze-compare leaves it: baseline, slow, iouring and
    iouring+wait=napi (12 repetitions each, the napi one `gained` µs lower in p50)."""
    data = synthetic.two_strategies(1.0, reference="iouring", candidate="iouring+wait=napi")
    for entry, gain in zip([e for e in data["benchmarks"]
                            if e["strategy"] == "iouring+wait=napi"], gained):
        entry["latency_p50_ns"] -= 1000 * gain
        entry["cpu_ns_per_packet_receive_path"] += 500.0
    data["benchmarks"] += synthetic.two_strategies(1.2)["benchmarks"]
    out_file = os.path.join(directory, "compare.json")
    data["context"]["invocation"] = {"command": "compare", "reference": "baseline",
                                     "out_file": out_file}
    handoff = os.path.join(directory, "handoff.json")
    with open(handoff, "w") as f:
        json.dump(data, f)
    with contextlib.redirect_stdout(io.StringIO()):
        analyze.main([handoff])
    return out_file


class BusyPollSection(unittest.TestCase):
    def render(self, path, directory):
        with open(cli.render([path], os.path.join(directory, "report")),
                  encoding="utf-8") as f:
            return f.read()

    def test_pair_with_its_figures_and_words(self):
        with tempfile.TemporaryDirectory() as d:
            page = self.render(compare_json(d, [3.0, -3.0] * 6), d)
        self.assertIn("Busy polling: latency gained per extra CPU", page)
        self.assertIn("iouring+wait=napi vs iouring, 12 pairs", page)
        self.assertIn("+500 [+500, +500]", page)
        self.assertIn("no latency gained", page)

    def test_no_section_without_a_wait_pair(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "plain.json")
            with open(path, "w") as f:
                json.dump(synthetic.two_strategies(1.2), f)
            self.assertNotIn("Busy polling", self.render(path, d))


if __name__ == "__main__":
    unittest.main()
