"""tools/format_check.sh on a scratch git repository with the project's .clang-format and
real clang-format 14: it fails naming exactly the misformatted tracked files (not
third_party/, not untracked ones), --fix makes the check pass, and a clang-format that
fails without naming a file is an error, never a clean tree."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SCRIPT, CLANG_FORMAT_CONFIG = sys.argv[1:3]
del sys.argv[1:3]

GOOD = "int Add(int a, int b) { return a + b; }\n"
BAD = "int  Add( int a,int b ){return a+b;}\n"


class FormatCheckTest(unittest.TestCase):
    def setUp(self) -> None:
        self.repo = tempfile.mkdtemp(prefix="format_check_test_")
        self.addCleanup(shutil.rmtree, self.repo)
        os.makedirs(os.path.join(self.repo, "tools"))
        shutil.copy(SCRIPT, os.path.join(self.repo, "tools", "format_check.sh"))
        shutil.copy(CLANG_FORMAT_CONFIG, os.path.join(self.repo, ".clang-format"))
        self.write("lib/good.cc", GOOD)
        self.write("lib/bad.h", BAD)
        self.write("lib/bad.cc", BAD)
        self.write("third_party/vendored.cc", BAD)
        self.git("init", "-q")
        self.git("add", ".")
        self.write("lib/untracked.cc", BAD)

    def write(self, path: str, text: str) -> None:
        full = os.path.join(self.repo, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)

    def read(self, path: str) -> str:
        with open(os.path.join(self.repo, path), encoding="utf-8") as f:
            return f.read()

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.repo, check=True)

    def check(self, *args: str) -> "subprocess.CompletedProcess[str]":
        return subprocess.run([os.path.join(self.repo, "tools", "format_check.sh"), *args],
                              cwd=self.repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)

    def test_names_each_misformatted_tracked_file_and_how_to_fix(self) -> None:
        run = self.check()
        self.assertEqual(run.returncode, 1, run.stderr)
        self.assertEqual(run.stdout.split(), ["lib/bad.cc", "lib/bad.h"])
        self.assertIn("2 of 3 files", run.stderr)
        self.assertIn("tools/format_check.sh --fix", run.stderr)

    def test_fix_rewrites_tracked_files_and_then_the_check_passes(self) -> None:
        fixed = self.check("--fix")
        self.assertEqual(fixed.returncode, 0, fixed.stderr)
        self.assertEqual(self.read("lib/bad.cc"), GOOD)
        self.assertEqual(self.read("lib/bad.h"), GOOD)
        self.assertEqual(self.read("third_party/vendored.cc"), BAD)
        self.assertEqual(self.read("lib/untracked.cc"), BAD)
        run = self.check()
        self.assertEqual(run.returncode, 0, run.stderr)

    def test_a_broken_config_is_an_error_not_a_clean_tree(self) -> None:
        self.write(".clang-format", "BasedOnStyle: Google\nNoSuchOption: 1\n")
        self.write("lib/bad.cc", GOOD)
        self.write("lib/bad.h", GOOD)
        run = self.check()
        self.assertEqual(run.returncode, 2, run.stdout + run.stderr)

    def test_unknown_argument_is_a_usage_error(self) -> None:
        self.assertEqual(self.check("--fxi").returncode, 2)


if __name__ == "__main__":
    unittest.main()
