import os
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

from reports.files import read_json, write_atomically, write_json_atomically
from reports.usage import UsageError


class AtomicWrite(unittest.TestCase):
    def test_replaces_whole_and_leaves_no_temp(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "d", "x.json")
            write_json_atomically(path, {"a": 1})
            write_json_atomically(path, {"a": 2})
            self.assertEqual(read_json(path), {"a": 2})
            self.assertEqual(os.listdir(os.path.dirname(path)), ["x.json"])

    def test_failure_keeps_the_old_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "x.txt")
            write_atomically(path, "old")
            with mock.patch("os.replace", side_effect=OSError("disk full")):
                with self.assertRaisesRegex(UsageError, "disk full"):
                    write_atomically(path, "new")
            with open(path) as f:
                self.assertEqual(f.read(), "old")
            self.assertEqual(os.listdir(tmp), ["x.txt"])

    def test_nan_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(ValueError):
                write_json_atomically(os.path.join(tmp, "x.json"), {"a": float("nan")})


REPORTS_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_WRITE = """import sys
sys.path.insert(0, sys.argv[1])
from reports.files import write_atomically
write_atomically(sys.argv[2], "new")
"""


class Durable(unittest.TestCase):
    """What the kernel sees, traced by strace (Debian `strace`): a crash must leave the old
    file or all of the new, which takes fsync(file) < rename < fsync(directory)."""

    def test_file_synced_then_renamed_then_directory_synced(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = os.path.realpath(tmp)
            path = os.path.join(tmp, "results.json")
            write_atomically(path, "old")
            trace = os.path.join(tmp, "..trace")
            # -y prints the path behind each descriptor: which fsync was the file's.
            done = subprocess.run(
                ["strace", "-f", "-qq", "-y", "-e", "signal=none",
                 "-e", "trace=fsync,fdatasync,rename,renameat,renameat2", "-o", trace,
                 sys.executable, "-c", _WRITE, REPORTS_PARENT, path],
                capture_output=True, text=True, check=False)
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(trace) as f:
                lines = f.read().splitlines()
            events = []
            for line in lines:
                synced = "fsync(" in line or "fdatasync(" in line
                if synced and ".tmp-" in line:
                    events.append("fsync(file)")
                elif synced and f"<{tmp}>" in line:
                    events.append("fsync(dir)")
                elif "rename" in line and f'"{path}"' in line:
                    events.append("rename")
            self.assertEqual(events, ["fsync(file)", "rename", "fsync(dir)"], "\n".join(lines))
            with open(path) as f:
                self.assertEqual(f.read(), "new")


if __name__ == "__main__":
    unittest.main()
