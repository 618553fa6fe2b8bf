import json
import os
import tempfile
import unittest

from reports.ci.config import DEFAULT, load_config, parse_config
from reports.ci.rule import Rule
from reports.usage import UsageError


class Config(unittest.TestCase):
    def test_defaults(self):
        self.assertEqual(load_config(None), DEFAULT)
        self.assertEqual(DEFAULT.thresholds, {"cpu_ns_per_packet_receive_path": 0.05})
        self.assertEqual(DEFAULT.alpha, 0.01)
        self.assertAlmostEqual(DEFAULT.confidence, 0.99)

    def test_file_replaces_thresholds(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "rxbench-ci.json")
            with open(path, "w") as f:
                json.dump({"thresholds": {"delivered_fraction": 0.001,
                                          "latency_p99_ns": 0.2}, "alpha": 0.05}, f)
            config = load_config(path)
        self.assertEqual(config.thresholds, {"delivered_fraction": 0.001,
                                             "latency_p99_ns": 0.2})
        self.assertEqual(config.alpha, 0.05)

    def test_rule_ignores_below_two_fifths_of_the_threshold_unless_told(self):
        self.assertEqual(DEFAULT.rule("cpu_ns_per_packet_receive_path"),
                         Rule(threshold=0.05, ignore_below=0.02, alpha=0.01))
        self.assertIsNone(DEFAULT.rule("latency_p50_ns"))    # not gated
        config = parse_config({"thresholds": {"latency_p50_ns": 0.1, "latency_p99_ns": 0.2},
                               "ignore_below": {"latency_p50_ns": 0.0}})
        self.assertEqual(config.rule("latency_p50_ns"), Rule(0.1, 0.0, 0.01))
        self.assertAlmostEqual(config.rule("latency_p99_ns").ignore_below, 0.08)

    def test_errors_name_the_problem(self):
        cases = [
            ([], "expected a JSON object"),
            ({"threshold": {}}, "unknown key"),
            ({"thresholds": {"cpu": 0.05}}, "unknown metric 'cpu'"),
            ({"thresholds": {"latency_p50_ns": 5}}, "must be a fraction"),
            ({"thresholds": {"latency_p50_ns": True}}, "must be a fraction"),
            ({"alpha": 0.7}, "'alpha' must be in"),
            ({"ignore_below": {"latency_p50_ns": 0.01}},
             "ignore_below of 'latency_p50_ns', which has no threshold"),
            ({"ignore_below": {"cpu_ns_per_packet_receive_path": 0.06}},
             "ignore_below of cpu_ns_per_packet_receive_path must be a fraction from 0 to "
             "its threshold 0.05; got 0.06"),
            ({"ignore_below": [0.01]}, "'ignore_below' must map"),
        ]
        for data, message in cases:
            with self.assertRaisesRegex(UsageError, message, msg=str(data)):
                parse_config(data)
        with self.assertRaisesRegex(UsageError, "cannot read --config"):
            load_config("/nonexistent/rxbench-ci.json")


if __name__ == "__main__":
    unittest.main()
