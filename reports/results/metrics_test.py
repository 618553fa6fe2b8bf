import unittest

from reports.results import metrics


class Metrics(unittest.TestCase):
    def test_delivered_fraction(self):
        self.assertEqual(metrics.delivered_fraction(
            {"packets_sent": 400, "packets_delivered": 300}), 0.75)
        self.assertIsNone(metrics.delivered_fraction({"packets_sent": 0,
                                                      "packets_delivered": 0}))

    def test_lost_packets_leaves_out_in_flight(self):
        self.assertEqual(metrics.lost_packets(
            {"packets_sent": 100, "packets_delivered": 90, "in_flight_at_stop": 4}), 6)
        self.assertEqual(metrics.lost_packets({"packets_sent": 100,
                                               "packets_delivered": 100}), 0)
        self.assertIsNone(metrics.lost_packets({}))

    def test_directions(self):
        self.assertTrue(metrics.DELIVERED_FRACTION.higher_is_better)
        self.assertFalse(metrics.RECEIVE_PATH_CPU.higher_is_better)
        self.assertEqual(metrics.lookup("syscalls_per_packet").better, "lower")
        self.assertIs(metrics.lookup("latency_p99_ns"), metrics.LATENCY_P99)


if __name__ == "__main__":
    unittest.main()
