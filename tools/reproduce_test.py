"""tools/reproduce on small synthetic pages whose commands are real, cheap runs of
this build's harness: each figure is read from the results JSON and judged against
its interval only when the page gives one; a figure the JSON lacks is named, never
made up; the exit code says whether everything judged was inside. The checked-in
results pages must parse, and hold only commands the tool can rerun.

Usage (Bazel passes these): reproduce_test.py REPRODUCE WRAPPER HARNESS
"""
import glob
import os
import subprocess
import sys
import tempfile
import unittest

REPRODUCE, WRAPPER, HARNESS = (os.path.abspath(p) for p in sys.argv[1:4])
del sys.argv[1:4]

RUN_PAGE = """# A page

Text before.

```sh reproduce
./rxbench run --strategy null --packets 200 --repetitions 1 --out /nonexistent/dir/r.json
```
<!-- reproduce-figures
[{"strategy": "null", "metric": "unexplained_packets", "stat": "median", "old": 0, "interval": [0, 0]},
{"strategy": "null", "metric": "window_packets", "stat": "median", "old": 1, "interval": [1, 2]},
{"strategy": "null", "metric": "cpu_ns_per_packet_receive_path", "stat": "median", "old": 2000},
{"strategy": "null", "metric": "no_such_field", "stat": "median", "old": 5, "interval": [0, 10]}]
-->
"""

COMPARE_PAGE = """# Another

```sh reproduce
./rxbench compare --strategies baseline,null --packets 200 --repetitions 2
```
<!-- reproduce-figures
[{"strategy": "null", "metric": "delivered_fraction", "stat": "ratio", "old": 1.0, "interval": [1.0, 1.0]},
{"strategy": "baseline", "metric": "window_packets", "stat": "median", "old": 200, "interval": [200, 200]},
{"strategy": "iouring", "metric": "delivered_fraction", "stat": "ratio", "old": 1.0, "interval": [0.9, 1.1]}]
-->
"""


def reproduce(page_text, *extra):
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "page.md")
        with open(page, "w", encoding="utf-8") as f:
            f.write(page_text)
        env = dict(os.environ, RXBENCH_BIN=HARNESS, HOME=tmp, XDG_CACHE_HOME=tmp)
        r = subprocess.run([REPRODUCE, "--rxbench", WRAPPER, *extra, page], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=600)
    return r.returncode, r.stdout, r.stderr


def line_of(out, figure):
    lines = [line for line in out.splitlines() if line.strip().startswith(figure)]
    assert len(lines) == 1, (figure, out)
    return lines[0]


class ReproduceTest(unittest.TestCase):

    def test_each_figure_beside_the_new_one_and_judged_only_with_an_interval(self):
        code, out, err = reproduce(RUN_PAGE)
        self.assertIn("$ ./rxbench run --strategy null --packets 200", out)
        self.assertTrue(line_of(out, "null unexplained_packets (median)").endswith(" 0  inside"), out)
        # 200 packets measured: outside the page's [1, 2], and said so.
        self.assertTrue(line_of(out, "null window_packets (median)").endswith(" 200  OUTSIDE"), out)
        self.assertIn("shown, not judged", line_of(out, "null cpu_ns_per_packet_receive_path"))
        self.assertIn("not in the results JSON", line_of(out, "null no_such_field"))
        self.assertIn("2 figures judged, 1 outside their interval, 0 commands failed", out)
        self.assertEqual(code, 1, err)

    def test_compare_ratios_come_from_the_paired_statistics(self):
        code, out, err = reproduce(COMPARE_PAGE)
        self.assertTrue(line_of(out, "null delivered_fraction (ratio)").endswith(" 1  inside"), out)
        self.assertTrue(line_of(out, "baseline window_packets (median)").endswith(" 200  inside"), out)
        # A strategy the command did not run has no ratio: not compared, not a failure.
        self.assertIn("not in the results JSON", line_of(out, "iouring delivered_fraction (ratio)"))
        self.assertIn("2 figures judged, 0 outside their interval, 0 commands failed", out)
        self.assertEqual(code, 0, err)

    def test_a_failing_command_fails(self):
        code, out, _ = reproduce(COMPARE_PAGE.replace("baseline,null", "baseline,nope"))
        self.assertIn("failed (exit 2)", out)
        self.assertEqual(code, 1)

    def test_a_page_without_blocks_is_refused(self):
        code, _, err = reproduce("# Nothing to rerun\n\n```sh\n./rxbench compare\n```\n")
        self.assertEqual(code, 2)
        self.assertIn("no ```sh reproduce``` block", err)

    def test_the_results_pages_parse(self):
        pages = sorted(glob.glob("docs/results/*.md"))
        self.assertTrue(pages)
        marked = 0
        for page in pages:
            text = open(page, encoding="utf-8").read()
            if "```sh reproduce" not in text:
                continue
            marked += 1
            code, out, err = reproduce(text, "--dry-run")
            self.assertEqual(code, 0, f"{page}: {err}")
            self.assertEqual(out.count("$ ./rxbench"), text.count("```sh reproduce"), page)
        self.assertGreater(marked, 0)


if __name__ == "__main__":
    unittest.main()
