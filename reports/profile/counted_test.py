"""`profile --count instructions` takes --packets and --lock-step from the options it
would otherwise forward to `run`: the counted run sets them itself."""
import unittest

from reports.profile import counted
from reports.usage import UsageError


class OwnOptions(unittest.TestCase):
    def test_taken_out_of_the_forwarded_options(self) -> None:
        self.assertEqual(counted._own(["--rate", "9", "--packets", "100"], "--packets", 4096),
                         (100, ["--rate", "9"]))
        self.assertEqual(counted._own(["--lock-step=32", "--batch", "8"], "--lock-step", 64),
                         (32, ["--batch", "8"]))

    def test_the_default_when_absent(self) -> None:
        self.assertEqual(counted._own(["--rate", "9"], "--packets", 4096), (4096, ["--rate", "9"]))

    def test_not_a_positive_number_is_a_usage_error(self) -> None:
        for value in ("x", "0"):
            with self.assertRaises(UsageError):
                counted._own(["--packets", value], "--packets", 4096)


if __name__ == "__main__":
    unittest.main()
