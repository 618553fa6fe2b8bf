"""`rxbench bisect GOOD BAD`: in order, validate the options (harness dry run), list the
commits, search (search.py), each step building the two commits it needs (cached per
commit: reports/ci/build.py) and gating one against the other on the target's tier
(step.py); print each step as it ends and the answer, write --json. Exit codes in
options.DESCRIPTION.
"""
import argparse
import itertools
import os
import shutil
import tempfile
from typing import Any, Dict, List, Sequence

from reports.ci import build
from reports.ci.config import GateConfig, load_config
from reports.ci.exact_tier import DEFAULT_REPETITIONS as EXACT_REPETITIONS
from reports.ci.harness import Harness
from reports.ci.options import DEFAULT_REPETITIONS
from reports.exact import count, valgrind
from reports.files import write_json_atomically
from reports.stats.needed import paired_minimum
from reports.usage import UsageError, say

from reports.bisection import render
from reports.bisection.commits import Commit, path
from reports.bisection.options import parse
from reports.bisection.search import Probe, bisect
from reports.bisection.step import Step, exact_step, time_step
from reports.bisection.target import EXACT, TIME, Target, resolve

FOUND, NOT_TOLD_APART = 0, 1


def main(argv: List[str]) -> int:
    args = parse(argv)
    config = load_config(args.config)
    target = resolve(args.metric, args.tier, config)
    repetitions = args.repetitions or (EXACT_REPETITIONS if target.tier == EXACT
                                       else DEFAULT_REPETITIONS)
    least = paired_minimum(config.alpha)
    if target.tier == TIME and repetitions < least:
        # As for `ci`: a step that could never be significant could never say "worse".
        raise UsageError(f"bisect: --repetitions {repetitions} is too few: with fewer than "
                         f"{least} pairs the Wilcoxon test cannot reach p < "
                         f"{config.alpha:g}, so no step could find a regression")
    current = os.environ.get("RXBENCH_HARNESS")
    if current:
        # The scenario options, checked before anything is built.
        Harness(current, "this checkout's build").validate([args.strategy], args.scenario)
    repo = os.environ.get("RXBENCH_ROOT") or os.getcwd()
    commits = path(repo, args.good, args.bad)
    say(f"bisect: {len(commits) - 1} commit(s) after GOOD {commits[0].short} up to BAD "
        f"{commits[-1].short}; {target.label} of {args.strategy} on the {target.tier} "
        f"tier, {repetitions} pairs per step")
    builds = Builds(repo, commits)
    if target.tier == EXACT:
        _check_exact(builds.binary(0), commits[0])
    work = tempfile.mkdtemp(prefix="rxbench-bisect-")
    try:
        def gate(candidate: int, reference: int) -> Step:
            step_dir = os.path.join(work, f"{candidate}-against-{reference}")
            if target.tier == EXACT:
                return exact_step(builds.binary(reference), builds.binary(candidate),
                                  target, args.strategy, repetitions, args.scenario,
                                  config, step_dir)
            return time_step(builds.harness(reference), builds.harness(candidate), target,
                             args.strategy, repetitions, args.scenario, config, step_dir)

        numbers = itertools.count(1)

        def seen(probe: Probe) -> None:
            print(render.step_line(next(numbers), probe, commits), flush=True)

        outcome = bisect(len(commits) - 1, gate, seen)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for line in render.answer(outcome, commits, target, args.strategy):
        print(line)
    if args.json:
        write_json_atomically(args.json, render.document(
            outcome, commits, target, _settings(args, config, target, repetitions)))
    for worktree in build.prune(repo)[0]:
        say(f"bisect: removed the cached build {worktree}")
    return FOUND if outcome.culprit is not None else NOT_TOLD_APART


class Builds:
    """Each commit's harness, built the first time a step needs it (and cached across
    runs by build.harness_at)."""

    def __init__(self, repo: str, commits: Sequence[Commit]):
        self.repo, self.commits = repo, commits
        self._binaries: Dict[int, str] = {}

    def binary(self, index: int) -> str:
        if index not in self._binaries:
            self._binaries[index] = build.harness_at(self.repo, self.commits[index].sha)
        return self._binaries[index]

    def harness(self, index: int) -> Harness:
        commit = self.commits[index]
        return Harness(self.binary(index), f"build of {commit.short}",
                       version=build.describe_revision(self.repo, commit.sha))


def _check_exact(binary: str, good: Commit) -> None:
    """The exact tier needs every commit's build to count; GOOD, the oldest, predating it
    means part of the range does: that range can only be bisected on the time tier. And
    it needs valgrind: said before the first step, not after its time-consuming builds."""
    why = count.tier_unavailable(binary, f"GOOD {good.short}")
    if why:
        raise UsageError(f"bisect: {why}: commits from before the exact tier can only be "
                         "bisected on the time tier (--tier time)")
    why = valgrind.probe().reason
    if why:
        raise UsageError(f"bisect: the exact tier cannot run here: {why}")


def _settings(args: argparse.Namespace, config: GateConfig, target: Target,
              repetitions: int) -> Dict[str, Any]:
    settings: Dict[str, Any] = {"strategy": args.strategy, "repetitions": repetitions,
                                "scenario": args.scenario, "alpha": config.alpha}
    if target.tier == EXACT:
        # instructions: a fraction; syscalls, allocations: a floor per packet.
        settings["threshold"] = config.exact[target.key.split(":")[0].removeprefix("exact_")]
        return settings
    rule = config.rule(target.key)
    assert rule is not None
    settings.update(threshold=rule.threshold, ignore_below=rule.ignore_below)
    return settings
