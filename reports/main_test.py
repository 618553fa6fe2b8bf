"""`python3 -m reports`: dispatch, lazy optional subcommands, exit codes."""
import contextlib
import io
import os
import subprocess
import types
import unittest
from unittest import mock

import reports
from reports import __main__ as dispatch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(reports.__file__)))


def run(argv, module=None):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        if module is None:
            code = dispatch.main(argv)
        else:
            with mock.patch.object(dispatch, "import_optional", return_value=module):
                code = dispatch.main(argv)
    return code, err.getvalue()


class Dispatch(unittest.TestCase):
    def test_missing_optional_module(self):
        with mock.patch.object(dispatch, "import_optional", return_value=None):
            code, err = run(["sweep", "--x"])
        self.assertEqual(code, 2)
        self.assertEqual(err, "rxbench: 'sweep' is not available: "
                              "reports.sweep.cli is not installed\n")

    def test_calls_main_with_the_rest(self):
        seen = []
        module = types.SimpleNamespace(main=lambda argv: seen.append(argv) or 0)
        self.assertEqual(run(["profile", "--a", "b"], module)[0], 0)
        self.assertEqual(seen, [["--a", "b"]])

    def test_usage_errors_are_one_line(self):
        for argv in ([], ["nope"], ["history", "--bogus"]):
            code, err = run(argv)
            self.assertEqual(code, 2, argv)
            self.assertEqual(err.count("\n"), 1, err)
            self.assertTrue(err.startswith("rxbench: "), err)

    def test_as_a_module(self):
        env = dict(os.environ, PYTHONPATH=ROOT)
        done = subprocess.run(["/usr/bin/python3", "-m", "reports", "--help"], env=env,
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        for name in dispatch.SUBCOMMANDS:
            self.assertIn(name, done.stdout)
        done = subprocess.run(["/usr/bin/python3", "-m", "reports", "history", "--last",
                               "x"], env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stderr.count("\n"), 1, done.stderr)

    def test_usage_names_the_wrapper(self):
        # ./rxbench sets RXBENCH_PROG: the user's name for the tool, not python's.
        env = dict(os.environ, PYTHONPATH=ROOT, RXBENCH_PROG="./rxbench")
        # (The subcommands this target has; tests/cli_test runs every one's --help.)
        for name in ("ci", "history"):
            done = subprocess.run(["/usr/bin/python3", "-m", "reports", name, "--help"],
                                  env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertTrue(done.stdout.startswith(f"usage: ./rxbench {name} "), done.stdout)


if __name__ == "__main__":
    unittest.main()
