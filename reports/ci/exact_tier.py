"""The gate's exact tier: both builds' receive sides counted under callgrind in lock-step
(reports/exact/count.py), interleaved A/B, and judged on counts rather than time.

Per strategy and role (the receiver and each pipeline thread; the generator and the
harness's main thread are not the receive path and are shown, not gated):
- instructions per packet fail when the median of the pairs' ratios passes the threshold
  (exact_thresholds.instructions_per_packet, 1 %): calibrate.gate_fails with no test, the
  counts barely vary and two pairs are enough. The receiver is judged by its own count;
  each pipeline thread by its growth as a share of the receive path (receiver and
  pipeline threads): GStreamer's threads run concurrently inside a round, and how often
  they wait on each other follows the scheduling (combined-list's queue thread: CV 0.9 %
  over six identical runs, against 0.004 % for its receiver), while a pipeline thread
  that grows by 1 % of the whole receive path is still caught;
- the receiver's syscalls per packet by libc entry point and allocations per packet by
  call site fail when one grows by more than its floor (0.01 per packet): any new
  per-packet or per-round call is a finding, a once-per-run call is not. Futex calls
  (figures.FUTEX_CALLS: wake-ups, which follow the scheduling) are shown, not gated, and
  so are the pipeline threads' syscalls and allocations (the jitter buffer copies a
  buffer when another thread holds it at that moment: 0.03-0.09 per packet over six
  identical combined-list runs); the diff lists their new ones.
A failure names what changed: the functions whose inclusive instructions per packet moved
most, and the new syscall entry points and allocation sites (exact/profile_diff.py).

The tier is skipped, with the reason, when valgrind is missing or too old, or either
build predates the exact tier (no --lock-step in its `run --help`); the time tier then
decides. A strategy valgrind cannot run (io_uring) or lock-step cannot hold (udpsrc) is
skipped alone. Kernel work is not counted.
"""
import math
import os
import statistics
import sys
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Mapping, Optional, Sequence, TypeVar

from reports.ci.calibrate import gate_fails
from reports.ci.config import GateConfig
from reports.ci.decision import PASS, REGRESSION, SKIPPED, Check
from reports.ci.report_calibration import Pool
from reports.exact import count, figures, profile_diff, repeated, valgrind

# Five pairs. The counts hardly vary, but not never: one of twelve A/A runs of baseline's
# receiver counted 4 % fewer instructions (in glibc's malloc, whose path depends on which
# thread freed the previous buffers when). Resampling those A/A pairs, the median of 2
# pairs false-alarms in 15 % of gates, of 3 in 1.9 %, of 5 in 0.35 % (combined-list,
# which allocates from a pool: 0 % at any count), and 5 still catch +2 % in 99.7 %.
# 2 strategies x 2 builds x 5 counted runs take about 2 minutes
# (docs/results/2026-12-07-exact-tier.md).
DEFAULT_REPETITIONS = 5
NOT_GATED = ("generator", "harness")
INSTRUCTIONS = "exact_instructions_per_packet"
SYSCALLS = "exact_syscalls_per_packet"
ALLOCATIONS = "exact_allocations_per_packet"
MOVED_SHOWN = 8
RECEIVER = "receiver"
K = TypeVar("K", str, figures.Site)


@dataclass
class StrategyRuns:
    reference: List[count.Counted] = field(default_factory=list)
    candidate: List[count.Counted] = field(default_factory=list)
    refused: Optional[str] = None


@dataclass
class Outcome:
    """The tier's result: skipped (with why), or checks per strategy and their diffs."""
    skipped: Optional[str] = None
    runs: Dict[str, StrategyRuns] = field(default_factory=dict)
    checks: List[Check] = field(default_factory=list)
    diffs: Dict[str, profile_diff.ProfileDiff] = field(default_factory=dict)
    floor: float = 0.01   # below it, a new entry point or site is not listed on the console


def unavailable(reference: str, candidate: str,
                probe: Callable[[], valgrind.Probe] = valgrind.probe) -> Optional[str]:
    """Why the tier cannot run for these two harness binaries, or None. The builds are
    asked first: a build without the tier is the reason whatever this host has."""
    for path, label in ((reference, "the reference build"), (candidate, "the build under test")):
        why = count.tier_unavailable(path, label)
        if why:
            return why
    return probe().reason


def run_interleaved(reference: str, candidate: str, strategies: Sequence[str],
                    repetitions: int, options: Sequence[str], candidate_options: Sequence[str],
                    work: str, lock_step: int = count.DEFAULT_LOCK_STEP,
                    packets: int = count.DEFAULT_PACKETS) -> Dict[str, StrategyRuns]:
    """Counts each strategy `repetitions` times per build, alternating which build goes
    first as the time tier does. `candidate_options` go to the build under test only."""
    out: Dict[str, StrategyRuns] = {}
    for strategy in strategies:
        runs = out[strategy] = StrategyRuns(refused=count.refusal(candidate, strategy))
        if runs.refused:
            continue
        for rep in range(repetitions):
            order = ("reference", "candidate") if rep % 2 == 0 else ("candidate", "reference")
            for side in order:
                _progress(f"exact tier: {strategy}, pair {rep + 1}/{repetitions}, {side}")
                path, extra = (reference, []) if side == "reference" else \
                    (candidate, list(candidate_options))
                counted = count.count(path, strategy,
                                      os.path.join(work, f"exact-{strategy}-{rep}-{side}"),
                                      lock_step, packets, list(options) + extra)
                getattr(runs, side).append(counted)
    if sys.stderr.isatty():
        sys.stderr.write("\r" + " " * 84 + "\r")
    return out


