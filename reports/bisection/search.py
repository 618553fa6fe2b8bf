"""The search over commits 0..n (0 = GOOD, n = BAD), given a gate of any two of them:
pure, so that its course is tested on made-up verdicts.

1. BAD against GOOD: there must be a regression to look for.
2. Binary search with the last commit known good as the reference: the middle commit
   against it; regressed -> the culprit is at or before the middle, unchanged -> after
   it. Against the last known good rather than GOOD, so that a step compares commits as
   close as the search has got, and the confirmation below is the search's last step's
   kind of comparison.
3. The culprit against its parent: the search ends on two neighbours, but a step only
   said that the regression lies between a reference and the middle; this gate says the
   culprit alone carries it (not a drift of several small changes). When the search's
   own step that found the culprit bad was already against its parent, that step is
   this gate, and it is not run twice.
Any step that is unclear (step.py), or a confirmation that does not regress, stops the
search with the range it had narrowed to: the culprit cannot be told apart within it.
"""
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from reports.bisection.step import REGRESSED, UNCHANGED, Step

ENDS = "ends"
SEARCH = "search"
CONFIRM = "confirm"


@dataclass
class Probe:
    kind: str          # ENDS, SEARCH or CONFIRM
    candidate: int     # index of the commit under test
    reference: int     # index of the commit it was gated against
    step: Step


@dataclass
class Outcome:
    probes: List[Probe] = field(default_factory=list)
    culprit: Optional[int] = None   # index of the first bad commit, when found
    change: Optional[Step] = None   # the culprit against its parent
    # When not found: the culprit lies after `after` and at or before `up_to`.
    after: int = 0
    up_to: int = 0
    why: str = ""


Gate = Callable[[int, int], Step]   # (candidate index, reference index) -> Step


def bisect(n: int, gate: Gate, seen: Optional[Callable[[Probe], None]] = None) -> Outcome:
    """Commits 0..n; `gate(i, j)` gates commit i against commit j; `seen` is told of
    each step as it ends."""
    out = Outcome(after=0, up_to=n)

    def probe(kind: str, candidate: int, reference: int) -> Step:
        step = gate(candidate, reference)
        out.probes.append(Probe(kind, candidate, reference, step))
        if seen is not None:
            seen(out.probes[-1])
        return step

    ends = probe(ENDS, n, 0)
    if ends.verdict != REGRESSED:
        out.why = ("BAD is not worse than GOOD by more than the gate ignores"
                   if ends.verdict == UNCHANGED else
                   "BAD against GOOD is neither clearly worse nor clearly not")
        return out
    good, bad, bad_against, bad_step = 0, n, 0, ends
    while bad - good > 1:
        middle = (good + bad) // 2
        step = probe(SEARCH, middle, good)
        if step.verdict == REGRESSED:
            bad, bad_against, bad_step = middle, good, step
        elif step.verdict == UNCHANGED:
            good = middle
        else:
            out.after, out.up_to = good, bad
            out.why = f"step {len(out.probes)} is neither clearly worse nor clearly not"
            return out
    confirm = bad_step if bad_against == bad - 1 else probe(CONFIRM, bad, bad - 1)
    if confirm.verdict == REGRESSED:
        out.culprit, out.change, out.after, out.up_to = bad, confirm, bad - 1, bad
        return out
    # The regression lies between the reference that showed it and `bad`, spread over
    # commits none of which carries it alone.
    out.after, out.up_to = bad_against, bad
    out.why = "the last commit left is not clearly worse than its parent"
    return out
