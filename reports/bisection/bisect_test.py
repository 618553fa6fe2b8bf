"""`rxbench bisect` end to end on a scratch repository of 8 commits after GOOD, one of
which plants a cost (cost.txt: ns per packet, which the fake harness built at that
commit adds to its receive-path CPU), with the fake bazel and harness of `ci`'s tests."""
import contextlib
import io
import json
import os
import unittest
from typing import List, Tuple
from unittest import mock

from reports import __main__ as dispatch
from reports.ci.fake_setup import SandboxTest

REPS = "10"   # >= 8: the least with which Wilcoxon can reach p < 0.01
# +450 ns on combined-list's 3000: +15 %, with +-1 % noise on each side.
REGRESSION_NS = 450


class Bisect(SandboxTest):
    def history(self, planted_at: int, cost: int) -> List[str]:
        """[GOOD, commit 1, ..., commit 8]; commit `planted_at` adds `cost` ns per packet,
        which every later commit keeps."""
        shas = [self.box.head]
        for k in range(1, 9):
            files = {f"file{k}.txt": f"change {k}\n"}
            if k == planted_at:
                files["cost.txt"] = f"{cost}\n"
            shas.append(self.box.commit(f"change {k}", files))
        return shas

    def bisect(self, *argv: str) -> Tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with mock.patch.dict(os.environ, self.box.env), \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = dispatch.main(["bisect", *argv])
        return code, out.getvalue(), err.getvalue()

    def builds(self) -> List[str]:
        """The commit (its cached worktree) of each `bazel build` so far."""
        if not os.path.exists(self.box.bazel_log):
            return []
        with open(self.box.bazel_log) as f:
            calls = [line.split() for line in f]
        return [os.path.basename(call[0]) for call in calls if call[1] == "build"]

    def test_names_the_planted_commit_3(self) -> None:
        shas = self.history(3, REGRESSION_NS)
        report = self.box.path("bisect.json")
        code, out, err = self.bisect(shas[0], shas[8], "--repetitions", REPS,
                                     "--json", report)
        self.assertEqual(code, 0, out + err)
        self.assertIn(f"rxbench bisect: first bad commit: {shas[3]} change 3\n", out)
        self.assertRegex(out, rf"^step 1 \(BAD against GOOD\): {shas[8][:12]} \(8/8\) "
                              rf"against {shas[0][:12]} \(0/8\): 1\.1[4-6]\d \[.*: regressed\n")
        self.assertRegex(out, r"receive-path CPU of combined-list against its parent "
                              rf"{shas[2][:12]}: [23],\d{{3}}\.\d -> 3,[34]\d\d\.\d ns/packet, "
                              r"1\.1[4-6]\d "
                              r"\[1\.1\d\d, 1\.1\d\d\], one-sided p=9\.8e-04, n=10 "
                              r"\(\+1[4-6]\.\d %\)")
        with open(report) as f:
            document = json.load(f)
        self.assertEqual(document["culprit"], {"sha": shas[3], "subject": "change 3"})
        steps = [(shas.index(s["candidate"]), shas.index(s["reference"]), s["verdict"])
                 for s in document["steps"]]
        self.assertEqual(steps, [(8, 0, "regressed"), (4, 0, "regressed"),
                                 (2, 0, "unchanged"), (3, 2, "regressed")])
        self.assertEqual(len(out.splitlines()), 4 + 2, out)   # a line per step, the answer
        # Each commit gated was built once, GOOD too, though three steps ran it.
        self.assertEqual(sorted(self.builds()), sorted(shas[i] for i in (0, 2, 3, 4, 8)))

    def test_names_the_planted_commit_8(self) -> None:
        shas = self.history(8, REGRESSION_NS)
        report = self.box.path("bisect.json")
        code, out, err = self.bisect(shas[0], shas[8], "--repetitions", REPS,
                                     "--json", report)
        self.assertEqual(code, 0, out + err)
        self.assertIn(f"rxbench bisect: first bad commit: {shas[8]} change 8\n", out)
        with open(report) as f:
            document = json.load(f)
        # Searched up to 7, then confirmed against its parent.
        self.assertEqual([s["kind"] for s in document["steps"]][-1], "confirm")
        self.assertEqual((document["steps"][-1]["candidate"],
                          document["steps"][-1]["reference"]), (shas[8], shas[7]))
        self.assertEqual(document["change"]["verdict"], "regressed")
        self.assertGreater(document["change"]["ci_low"], 1.1)

    def test_a_change_below_the_ignored_cannot_be_told_apart(self) -> None:
        # +15 ns is +0.5 %: under the 2 % the gate ignores.
        shas = self.history(3, 15)
        report = self.box.path("bisect.json")
        code, out, err = self.bisect(shas[0], shas[8], "--repetitions", REPS,
                                     "--json", report)
        self.assertEqual(code, 1, out + err)
        self.assertIn("rxbench bisect: the culprit cannot be told apart: BAD is not worse "
                      "than GOOD by more than the gate ignores\n", out)
        self.assertIn(f"range left: after {shas[0][:12]} (one) up to {shas[8][:12]} "
                      "(change 8): 8 commits", out)
        with open(report) as f:
            document = json.load(f)
        self.assertFalse(document["found"])
        self.assertIsNone(document["culprit"])
        self.assertEqual([s["verdict"] for s in document["steps"]], ["unchanged"])

    def test_the_exact_tier_refuses_commits_from_before_it(self) -> None:
        # The fake harness has no --lock-step, as a revision from before the exact tier.
        shas = self.history(3, REGRESSION_NS)
        code, out, err = self.bisect(shas[0], shas[8], "--metric", "instructions")
        self.assertEqual(code, 2, out + err)
        self.assertIn(f"GOOD {shas[0][:12]} predates the exact tier", err)
        self.assertIn("can only be bisected on the time tier (--tier time)", err)

    def test_usage_errors(self) -> None:
        shas = self.history(3, REGRESSION_NS)
        for argv in ([shas[8], shas[0]], [shas[0], "nope"], ["--repetitions", "10", shas[0]],
                     [shas[0], shas[8], "--repetitions", "5"],
                     [shas[0], shas[8], "--metric", "instructions", "--tier", "time"],
                     [shas[0], shas[8], "--rate", "-1"]):
            code, out, err = self.bisect(*argv)
            self.assertEqual(code, 2, (argv, out, err))
            self.assertEqual(err.count("\n"), 1, (argv, err))
        self.assertEqual(self.builds(), [])


if __name__ == "__main__":
    unittest.main()
