"""tools/gate_series.py against a stand-in `rxbench` that writes the ci.json a gate
writes: the tally counts the verdicts in ci.json (not the exit code, which --calibrate
keeps at 0), names the failed checks, and a gate that could not run stops the series."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gate_series.py")

# Fails every other gate (by a counter file), always exit 0 as --calibrate does; exits 2
# without a ci.json when FAKE_BROKEN is set.
FAKE = r'''#!/usr/bin/python3
import json, os, sys
args = sys.argv[1:]
if os.environ.get("FAKE_BROKEN"):
    sys.exit(2)
counter = os.environ["FAKE_COUNTER"]
n = int(open(counter).read()) if os.path.exists(counter) else 0
open(counter, "w").write(str(n + 1))
out = args[args.index("--out") + 1]
os.makedirs(out)
failed = n % 2 == 1
checks = [{"strategy": "baseline", "metric": "instructions_per_packet:receiver",
           "status": "regression" if failed else "pass", "message": "m"}]
json.dump({"gate": {"failed": failed, "checks": checks}, "argv": args},
          open(os.path.join(out, "ci.json"), "w"))
'''


class GateSeriesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.fake = os.path.join(self.dir, "rxbench")
        with open(self.fake, "w") as f:
            f.write(FAKE)
        os.chmod(self.fake, 0o755)
        self.env = {**os.environ, "FAKE_COUNTER": os.path.join(self.dir, "n")}

    def run_tool(self, *extra, env=None):
        return subprocess.run([sys.executable, TOOL, "--rxbench", self.fake, *extra],
                              capture_output=True, text=True, env=env or self.env)

    def test_tallies_verdicts_from_ci_json(self):
        summary = os.path.join(self.dir, "s.json")
        done = self.run_tool("--gates", "5", "--json", summary, "--", "--calibrate",
                             "--tier", "exact")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("2 of 5 gates failed", done.stdout)
        with open(summary) as f:
            tally = json.load(f)
        self.assertEqual(tally["by_check"], {"baseline instructions_per_packet:receiver": 2})
        self.assertEqual([g["failed"] for g in tally["runs"]],
                         [False, True, False, True, False])
        self.assertEqual(tally["ci_args"], ["--calibrate", "--tier", "exact"])

    def test_a_gate_that_cannot_run_stops_the_series(self):
        done = self.run_tool("--gates", "3", "--", "--calibrate",
                             env={**self.env, "FAKE_BROKEN": "1"})
        self.assertEqual(done.returncode, 2)
        self.assertIn("series stopped", done.stderr)
        self.assertNotIn("gates failed", done.stdout)


if __name__ == "__main__":
    unittest.main()
