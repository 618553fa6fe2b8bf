"""The real exact tier: `rxbench ci --against HEAD --tier exact` with the real harness
under real valgrind. A/A passes; with --inject-instructions worth several percent of
combined-list's receiver it fails, naming the receiver.

Runs `python3 -m reports ci` as ./rxbench does, for the reason real_gate_test.py gives
(the wrapper's own `bazel build` would wait for the Bazel server running this test).
HEAD is built in the gate's cache worktree, minutes the first time.
"""
import os
import pwd
import subprocess
import sys
import unittest

import reports

HARNESS = os.path.join(os.environ.get("TEST_SRCDIR", ""), "rxbench", "commands", "rxbench")
WRAPPER = os.path.join(os.environ.get("TEST_SRCDIR", ""), "rxbench", "rxbench")
# combined-list: its receiver's count repeats to 0.005 % in lock-step (baseline's
# malloc makes a rare 4 % outlier, docs/results/2026-12-07-exact-tier.md), so 3
# pairs make an A/A that does not false-alarm, in CI's time.
ARGS = ["--against", "HEAD", "--tier", "exact", "--strategies", "combined-list",
        "--exact-repetitions", "3", "--no-record"]
# Iterations of the injected loop per packet: about 3.2 instructions each against
# combined-list's receiver's ~1 800 per packet, so about +18 %
# (docs/results/2026-12-07-exact-tier.md): far above the 1 % threshold, far below
# anything that would change how the run behaves.
INJECTED = "100"


def gate(*extra: str) -> "subprocess.CompletedProcess[str]":
    root = os.path.dirname(os.path.realpath(WRAPPER))
    home = pwd.getpwuid(os.getuid()).pw_dir
    env = {**os.environ, "HOME": home, "RXBENCH_HARNESS": os.path.realpath(HARNESS),
           "RXBENCH_ROOT": root,
           "PYTHONPATH": os.path.dirname(os.path.dirname(reports.__file__))}
    return subprocess.run(["/usr/bin/python3", "-m", "reports", "ci", *ARGS, *extra],
                          cwd=root, env=env, capture_output=True, text=True, timeout=3000)


class RealExactGate(unittest.TestCase):
    def test_a_a_passes(self) -> None:
        done = gate()
        sys.stderr.write(done.stdout + done.stderr)
        self.assertEqual(done.returncode, 0)
        self.assertIn("rxbench ci: PASS", done.stdout)
        self.assertIn("exact tier (counted under valgrind", done.stdout)
        self.assertNotIn("exact tier: skipped", done.stdout)

    def test_injected_instructions_fail_naming_the_receiver(self) -> None:
        done = gate("--inject-instructions", INJECTED)
        sys.stderr.write(done.stdout + done.stderr)
        self.assertEqual(done.returncode, 1)
        self.assertIn("rxbench: regression: instructions per packet of combined-list's receiver",
                      done.stderr)
        # What changed names the receive loop, where the loop runs.
        self.assertIn("what changed", done.stdout)


if __name__ == "__main__":
    unittest.main()
