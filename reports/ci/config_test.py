import json
import os
import tempfile
import unittest

from reports.ci.config import DEFAULT, load_config, parse_config
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

    def test_errors_name_the_problem(self):
        cases = [
            ([], "expected a JSON object"),
            ({"threshold": {}}, "unknown key"),
            ({"thresholds": {"cpu": 0.05}}, "unknown metric 'cpu'"),
            ({"thresholds": {"latency_p50_ns": 5}}, "must be a fraction"),
            ({"thresholds": {"latency_p50_ns": True}}, "must be a fraction"),
            ({"alpha": 0.7}, "'alpha' must be in"),
        ]
        for data, message in cases:
            with self.assertRaisesRegex(UsageError, message, msg=str(data)):
                parse_config(data)
        with self.assertRaisesRegex(UsageError, "cannot read --config"):
            load_config("/nonexistent/rxbench-ci.json")


if __name__ == "__main__":
    unittest.main()
