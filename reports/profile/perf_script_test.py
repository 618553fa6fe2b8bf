"""The perf script parser on a recorded sample, into the right top functions per thread.

testdata/perf-script-combined-list.txt: 56 whole samples (30 rxrecv, 10 queue0:src,
6 src:src, 6 rtpjitterbuffer, 4 rxgen) cut from the middle of a real
`perf record -e cpu-clock --call-graph dwarf` of combined-list at 50 kpps, printed with
`perf script -F comm,tid,period,ip,sym,dso`. The expected numbers below were counted
from the text with awk, not with this parser.
"""
import json
import os
import unittest

from reports.profile import perf_script, stacks
from reports.results import catalogue
from reports.results.sample import LIST_JSON

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata",
                      "perf-script-combined-list.txt")


def load():
    with open(SAMPLE, encoding="utf-8") as f:
        return perf_script.parse(f.read())


class PerfScriptTest(unittest.TestCase):
    def test_samples_per_thread(self):
        counts = {}
        for s in load():
            counts[s.comm] = counts.get(s.comm, 0) + 1
        self.assertEqual(counts, {"rxrecv": 30, "queue0:src": 10, "src:src": 6,
                                  "rtpjitterbuffer": 6, "rxgen": 4})

    def test_frames_are_root_first_with_kernel_marked(self):
        first_rxrecv = next(s for s in load() if s.comm == "rxrecv")
        self.assertEqual(first_rxrecv.frames[0], "clone3")
        self.assertEqual(first_rxrecv.frames[1], "start_thread")
        self.assertEqual(first_rxrecv.frames[-1], "__slab_free [k]")
        self.assertEqual(first_rxrecv.period, 250000)

    def test_receiver_top_functions(self):
        folded = stacks.fold(load())["rxrecv"]
        top = stacks.top_functions(folded, n=3)
        # awk: leaf counts in rxrecv: __slab_free 5, then udp_recvmsg and _copy_to_iter 3 each.
        self.assertEqual(top[0].function, "__slab_free [k]")
        self.assertAlmostEqual(top[0].self_pct, 100 * 5 / 30)
        self.assertEqual({t.function for t in top[1:]}, {"udp_recvmsg [k]", "_copy_to_iter [k]"})
        udp = next(t for t in top if t.function == "udp_recvmsg [k]")
        self.assertAlmostEqual(udp.self_pct, 10.0)
        self.assertAlmostEqual(udp.total_pct, 100 * 13 / 30)  # 13 samples pass through it

    def test_total_counts_a_function_once_per_sample(self):
        folded = stacks.fold(load())["rxrecv"]
        shares = {t.function: t for t in stacks.top_functions(folded, n=100)}
        # Every receiver sample unwinds through the receive loop (DWARF unwinding).
        run = shares.get("rxbench::receivers::ReceiveLoop::Run")
        self.assertAlmostEqual(run.total_pct, 100.0)
        self.assertAlmostEqual(sum(t.self_pct for t in shares.values()), 100.0)

    def test_recursion_counts_once_in_total(self):
        folded = {("main", "f", "f", "g"): 1, ("main", "h"): 1}
        shares = {t.function: t for t in stacks.top_functions(folded, n=10)}
        self.assertAlmostEqual(shares["g"].total_pct, 50.0)
        self.assertNotIn("f", shares)  # never a leaf: no self time, not in the self ranking
        total_f = {t.function: t.total_pct for t in stacks.top_functions(
            {("main", "f", "f"): 1, ("main", "h"): 1}, n=10)}
        self.assertAlmostEqual(total_f["f"], 50.0)

    def test_unsymbolised_frames_are_named_after_their_library(self):
        library = "/usr/lib/x86_64-linux-gnu/libgstbase-1.0.so.0.2200.0"
        self.assertEqual(perf_script.frame_name("[unknown]", library), "[libgstbase-1.0.so]")
        self.assertEqual(perf_script.frame_name("[unknown]", "[unknown]"), "[unknown]")
        self.assertEqual(perf_script.frame_name("udp_recvmsg", "[kernel.kallsyms]"),
                         "udp_recvmsg [k]")

    def test_thread_roles_by_the_harness_rules(self):
        # The rules `rxbench list --json` states (harness/thread_roles.h).
        with open(LIST_JSON, encoding="utf-8") as f:
            rules = catalogue.from_json(json.load(f))
        self.assertEqual(stacks.role("rxrecv", "combined-list", rules), "receiver")
        self.assertEqual(stacks.role("rxnull", "null+gro", rules), "receiver")
        self.assertEqual(stacks.role("iou-wrk-4242", "iouring", rules), "receiver")
        self.assertEqual(stacks.role("src:src", "combined-list", rules), "pipeline")
        self.assertEqual(stacks.role("src:src", "udpsrc", rules), "receiver")
        self.assertEqual(stacks.role("rxgen", "udpsrc", rules), "generator")
        self.assertEqual(stacks.role("rxbench", "pooled+buffer=freelist", rules), "harness")
        self.assertEqual(stacks.role("timer", "pooled+buffer=freelist", rules), "pipeline")
        # Results older than the catalogue: unknown, not guessed.
        self.assertIsNone(stacks.role("rxrecv", "combined-list", None))

    def test_folded_text_is_flamegraph_format(self):
        folded = stacks.fold(load())["src:src"]
        lines = stacks.folded_text(folded).splitlines()
        self.assertEqual(sum(int(line.rsplit(" ", 1)[1]) for line in lines), 6 * 250000)
        self.assertTrue(all(line.startswith("clone3;start_thread;") for line in lines))


if __name__ == "__main__":
    unittest.main()
