"""The callgrind reader on hand-written files whose sums were worked out by hand (see
the comments in testdata/compressed.callgrind)."""
import os
import shutil
import tempfile
import unittest

from reports.exact import callgrind

HERE = os.path.dirname(os.path.abspath(__file__))
COMPRESSED = os.path.join(HERE, "testdata", "compressed.callgrind")
GST_UNNAMED = "0x0000000000012340 [libgstbase-1.0.so.0]"


class Compressed(unittest.TestCase):
    def setUp(self) -> None:
        self.profile = callgrind.read_file(COMPRESSED)

    def test_header(self) -> None:
        self.assertEqual(self.profile.thread, 2)
        self.assertEqual(self.profile.pid, 4242)
        self.assertEqual(self.profile.events, ["Ir", "sysCount", "sysTime", "sysCpuTime"])
        self.assertEqual(self.profile.triggers, ["Client Request: window"])

    def test_self_costs_through_compressed_names(self) -> None:
        self.assertEqual(self.profile.self_cost["Loop()"], {"Ir": 150})
        self.assertEqual(self.profile.self_cost["malloc"], {"Ir": 90})
        self.assertEqual(self.profile.self_cost["recvfrom"],
                         {"Ir": 80, "sysCount": 4, "sysTime": 1000, "sysCpuTime": 900})
        # Work()'2, callgrind's copy for the recursion, is folded into Work().
        self.assertEqual(self.profile.self_cost["Work()"], {"Ir": 300})
        self.assertNotIn("Work()'2", self.profile.functions())

    def test_an_unnamed_function_is_named_with_its_library(self) -> None:
        self.assertEqual(self.profile.self_cost[GST_UNNAMED], {"Ir": 7})
        self.assertEqual(self.profile.objects["malloc"], "/usr/lib/x86_64-linux-gnu/libc.so.6")

    def test_totals(self) -> None:
        self.assertEqual(self.profile.total("Ir"), 627)
        self.assertEqual(self.profile.total("sysCount"), 4)

    def test_call_edges_with_counts_and_caller_lines(self) -> None:
        calls = self.profile.calls
        self.assertEqual(calls[("Loop()", "malloc")].count, 3)
        # Line 12: "10", a jump's "*" source line (no cost), "+2"; the call's "*" stays.
        self.assertEqual(calls[("Loop()", "malloc")].lines, {12})
        self.assertEqual(calls[("Loop()", "Work()")].count, 2)
        self.assertEqual(calls[("Loop()", "Work()")].lines, {13})
        self.assertEqual(calls[("Work()", "recvfrom")].count, 4)
        self.assertEqual(calls[("Work()", "Work()")].count, 1)

    def test_inclusive_costs_from_the_call_graph(self) -> None:
        inclusive = self.profile.inclusive()
        self.assertEqual(inclusive["Work()"]["Ir"], 380)   # 300 + 80, recursion not twice
        self.assertEqual(inclusive["Loop()"]["Ir"], 620)   # 150 + 90 + 380
        self.assertEqual(inclusive["Loop()"]["sysCount"], 4)
        self.assertEqual(inclusive["malloc"]["Ir"], 90)

    def test_symbol_versions_are_dropped(self) -> None:
        profile = callgrind.read_text("events: Ir\nfn=(1) pthread_mutex_lock@@GLIBC_2.2.5\n1 5\n")
        self.assertEqual(profile.self_cost, {"pthread_mutex_lock": {"Ir": 5}})

    def test_a_file_cut_short_is_refused(self) -> None:
        with self.assertRaisesRegex(callgrind.FormatError, "totals"):
            callgrind.read_file(os.path.join(HERE, "testdata", "truncated.callgrind"))

    def test_an_undefined_name_id_is_refused(self) -> None:
        with self.assertRaisesRegex(callgrind.FormatError, r"fn=\(3\) used before"):
            callgrind.read_text("events: Ir\nfn=(3)\n1 5\n")


class SeparateThreads(unittest.TestCase):
    """callgrind --separate-threads=yes writes callgrind.out.<pid>[.<dump>]-<thread>."""

    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.out = os.path.join(tmp.name, "callgrind.out.4242")
        # Thread 2 in two dumps: the window dump and the end-of-run one.
        shutil.copy(COMPRESSED, self.out + ".1-02")
        shutil.copy(COMPRESSED, self.out + "-02")
        with open(self.out + "-01", "w", encoding="utf-8") as f:
            f.write("# callgrind format\nthread: 1\nevents: Ir sysCount\n"
                    "fn=(1) main\n5 11\ncfn=(2) write\ncalls=1 0\n5 9 1\n"
                    "fn=(2)\n0 9 1\ntotals: 20 1\n")
        # callgrind leaves <out> itself empty; the others belong to no dump of this run.
        for name in ("callgrind.out.4242", "callgrind.out.4242.log", "callgrind.out.42420-01"):
            open(os.path.join(tmp.name, name), "w", encoding="utf-8").close()

    def test_dump_files_of_one_run(self) -> None:
        names = [os.path.basename(p) for p in callgrind.dump_files(self.out)]
        self.assertEqual(names, ["callgrind.out.4242-01", "callgrind.out.4242-02",
                                 "callgrind.out.4242.1-02"])

    def test_a_thread_is_the_sum_of_its_dumps(self) -> None:
        threads = callgrind.read_threads(callgrind.dump_files(self.out))
        self.assertEqual(sorted(threads), [1, 2])
        self.assertEqual(threads[2].total("Ir"), 2 * 627)
        self.assertEqual(threads[2].calls[("Loop()", "malloc")].count, 6)
        self.assertEqual(threads[2].inclusive()["Loop()"]["Ir"], 2 * 620)
        self.assertEqual(threads[1].total("Ir"), 20)
        self.assertEqual(threads[1].self_cost["write"], {"Ir": 9, "sysCount": 1})


if __name__ == "__main__":
    unittest.main()
