"""One interval method in everything a user sees: the error bar the report draws
around a strategy's median is the interval the gate reports for the same numbers."""
import unittest

from matplotlib.container import ErrorbarContainer

from reports.html import fig_cpu, load
from reports.stats.paired import compare_paired

PATH_KEY = "cpu_ns_per_packet_receive_path"
VALUES = [100.0, 103.0, 98.0, 110.0, 95.0, 101.0, 99.0, 104.0, 97.0, 120.0]


class OneIntervalTest(unittest.TestCase):
    def test_the_page_draws_the_interval_the_gate_reports(self):
        results = load.Results(strategies=["s"], base_name={"s": "s"}, file_of={"s": 0},
                               runs={"s": [{PATH_KEY: v, "cpu_ns_per_packet_receiver": v}
                                           for v in VALUES]})
        fig = fig_cpu.draw(results, {"s": "#1f77b4"})
        bars = [c for c in fig.axes[0].containers if isinstance(c, ErrorbarContainer)]
        (segment,) = bars[0].lines[2][0].get_segments()
        drawn = (float(segment[0][1]), float(segment[1][1]))
        # The gate's paired interval of B/A with every A = 1 is the interval of B's median.
        gate = compare_paired([1.0] * len(VALUES), VALUES)
        self.assertEqual(drawn, (gate.ci_low, gate.ci_high))


if __name__ == "__main__":
    unittest.main()
