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

    def test_lost_packets_are_the_loss_accounts(self):
        # The C++ account: sent = delivered + kernel_drops + malformed + truncated
        # + pipeline_drops + in_flight_at_stop + unexplained. Malformed and truncated
        # packets arrived (and were rejected); lost are the drops and the unexplained.
        run = {"packets_sent": 100, "packets_delivered": 80, "kernel_drops": 5,
               "malformed": 3, "truncated": 2, "pipeline_drops": 4, "in_flight_at_stop": 5,
               "unexplained_packets": 1}
        self.assertEqual(metrics.lost_packets(run), 5 + 4 + 1)
        only_rejected = {"packets_sent": 10, "packets_delivered": 7, "malformed": 2,
                         "truncated": 1}
        self.assertEqual(metrics.lost_packets(only_rejected), 0)

    def test_directions(self):
        self.assertTrue(metrics.DELIVERED_FRACTION.higher_is_better)
        self.assertFalse(metrics.RECEIVE_PATH_CPU.higher_is_better)
        self.assertEqual(metrics.lookup("syscalls_per_packet").better, "lower")
        self.assertIs(metrics.lookup("latency_p99_ns"), metrics.LATENCY_P99)


if __name__ == "__main__":
    unittest.main()
