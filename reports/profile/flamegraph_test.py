"""The flame graph: a box per frame, widths proportional to samples, names escaped."""
import os
import unittest
import xml.etree.ElementTree as ET

from reports.profile import flamegraph, perf_script, stacks

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata",
                      "perf-script-combined-list.txt")
SVG = "{http://www.w3.org/2000/svg}"


def boxes(svg_text):
    """{frame name: [width]} of every frame box, from the box's <title>."""
    root = ET.fromstring(svg_text)
    out = []
    for g in root.iter(f"{SVG}g"):
        rect = g.find(f"{SVG}rect")
        if rect is not None and rect.get("class") == "frame":
            title = g.find(f"{SVG}title").text
            out.append((title.rsplit(" (", 1)[0], float(rect.get("width"))))
    return out


class FlameGraphTest(unittest.TestCase):
    def test_a_box_per_frame(self):
        stacks_ = {("main", "a", "x"): 3, ("main", "a", "y"): 1, ("main", "b"): 4}
        drawn = boxes(flamegraph.svg(stacks_, "t", width=820))
        # all, main, main;a, main;a;x, main;a;y, main;b
        self.assertEqual(sorted(n for n, _ in drawn), ["a", "all", "b", "main", "x", "y"])
        widths = dict(drawn)
        self.assertAlmostEqual(widths["all"], 800)          # width - 2 * padding
        self.assertAlmostEqual(widths["a"], 400)            # 4 of 8 samples
        self.assertAlmostEqual(widths["x"], 300)
        self.assertAlmostEqual(widths["b"], 400)

    def test_the_same_function_under_two_callers_is_two_boxes(self):
        drawn = boxes(flamegraph.svg({("a", "f"): 1, ("b", "f"): 1}, "t"))
        self.assertEqual(sorted(n for n, _ in drawn).count("f"), 2)

    def test_recorded_receiver_has_one_box_per_call_path(self):
        with open(SAMPLE, encoding="utf-8") as f:
            folded = stacks.fold(perf_script.parse(f.read()))["rxrecv"]
        drawn = boxes(flamegraph.svg(folded, "combined-list rxrecv"))
        self.assertEqual(len(drawn), flamegraph.count_frames(folded))
        self.assertGreater(len(drawn), 30)
        # Every frame gets a box however narrow (here 40 px for 30 samples).
        self.assertEqual(len(boxes(flamegraph.svg(folded, "narrow", width=60))),
                         flamegraph.count_frames(folded))

    def test_names_are_escaped(self):
        name = 'std::vector<int>::operator[] & "x"'
        text = flamegraph.svg({(name,): 10}, "<title>")
        ET.fromstring(text)  # well-formed XML despite <, >, &, quotes in names
        self.assertIn("std::vector&lt;int&gt;", text)
        self.assertNotIn("<int>", text)
        self.assertEqual([n for n, _ in boxes(text)], ["all", name])


if __name__ == "__main__":
    unittest.main()
