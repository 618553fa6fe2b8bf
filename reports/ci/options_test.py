"""`rxbench ci` option parsing: what is ci's, what goes to the harness unchanged."""
import unittest

from reports.ci.options import DEFAULT_FIRST_LOOK, DEFAULT_LOOK_EVERY, \
    DEFAULT_REPETITIONS, parse
from reports.ci.sequential import Plan, fixed
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
        args = parse(["--calibrate", "--rep", "3", "--measure", "full", "--no-pin"],
                     allowed_cpus={0, 1})
        self.assertEqual(args.repetitions, DEFAULT_REPETITIONS)
        self.assertEqual(args.scenario, ["--rep", "3", "--measure", "full"])

    def test_pinned_by_default_generator_first_receive_side_last(self):
        args = parse(["--calibrate", "--rate", "5000"], allowed_cpus={2, 5, 3})
        self.assertEqual(args.scenario, ["--rate", "5000", "--cpu-generator", "2",
                                         "--cpu-receiver", "5", "--cpu-pipeline", "5",
                                         "--measure", "minimal"])

    def test_user_placement_replaces_the_default_whole(self):
        for given in (["--cpu-pipeline", "0"], ["--cpu-generator=1"]):
            args = parse(["--calibrate", *given], allowed_cpus={0, 1})
            self.assertEqual(args.scenario, [*given, "--measure", "minimal"], given)

    def test_one_cpu_is_not_pinned(self):
        args = parse(["--calibrate"], allowed_cpus={3})
        self.assertEqual(args.scenario, ["--measure", "minimal"])

    def test_looks(self):
        # By default a fixed count: one look, all of alpha.
        self.assertEqual(parse(["--calibrate"]).plan.looks, fixed(DEFAULT_REPETITIONS).looks)
        self.assertEqual(parse(["--calibrate", "--repetitions", "40"]).plan.looks, (40,))
        self.assertEqual(parse(["--calibrate", "--repetitions", "14", "--look-every", "8",
                                "--max-repetitions", "40"]).plan.looks, (14, 22, 30, 38, 40))
        # A cap alone looks from the default first look.
        self.assertEqual(parse(["--calibrate", "--max-repetitions", "30"]).plan,
                         Plan(DEFAULT_FIRST_LOOK, DEFAULT_LOOK_EVERY, 30))
        # A cap under the default first look brings the first look down to it.
        self.assertEqual(parse(["--calibrate", "--max-repetitions", "10"]).plan.looks, (10,))
        for argv in (["--repetitions", "12", "--max-repetitions", "11"],
                     ["--look-every", "0"]):
            with self.assertRaises(UsageError, msg=argv):
                parse(["--calibrate", *argv])

    def test_modes(self):
        self.assertIsNone(parse(["--save-baseline", "n"]).against)
        self.assertFalse(parse(["--baseline", "history:3", "--no-record"]).record)
        self.assertTrue(parse(["--baseline", "history:3", "--baseline-any-host"])
                        .baseline_any_host)
        for argv in ([], ["--against", "a", "--baseline", "b"],
                     ["--calibrate", "--strategies", ","], ["--calibrate", "--dry-run"],
                     ["--calibrate", "--inject-cost-ns", "-1"],
                     ["--against", "a", "--baseline-any-host"],
                     ["--baseline", "nightly", "--baseline-any-host"]):
            with self.assertRaises(UsageError, msg=argv):
                parse(argv)


if __name__ == "__main__":
    unittest.main()
