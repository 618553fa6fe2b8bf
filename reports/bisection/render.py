"""`bisect`'s output: a line per step as it ends, the answer, and the JSON document.
Layout only; search.py and step.py decide."""
from typing import Any, Dict, List, Optional, Sequence

from reports.bisection.commits import Commit
from reports.bisection.search import CONFIRM, ENDS, Outcome, Probe
from reports.bisection.step import Step
from reports.bisection.target import EXACT, Target

_WHAT = {ENDS: "BAD against GOOD", CONFIRM: "the culprit against its parent"}


def step_line(number: int, probe: Probe, commits: Sequence[Commit]) -> str:
    what = _WHAT.get(probe.kind, "search")
    return (f"step {number} ({what}): {_at(probe.candidate, commits)} against "
            f"{_at(probe.reference, commits)}: {probe.step.summary}: {probe.step.verdict}")


def _at(index: int, commits: Sequence[Commit]) -> str:
    """A commit and where it is: GOOD is 0, BAD is n."""
    return f"{commits[index].short} ({index}/{len(commits) - 1})"


def answer(outcome: Outcome, commits: Sequence[Commit], target: Target,
           strategy: str) -> List[str]:
    change = outcome.change
    if outcome.culprit is not None and change is not None:
        culprit, parent = commits[outcome.culprit], commits[outcome.culprit - 1]
        # The exact tier's summary is its check's, which has the counts and the change.
        detail = change.summary if target.tier == EXACT else \
            f"{_values(change, target)}{change.summary}{_percent(change.ratio)}"
        return [f"rxbench bisect: first bad commit: {culprit.sha} {culprit.subject}",
                f"  {target.label} of {strategy} against its parent {parent.short}: "
                f"{detail}"]
    after, up_to = commits[outcome.after], commits[outcome.up_to]
    left = outcome.up_to - outcome.after
    return [f"rxbench bisect: the culprit cannot be told apart: {outcome.why}",
            f"  range left: after {after.short} ({after.subject}) up to {up_to.short} "
            f"({up_to.subject}): {left} commit{'s' * (left != 1)}"]


def document(outcome: Outcome, commits: Sequence[Commit], target: Target,
             settings: Dict[str, Any]) -> Dict[str, Any]:
    """The JSON: the settings, the commits searched, every step, and the answer."""
    found = outcome.culprit is not None
    return {
        "good": commits[0].sha, "bad": commits[-1].sha,
        "metric": target.key, "tier": target.tier, **settings,
        "commits": [{"sha": c.sha, "subject": c.subject} for c in commits],
        "steps": [_probe(p, commits) for p in outcome.probes],
        "found": found,
        "culprit": _commit(commits[outcome.culprit]) if outcome.culprit is not None else None,
        "change": _step(outcome.change) if outcome.change is not None else None,
        # The culprit lies after `after` and at or before `up_to`.
        "range": {"after": commits[outcome.after].sha, "up_to": commits[outcome.up_to].sha,
                  "commits": outcome.up_to - outcome.after},
        "why": None if found else outcome.why,
    }


def _probe(probe: Probe, commits: Sequence[Commit]) -> Dict[str, Any]:
    return {"kind": probe.kind, "candidate": commits[probe.candidate].sha,
            "reference": commits[probe.reference].sha, **_step(probe.step)}


def _step(step: Step) -> Dict[str, Any]:
    return {"verdict": step.verdict, "ratio": step.ratio, "ci_low": step.ci_low,
            "ci_high": step.ci_high, "p_worse": step.p_worse, "pairs": step.pairs,
            "reference_value": step.reference_value,
            "candidate_value": step.candidate_value, "summary": step.summary}


def _commit(commit: Commit) -> Dict[str, str]:
    return {"sha": commit.sha, "subject": commit.subject}


def _values(step: Step, target: Target) -> str:
    if step.reference_value is None or step.candidate_value is None:
        return ""
    unit = f" {target.metric.unit}" if target.metric else ""
    return f"{step.reference_value:,.1f} -> {step.candidate_value:,.1f}{unit}, "


def _percent(ratio: Optional[float]) -> str:
    return "" if ratio is None else f" ({(ratio - 1) * 100:+.1f} %)"
