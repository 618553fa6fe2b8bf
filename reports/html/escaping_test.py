"""Every string that reaches the page is escaped: hostile names stay text."""
import json
import os
import tempfile
import unittest

from reports.html import cli
from reports.html.page import Safe, el, prose

TESTDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata")
HOSTILE = '<script>alert("x")</script>'


class EscapingTest(unittest.TestCase):
    def setUp(self):
        self.out = self.enterContext(tempfile.TemporaryDirectory(prefix="escaping_test_"))

    def test_strategy_named_script_stays_text(self):
        with open(os.path.join(TESTDATA, "compare-high-rate.json"), encoding="utf-8") as f:
            doc = json.load(f)
        for b in doc["benchmarks"]:
            if b.get("strategy") == "combined-list":
                b["strategy"] = HOSTILE
        # Context strings too: they are printed verbatim in the context section.
        doc["context"]["command_line"] = "rxbench compare --pipeline \"<b>x</b> & 'y'\""
        doc["context"]["host_name"] = "<img src=x onerror=alert(1)>"
        path = os.path.join(self.out, "hostile.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)

        with open(cli.render([path], self.out), encoding="utf-8") as f:
            page = f.read()
        self.assertNotIn("<script", page)
        self.assertNotIn("<img src=x", page)
        self.assertNotIn("<b>x</b>", page)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", page)
        self.assertIn("&lt;b&gt;x&lt;/b&gt; &amp; &#x27;y&#x27;", page)
        # The name is also in the figures' legends and tick labels: SVG is XML too.
        for name in os.listdir(self.out):
            if name.endswith(".svg"):
                with open(os.path.join(self.out, name), encoding="utf-8") as f:
                    self.assertNotIn("<script", f.read(), name)

    def test_attributes_are_escaped_and_safe_html_is_not_escaped_twice(self):
        self.assertEqual(el("a", "<", href='x" onclick="y'),
                         '<a href="x&quot; onclick=&quot;y">&lt;</a>')
        inner = el("b", "&")
        self.assertIsInstance(inner, Safe)
        self.assertEqual(el("p", inner), "<p><b>&amp;</b></p>")
        # Backticks become <code>, and what is inside is still escaped.
        self.assertEqual(prose("run `a<b>` & go"), "run <code>a&lt;b&gt;</code> &amp; go")


if __name__ == "__main__":
    unittest.main()
