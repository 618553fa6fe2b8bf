"""tools/compile_commands.py on a real `bazel aquery -c opt --output=jsonproto
'mnemonic("CppCompile", //rtp/...)'` answer (testdata/aquery_rtp.json, Bazel 4.2.3,
captured 2026-12-07): rtp/ has three .cc files, each compiled twice (-fPIC for the
library's shared object, and plain)."""
import contextlib
import io
import json
import os
import tempfile
import unittest
from typing import Any, Dict, List

import compile_commands

AQUERY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata",
                      "aquery_rtp.json")
EXECUTION_ROOT = "/execroot/of/this/test"


class CompileCommandsTest(unittest.TestCase):
    aquery: Dict[str, Any]
    output: str
    entries: List[Dict[str, Any]]

    @classmethod
    def setUpClass(cls) -> None:
        with open(AQUERY, encoding="utf-8") as f:
            cls.aquery = json.load(f)
        out = tempfile.mkdtemp(prefix="compile_commands_test_")
        cls.output = os.path.join(out, "compile_commands.json")
        with contextlib.redirect_stderr(io.StringIO()):
            status = compile_commands.main(["--aquery-json", AQUERY, "--execution-root",
                                            EXECUTION_ROOT, "--output", cls.output])
        assert status == 0
        with open(cls.output, encoding="utf-8") as f:
            cls.entries = json.load(f)

    def test_one_entry_per_source_file(self) -> None:
        self.assertEqual([e["file"] for e in self.entries],
                         ["rtp/datagram_check.cc", "rtp/rtcp_app.cc", "rtp/rtp_packet.cc"])

    def test_entries_run_in_the_execution_root_with_the_compile_arguments(self) -> None:
        for e in self.entries:
            self.assertEqual(e["directory"], EXECUTION_ROOT)
            args = e["arguments"]
            self.assertEqual(args[0], "/usr/bin/gcc")
            self.assertEqual(args[args.index("-c") + 1], e["file"])
            self.assertIn("-std=c++17", args)
            self.assertIn("-iquote", args)

    def test_the_linked_objects_compile_is_kept_not_the_pic_one(self) -> None:
        for e in self.entries:
            args = e["arguments"]
            output = args[args.index("-o") + 1]
            self.assertTrue(output.endswith(".o"), output)
            self.assertFalse(output.endswith(".pic.o"), output)
            self.assertNotIn("-fPIC", args)

    def test_gcc_only_flags_that_stop_clang_are_dropped(self) -> None:
        captured = [a for action in self.aquery["actions"] for a in action["arguments"]]
        self.assertIn("-fno-canonical-system-headers", captured)
        for e in self.entries:
            self.assertNotIn("-fno-canonical-system-headers", e["arguments"])

    def test_a_saved_answer_needs_the_execution_root(self) -> None:
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit) as exit_:
            compile_commands.main(["--aquery-json", AQUERY, "--output", self.output])
        self.assertEqual(exit_.exception.code, 2)


if __name__ == "__main__":
    unittest.main()
