"""--metric and --tier: which tier measures what bisect looks for, and what is refused."""
import unittest

from reports.bisection.target import EXACT, TIME, resolve
from reports.ci.config import DEFAULT, parse_config
from reports.usage import UsageError


class Resolve(unittest.TestCase):
    def test_defaults(self) -> None:
        self.assertEqual((resolve(None, None, DEFAULT).tier, resolve(None, None, DEFAULT).key),
                         (TIME, "cpu_ns_per_packet_receive_path"))
        self.assertEqual(resolve(None, EXACT, DEFAULT).key,
                         "exact_instructions_per_packet:receiver")

    def test_exact_names_as_the_tier_has_them(self) -> None:
        for name, key in (("instructions:queue", "exact_instructions_per_packet:queue"),
                          ("exact_syscalls_per_packet", "exact_syscalls_per_packet:receiver"),
                          ("allocations", "exact_allocations_per_packet:receiver")):
            target = resolve(name, None, DEFAULT)
            self.assertEqual((target.tier, target.key), (EXACT, key))

    def test_refused(self) -> None:
        ungated = parse_config({"thresholds": {}})
        for name, tier, config in (("instructions:generator", None, DEFAULT),
                                   ("syscalls:queue", None, DEFAULT),
                                   ("instructions", TIME, DEFAULT),
                                   ("cpu_ns_per_packet_receive_path", EXACT, DEFAULT),
                                   ("cpu_ns_per_packet_receive_path", None, ungated),
                                   ("no_such_metric", None, DEFAULT)):
            with self.assertRaises(UsageError, msg=name):
                resolve(name, tier, config)


if __name__ == "__main__":
    unittest.main()