def judge(runs: Dict[str, StrategyRuns], config: GateConfig) -> Outcome:
    outcome = Outcome(runs=runs, floor=min(config.exact["syscalls_per_packet"],
                                           config.exact["allocations_per_packet"]))
    for strategy, both in runs.items():
        if both.refused:
            outcome.checks.append(Check(strategy, INSTRUCTIONS, "instructions per packet",
                                        SKIPPED, both.refused))
            continue
        checks = judge_strategy(strategy, both, config)
        outcome.checks += checks
        outcome.diffs[strategy] = profile_diff.diff(
            repeated.median([r.figures for r in both.reference]),
            repeated.median([r.figures for r in both.candidate]), top=MOVED_SHOWN)
    return outcome


def gated_roles(both: StrategyRuns) -> List[str]:
    """The roles that did any work in the window (a thread that existed but ran nothing
    in it, in some runs only, is no role), the generator and harness left out."""
    found = {r for run in both.reference + both.candidate
             for r, n in run.figures.instructions.items() if n}
    return sorted(r for r in found if r not in NOT_GATED)


def judge_strategy(strategy: str, both: StrategyRuns, config: GateConfig) -> List[Check]:
    rule = config.exact_rule()
    checks = []
    ref = repeated.median([r.figures for r in both.reference])
    cand = repeated.median([r.figures for r in both.candidate])
    roles = gated_roles(both)
    path = _path(both, roles)
    for role in roles:
        label = f"instructions per packet, {role}"
        ratios = role_ratios(both, role, path)
        if ratios is None:
            checks.append(Check(strategy, f"{INSTRUCTIONS}:{role}", label, SKIPPED,
                                f"{role} of {strategy} did not run in every counted run"))
            continue
        median_ratio = statistics.median(ratios)
        of = "" if role == RECEIVER else "of the receive path's, "
        said = (f"instructions per packet of {strategy}'s {role}: "
                f"{ref.instructions.get(role, 0.0):,.1f} -> "
                f"{cand.instructions.get(role, 0.0):,.1f} "
                f"({(median_ratio - 1) * 100:+.2f} % {of}median of {len(ratios)} pairs)")
        failed = bool(gate_fails([ratios], rule)[0])
        checks.append(Check(strategy, f"{INSTRUCTIONS}:{role}", label,
                            REGRESSION if failed else PASS,
                            f"{said}; {'more than' if failed else 'fails above'} "
                            f"+{rule.threshold * 100:g} %"))
    if RECEIVER in roles:
        checks.append(_growth(strategy, RECEIVER, SYSCALLS, "syscalls per packet",
                              _not_futex(ref.syscalls.get(RECEIVER, {})),
                              _not_futex(cand.syscalls.get(RECEIVER, {})),
                              config.exact["syscalls_per_packet"], str))
        checks.append(_growth(strategy, RECEIVER, ALLOCATIONS, "allocations per packet",
                              ref.allocations.get(RECEIVER, {}),
                              cand.allocations.get(RECEIVER, {}),
                              config.exact["allocations_per_packet"],
                              lambda s: f"{s[0]} -> {s[1]}"))
    return checks


def role_ratios(both: StrategyRuns, role: str, path: float) -> Optional[List[float]]:
    """Each pair's ratio as the gate judges it: the receiver's own count, a pipeline
    thread's growth as a share of `path` (the reference's receive path); None when the
    receiver did not run in every reference run."""
    pairs = [(a.figures.instructions.get(role, 0.0), b.figures.instructions.get(role, 0.0))
             for a, b in zip(both.reference, both.candidate)]
    if role == RECEIVER:
        if not pairs or any(not a for a, _ in pairs):
            return None
        return [b / a for a, b in pairs]
    return [1 + (b - a) / path for a, b in pairs]


def _path(both: StrategyRuns, roles: Sequence[str]) -> float:
    ref = repeated.median([r.figures for r in both.reference])
    return sum(ref.instructions.get(r, 0.0) for r in roles)


def _not_futex(calls: Mapping[str, float]) -> Dict[str, float]:
    return {f: n for f, n in calls.items() if f not in figures.FUTEX_CALLS}


