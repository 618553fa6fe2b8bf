"""The checks CI runs on the Python source, run as a test too: flake8 (.flake8) and
mypy (pyproject.toml's [tool.mypy]) pass on reports/ and tools/, and pyproject.toml's
entry point names a function that exists."""
import importlib
import os
import subprocess
import sys
import tempfile
import tomllib
import unittest

import reports

# The checkout, not Bazel's runfiles: the checks read the configuration files at its top
# and every module, including those no target depends on.
ROOT = os.path.dirname(os.path.dirname(os.path.realpath(reports.__file__)))


def check(*argv):
    with tempfile.TemporaryDirectory() as cache:
        # The cache goes to a temporary directory: the checkout may be read-only here.
        env = dict(os.environ, MYPY_CACHE_DIR=os.path.join(cache, "mypy"))
        return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


class Checks(unittest.TestCase):
    def test_flake8(self):
        done = check("flake8", "reports", "tools")
        self.assertEqual(done.returncode, 0, done.stdout)

    def test_mypy(self):
        done = check("mypy")
        self.assertEqual(done.returncode, 0, done.stdout)


class Pyproject(unittest.TestCase):
    def test_entry_point_is_a_function(self):
        with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
            project = tomllib.load(f)["project"]
        self.assertEqual(project["name"], "rxbench-reports")
        module, _, function = project["scripts"]["rxbench-reports"].partition(":")
        self.assertTrue(callable(getattr(importlib.import_module(module), function)))


if __name__ == "__main__":
    unittest.main()
