"""Running a harness binary: validation exit 2 becomes a usage error, failures exit 1."""
import os
import unittest
from unittest import mock

from reports.ci.fake_setup import FAKE_HARNESS, SandboxTest
from reports.ci.harness import Harness
from reports.results.load import load
from reports.usage import RunFailed, UsageError


class RunHarness(SandboxTest):
    def test_validate(self):
        harness = Harness(FAKE_HARNESS, "build under test", ["--inject-cost-ns", "5"])
        harness.validate(["iouring"], ["--rate", "100"])
        self.assertEqual(self.box.harness_calls(), [("candidate", [
            "compare", "--strategies", "iouring", "--repetitions", "1", "--rate", "100",
            "--inject-cost-ns", "5", "--dry-run"])])
        with self.assertRaisesRegex(UsageError, "^--rate: value must be positive$"):
            harness.validate(["iouring"], ["--rate", "-5"])

    def test_compare(self):
        out = self.box.path("out")
        path = Harness(FAKE_HARNESS, "x").compare(["iouring", "combined-list"], 2, [], out)
        self.assertEqual(len(load(path).iterations), 4)
        with open(os.path.join(out, "console.txt")) as f:
            self.assertEqual(f.read(), "fake table\n")

    def test_failure_and_missing_binary(self):
        with mock.patch.dict(os.environ, {"FAKE_RXBENCH_FAIL": "1"}):
            with self.assertRaisesRegex(RunFailed, "fake failure"):
                Harness(FAKE_HARNESS, "x").compare(["iouring"], 1, [], self.box.path("o"))
        with self.assertRaisesRegex(UsageError, "cannot run"):
            Harness(self.box.path("absent"), "x").validate(["iouring"], [])


if __name__ == "__main__":
    unittest.main()
