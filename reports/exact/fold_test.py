"""Folding callgrind's call graph into stacks: exact where a function has one caller,
split in proportion where it has several, finite on recursion."""
import unittest

from reports.exact import fold
from reports.exact.callgrind import read_text

# main (self 10) calls work (inclusive 60) and log (30); work (self 20) calls copy
# (40); log (self 10) calls copy (20); copy (self 60 in all) is reached twice.
PROFILE = """events: Ir
fn=main
1 10
cfn=work
calls=1 1
1 60
cfn=log
calls=1 1
1 30
fn=work
1 20
cfn=copy
calls=4 1
1 40
fn=log
1 10
cfn=copy
calls=2 1
1 20
fn=copy
1 60
"""

RECURSIVE = """events: Ir
fn=a
1 10
cfn=b
calls=1 1
1 30
fn=b
1 10
cfn=a
calls=1 1
1 20
"""


class Fold(unittest.TestCase):
    def test_one_caller_is_exact_and_the_total_is_kept(self) -> None:
        stacks = fold.fold(read_text(PROFILE))
        self.assertEqual(stacks, {("main",): 10, ("main", "work"): 20,
                                  ("main", "work", "copy"): 40, ("main", "log"): 10,
                                  ("main", "log", "copy"): 20})
        self.assertEqual(sum(stacks.values()), 100)

    def test_small_boxes_merge_into_their_parent(self) -> None:
        stacks = fold.fold(read_text(PROFILE), min_share=0.25)
        # log (30) and copy under work (40) stay; copy under log (20) is merged into log.
        self.assertEqual(stacks[("main", "log")], 30)
        self.assertNotIn(("main", "log", "copy"), stacks)

    def test_recursion_is_not_unrolled(self) -> None:
        stacks = fold.fold(read_text(RECURSIVE))
        self.assertTrue(all(len(set(path)) == len(path) for path in stacks), stacks)


if __name__ == "__main__":
    unittest.main()