def _growth(strategy: str, role: str, key: str, label: str, before: Mapping[K, float],
            after: Mapping[K, float], floor: float, name: Callable[[K], str]) -> Check:
    """Fails when an entry (syscall entry point, allocation site) grew by more than
    `floor` per packet; names each, and says which are new."""
    grown = []
    for entry in sorted(set(before) | set(after), key=str):
        a, b = before.get(entry, 0.0), after.get(entry, 0.0)
        if b - a > floor:
            new = " (new)" if not a else ""
            grown.append(f"{name(entry)}{new} {a:.3f} -> {b:.3f}")
    total = f"{sum(before.values()):.3f} -> {sum(after.values()):.3f}"
    if grown:
        return Check(strategy, f"{key}:{role}", f"{label}, {role}", REGRESSION,
                     f"{label} of {strategy}'s {role} grew by more than {floor:g}: "
                     + "; ".join(grown))
    return Check(strategy, f"{key}:{role}", f"{label}, {role}", PASS,
                 f"{label} of {strategy}'s {role}: {total}; none grew by more than {floor:g}")


def render(outcome: Outcome) -> str:
    """The tier for the console."""
    if outcome.skipped:
        return f"exact tier: skipped: {outcome.skipped}; the time tier decides"
    lines = [f"exact tier ({figures.KERNEL_NOTE}):"]
    for strategy, both in outcome.runs.items():
        checks = [c for c in outcome.checks if c.strategy == strategy]
        if both.refused:
            lines.append(f"  {strategy}: skipped: {both.refused}")
            continue
        lines.append(f"  {strategy}: {len(both.reference)} pair(s)")
        for c in checks:
            mark = {PASS: "ok  ", REGRESSION: "FAIL", SKIPPED: "skip"}[c.status]
            lines.append(f"    {mark} {c.message}")
        diff = outcome.diffs.get(strategy)
        if diff and any(c.status == REGRESSION for c in checks):
            lines += _what_changed(diff, outcome.floor)
    return "\n".join(lines)


def _what_changed(diff: profile_diff.ProfileDiff, floor: float) -> List[str]:
    """The moved functions, and the new syscall entry points and allocation sites used
    more than `floor` per packet (the rarer ones are in ci.json)."""
    lines = ["    what changed: functions whose inclusive instructions per packet moved most"]
    lines += [f"      {m.change:>+12,.1f}  ({m.before:,.1f} -> {m.after:,.1f})  {m.function}"
              for m in diff.moved]
    lines += [f"      new syscall entry point in {role}: {fn} ({n:.3f} per packet)"
              for role, fn, n in diff.new_syscalls if n > floor]
    lines += [f"      new allocation site in {role}: {caller} -> {alloc} ({n:.3f} per packet)"
              for role, caller, alloc, n in diff.new_allocation_sites if n > floor]
    rare = sum(1 for e in diff.new_syscalls if e[2] <= floor) + \
        sum(1 for e in diff.new_allocation_sites if e[3] <= floor)
    if rare:
        lines.append(f"      ({rare} new entry points and sites used at most {floor:g} per "
                     "packet: in ci.json)")
    return lines


def document(outcome: Outcome, repetitions: int) -> Dict[str, object]:
    """The tier in ci.json."""
    if outcome.skipped:
        return {"skipped": outcome.skipped}
    out: Dict[str, object] = {"note": figures.KERNEL_NOTE, "repetitions": repetitions}
    strategies: Dict[str, object] = {}
    for strategy, both in outcome.runs.items():
        if both.refused:
            strategies[strategy] = {"skipped": both.refused}
            continue
        diff = outcome.diffs[strategy]
        strategies[strategy] = {
            "reference": repeated.median([r.figures for r in both.reference]).to_json(),
            "candidate": repeated.median([r.figures for r in both.candidate]).to_json(),
            "moved": [{"function": m.function, "before": m.before, "after": m.after}
                      for m in diff.moved],
            "new_syscalls": [{"role": r, "function": f, "per_packet": n}
                             for r, f, n in diff.new_syscalls],
            "new_allocation_sites": [{"role": r, "site": s, "allocator": a, "per_packet": n}
                                     for r, s, a, n in diff.new_allocation_sites]}
    out["strategies"] = strategies
    return out


def pools(runs: Dict[str, StrategyRuns], config: GateConfig) -> List[Pool]:
    """`ci --calibrate`'s A/A pools of the tier: per strategy and gated role, the log
    ratios of the pairs as the gate judges them (role_ratios), with the tier's rule."""
    out = []
    rule = config.exact_rule()
    for strategy, both in runs.items():
        if both.refused:
            out.append(Pool(strategy, "instructions/packet", [], rule, skipped=both.refused,
                            tested=False))
            continue
        roles = gated_roles(both)
        path = _path(both, roles)
        for role in roles:
            logs = [math.log(r) for r in role_ratios(both, role, path) or []]
            skipped = "too few pairs" if len(logs) < 2 else None
            out.append(Pool(strategy, f"Ir/packet {role}"[:20], logs, rule,
                            skipped=skipped, tested=False))
    return out


def _progress(text: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\rrxbench ci: {text:<70}")
        sys.stderr.flush()
