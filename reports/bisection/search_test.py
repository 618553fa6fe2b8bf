"""The search's course on made-up verdicts: which commits it gates against which, and
where it stops when a step cannot tell."""
import unittest
from typing import Dict, List, Tuple

from reports.bisection.search import CONFIRM, ENDS, SEARCH, bisect
from reports.bisection.step import REGRESSED, UNCHANGED, UNCLEAR, Step


class Scripted:
    """A gate whose verdict for (candidate, reference) is given; a pair it was not
    told of fails the test (the search gated something it should not have)."""

    def __init__(self, verdicts: Dict[Tuple[int, int], str]):
        self.verdicts = verdicts
        self.calls: List[Tuple[int, int]] = []

    def __call__(self, candidate: int, reference: int) -> Step:
        self.calls.append((candidate, reference))
        return Step(self.verdicts[(candidate, reference)], "made up")


def step_at(k: int, n: int = 8) -> Scripted:
    """A single step at commit k: a commit is worse than another when k lies after the
    other and at or before it."""
    return Scripted({(c, r): REGRESSED if r < k <= c else UNCHANGED
                     for c in range(n + 1) for r in range(c)})


class SingleStep(unittest.TestCase):
    def test_names_the_commit_at_every_position(self) -> None:
        for k in range(1, 9):
            out = bisect(8, step_at(k))
            self.assertEqual(out.culprit, k)
            self.assertEqual((out.after, out.up_to), (k - 1, k))
            self.assertEqual(out.change.verdict if out.change else None, REGRESSED)

    def test_course_for_commit_3(self) -> None:
        gate = step_at(3)
        out = bisect(8, gate)
        # BAD against GOOD, then the middle against the last known good; the step that
        # found 3 bad was against its parent 2: no second gate of the same pair.
        self.assertEqual(gate.calls, [(8, 0), (4, 0), (2, 0), (3, 2)])
        self.assertEqual([p.kind for p in out.probes], [ENDS, SEARCH, SEARCH, SEARCH])

    def test_confirms_against_the_parent(self) -> None:
        gate = step_at(8)
        out = bisect(8, gate)
        self.assertEqual(gate.calls, [(8, 0), (4, 0), (6, 4), (7, 6), (8, 7)])
        self.assertEqual(out.probes[-1].kind, CONFIRM)
        self.assertEqual(out.culprit, 8)

    def test_one_commit(self) -> None:
        gate = step_at(1, n=1)
        self.assertEqual(bisect(1, gate).culprit, 1)
        self.assertEqual(gate.calls, [(1, 0)])


class CannotTell(unittest.TestCase):
    def test_bad_no_worse_than_good(self) -> None:
        out = bisect(8, Scripted({(8, 0): UNCHANGED}))
        self.assertIsNone(out.culprit)
        self.assertEqual((out.after, out.up_to), (0, 8))
        self.assertIn("not worse than GOOD", out.why)

    def test_an_unclear_step_stops_with_the_range_left(self) -> None:
        gate = Scripted({(8, 0): REGRESSED, (4, 0): UNCHANGED, (6, 4): UNCLEAR})
        out = bisect(8, gate)
        self.assertIsNone(out.culprit)
        self.assertEqual((out.after, out.up_to), (4, 8))
        self.assertEqual(gate.calls, [(8, 0), (4, 0), (6, 4)])
        self.assertIn("step 3 is neither", out.why)

    def test_a_drift_no_commit_carries_alone(self) -> None:
        # Worse only over several commits: each half is unchanged against the last good,
        # and the last commit is not worse than its parent.
        verdicts = {(8, 0): REGRESSED, (4, 0): UNCHANGED, (6, 4): UNCHANGED,
                    (7, 6): UNCHANGED, (8, 7): UNCHANGED}
        out = bisect(8, Scripted(verdicts))
        self.assertIsNone(out.culprit)
        # What showed it was BAD against GOOD: the range is the whole of it.
        self.assertEqual((out.after, out.up_to), (0, 8))
        self.assertIn("not clearly worse than its parent", out.why)


if __name__ == "__main__":
    unittest.main()
