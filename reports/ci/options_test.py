"""`rxbench ci` option parsing: what is ci's, what goes to the harness unchanged."""
import unittest

from reports.ci.options import DEFAULT_REPETITIONS, parse
from reports.usage import UsageError


class Parse(unittest.TestCase):
    def test_scenario_options_pass_through_unchanged(self):
        args = parse(["--against", "v1", "--scenario", "high-rate", "--rcvbuf=16777216",
                      "--cpu-receiver", "1", "--inject-cost-ns", "200"])
        self.assertEqual(args.scenario, ["--scenario", "high-rate", "--rcvbuf=16777216",
                                         "--cpu-receiver", "1", "--measure", "minimal"])
        self.assertEqual(args.inject_cost_ns, 200)   # ci's own: not in the scenario
        self.assertEqual(args.strategy_list, ["combined-list", "iouring"])
        self.assertEqual(args.repetitions, DEFAULT_REPETITIONS)
        self.assertTrue(args.record)

    def test_no_abbreviations(self):
        # "--rep" is not --repetitions: it goes to the harness, which rejects it.
        args = parse(["--calibrate", "--rep", "3", "--measure", "full"])
        self.assertEqual(args.repetitions, DEFAULT_REPETITIONS)
        self.assertEqual(args.scenario, ["--rep", "3", "--measure", "full"])

    def test_modes(self):
        self.assertIsNone(parse(["--save-baseline", "n"]).against)
        self.assertFalse(parse(["--baseline", "history:3", "--no-record"]).record)
        for argv in ([], ["--against", "a", "--baseline", "b"],
                     ["--calibrate", "--strategies", ","], ["--calibrate", "--dry-run"],
                     ["--calibrate", "--inject-cost-ns", "-1"]):
            with self.assertRaises(UsageError, msg=argv):
                parse(argv)


if __name__ == "__main__":
    unittest.main()
