"""Thread names that survive repetitions, and stable colours."""
import json
import unittest

from reports.html import palette, threads
from reports.results.sample import LIST_JSON


class ThreadsTest(unittest.TestCase):
    def test_element_numbers_do_not_split_a_thread_across_repetitions(self):
        self.assertEqual(threads.stable_names(["src", "queue7", "rtpjitterbuffer7"]),
                         {"src": "src", "queue7": "queue", "rtpjitterbuffer7": "rtpjitterbuffer"})
        # Two queues in one run keep their order, by number, not by text.
        self.assertEqual(threads.stable_names(["queue10", "queue9"]),
                         {"queue9": "queue0", "queue10": "queue1"})

    def test_old_results_derive_unattributed_from_process_time(self):
        run = {"cpu_ns_per_packet_receiver": 100.0, "cpu_ns_per_packet_pipeline": 50.0,
               "cpu_ns_per_packet_receive_path": 150.0, "cpu_ns_per_packet_process": 400.0,
               "generator_cpu_ns_per_packet": 100.0, "packets_sent": 200, "packets_delivered": 100,
               "pipeline_thread_cpu": {"queue3": {"cpu_ns_per_packet": 50.0}}}
        # 400 - 150 - 100 ns per *sent* packet x 2 sent per delivered = 50.
        self.assertEqual(threads.components(run),
                         {"receiver": 100.0, "queue": 50.0, "unattributed": 50.0})

    def test_new_results_use_thread_roles(self):
        run = {"thread_cpu": {
            "receiver": {"role": "receiver", "cpu_ns_per_packet": 10.0},
            "src": {"role": "pipeline", "cpu_ns_per_packet": 5.0},
            "pipeline:timer": {"role": "pipeline", "cpu_ns_per_packet": 1.0},
            "generator": {"role": "generator", "cpu_ns_per_packet": 99.0}},
            "unattributed_cpu_ns_per_packet": 2.0}
        self.assertEqual(threads.components(run),
                         {"receiver": 10.0, "src": 5.0, "pipeline:timer": 1.0, "unattributed": 2.0})


class PaletteTest(unittest.TestCase):
    def setUp(self):
        # The harness's strategies and roles, as `rxbench list --json` has them.
        with open(LIST_JSON, encoding="utf-8") as f:
            self.catalogue = [(s["name"], s["role"]) for s in json.load(f)["strategies"]]

    def test_a_preset_keeps_its_colour_whatever_else_is_in_the_report(self):
        a = palette.colours(["iouring", "baseline"], self.catalogue)
        b = palette.colours(["null", "baseline", "combined-list", "iouring",
                             "pooled+buffer=freelist", "null+gro"], self.catalogue)
        self.assertEqual(a["iouring"], b["iouring"])
        self.assertEqual(len(set(b.values())), len(b))

    def test_every_floor_is_a_grey(self):
        floors = [name for name, role in self.catalogue if role == "floor"]
        self.assertEqual(sorted(floors), ["null", "null+gro"])
        got = palette.colours(floors, self.catalogue)
        self.assertEqual(sorted(got.values()), sorted(palette.FLOOR_GREYS[:2]))

    def test_without_a_catalogue_names_take_colours_in_sorted_order(self):
        # Results older than the catalogue: reproducible, distinct, none a floor grey.
        got = palette.colours(["null", "baseline"])
        self.assertEqual(got, {"baseline": palette.EXTRA_COLOURS[0],
                               "null": palette.EXTRA_COLOURS[1]})


if __name__ == "__main__":
    unittest.main()
