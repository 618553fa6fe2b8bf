import os
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


if __name__ == "__main__":
    unittest.main()
