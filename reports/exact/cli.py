"""`rxbench count`: what each strategy's receive side costs per packet, counted under
valgrind's callgrind in a lock-step run rather than timed: instructions per thread role,
syscalls by libc entry point, allocations by call site, wake-ups. Kernel work is not
counted.

    rxbench count --strategies baseline,combined-list
    rxbench count --strategies baseline --repetitions 5 --json counts.json

Options it does not know (scenario and receiver options) go to `rxbench run` unchanged.
"""
import os
import shutil
import tempfile
from typing import Any, Dict, List, Optional, Sequence, Tuple

from reports.exact import count, figures, repeated, valgrind
from reports.files import write_json_atomically
from reports.usage import ArgumentParser, RunFailed, UsageError, say

DEFAULT_STRATEGIES = "baseline,combined-list"
# Three runs: the counts are nearly deterministic under lock-step, and three show whether
# they are (the CV column) at three times one run's cost.
DEFAULT_REPETITIONS = 3
# Options count sets itself.
_OWNED = {"--strategy", "--strategies", "--lock-step", "--packets", "--out", "--repetitions",
          "--duration"}


def parse(argv: List[str]) -> Tuple[Any, List[str]]:
    p = ArgumentParser(  # type: ignore[no-untyped-call]
        command="count",
        description="What each strategy's receive side costs per packet, counted under "
                    "valgrind's callgrind in a lock-step run rather than timed: "
                    "instructions per thread role, syscalls by libc entry point, "
                    "allocations by call site, wake-ups. io_uring and udpsrc are refused "
                    "with the reason.",
        epilog="Other options (--scenario, --batch, ...) are passed to `rxbench run`. "
               "The figures are " + figures.KERNEL_NOTE + ".")
    p.add_argument("--strategies", default=DEFAULT_STRATEGIES,
                   help=f"strategies, comma-separated (default {DEFAULT_STRATEGIES})")
    p.add_argument("--lock-step", type=int, default=count.DEFAULT_LOCK_STEP, metavar="K",
                   help=f"packets per lock-step round (default {count.DEFAULT_LOCK_STEP})")
    p.add_argument("--packets", type=int, default=count.DEFAULT_PACKETS, metavar="N",
                   help=f"packets measured (default {count.DEFAULT_PACKETS})")
    p.add_argument("--repetitions", type=int, default=DEFAULT_REPETITIONS, metavar="R",
                   help=f"counted runs per strategy (default {DEFAULT_REPETITIONS}); "
                        "figures are their medians")
    p.add_argument("--top", type=int, default=10, metavar="N",
                   help="functions by inclusive instructions per packet (default 10)")
    p.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    p.add_argument("--out", metavar="DIR", help="keep each run's callgrind files here")
    args, forwarded = p.parse_known_args(argv)
    if forwarded and not forwarded[0].startswith("-"):
        raise UsageError(f"count: unexpected argument {forwarded[0]!r}")
    for option in forwarded:
        if option.split("=", 1)[0] in _OWNED:
            raise UsageError(f"count: {option.split('=', 1)[0]} is set by count itself")
    for name in ("lock_step", "packets", "repetitions", "top"):
        if getattr(args, name) < 1:
            raise UsageError(f"count: --{name.replace('_', '-')} must be at least 1")
    args.strategy_list = [s for s in args.strategies.split(",") if s]
    if not args.strategy_list:
        raise UsageError("count: --strategies is empty")
    return args, forwarded


def harness_path() -> str:
    path = os.environ.get("RXBENCH_HARNESS")
    if not path:
        raise UsageError("count: RXBENCH_HARNESS is not set (run `./rxbench count`, which "
                         "builds the harness and sets it)")
    return path


def counted_runs(harness: str, strategy: str, repetitions: int, work: str,
                 lock_step: int, packets: int, options: Sequence[str]) -> List[count.Counted]:
    runs = []
    for rep in range(repetitions):
        say(f"count: {strategy}, run {rep + 1}/{repetitions} under callgrind")
        try:
            runs.append(count.count(harness, strategy, os.path.join(work, f"{strategy}-{rep}"),
                                    lock_step, packets, options))
        except count.CountFailed as e:
            raise RunFailed(str(e)) from e
    return runs


def render(strategy: str, runs: Sequence[count.Counted], top: int) -> str:
    """The console table of one strategy's runs."""
    med = repeated.median([r.figures for r in runs])
    cv = repeated.instruction_cv([r.figures for r in runs])
    waits = [r.wakeups_per_packet for r in runs if r.wakeups_per_packet is not None]
    lines = [f"{strategy}: {len(runs)} run(s) of {med.packets} measured packets; "
             f"medians; {figures.KERNEL_NOTE}",
             f"  {'role':<18} {'instructions/packet':>20} {'run-to-run CV':>14}"]
    for role, value in sorted(med.instructions.items(), key=lambda kv: -kv[1]):
        if not value:
            continue  # a thread that existed but ran nothing in the window
        spread = "-" if cv.get(role) is None else f"{cv[role] * 100:.2f} %"  # type: ignore
        lines.append(f"  {role:<18} {value:>20,.1f} {spread:>14}")
    lines.append("  syscalls per packet, by libc entry point (kernel work is not counted):")
    lines += _per_role(med.syscalls, str, top) or ["    none"]
    if any(med.vdso_calls.values()):
        lines.append("  clock reads per packet (vDSO natively, syscalls under valgrind):")
        lines += _per_role(med.vdso_calls, str, top)
    lines.append("  allocations per packet, by call site (caller -> allocator):")
    lines += _per_role(med.allocations, lambda k: f"{k[0]} -> {k[1]}", top) or ["    none"]
    wake = "-" if not waits else f"{sorted(waits)[len(waits) // 2]:.4f}"
    futex = ", ".join(f"{r} {n:.3f}" for r, n in med.futex_calls().items() if n)
    lines.append(f"  wake-ups per packet: lock-step gate waits {wake}; futex calls (waits "
                 f"and wake-ups, as the scheduling fell) {futex or 'none'}")
    lines.append("  top functions, inclusive instructions per packet (all roles):")
    lines += [f"    {v:>12,.1f}  {f}" for f, v in med.top_functions(top)]
    return "\n".join(lines)


def _per_role(table: Dict[str, Dict[Any, float]], name: Any, top: int) -> List[str]:
    """Each role's `top` entries, largest first (--json has them all)."""
    out = []
    for role, entries in sorted(table.items()):
        used = sorted(((k, v) for k, v in entries.items() if v), key=lambda kv: -kv[1])
        out += [f"    {role:<18} {value:>9.4f}  {name(key)}" for key, value in used[:top]]
        if len(used) > top:
            out.append(f"    {role:<18} ({len(used) - top} more, rarer: see --json)")
    return out


def document(results: Dict[str, List[count.Counted]], refused: Dict[str, str],
             args: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {"note": figures.KERNEL_NOTE, "lock_step": args.lock_step,
                           "packets": args.packets, "repetitions": args.repetitions,
                           "strategies": {}, "refused": refused}
    for strategy, runs in results.items():
        med = repeated.median([r.figures for r in runs])
        out["strategies"][strategy] = {
            "median": med.to_json(args.top),
            "instructions_cv": repeated.instruction_cv([r.figures for r in runs]),
            "runs": [r.to_json(args.top) for r in runs]}
    return out


def main(argv: List[str]) -> int:
    args, forwarded = parse(argv)
    harness = harness_path()
    probe = valgrind.probe()
    if probe.reason:
        raise UsageError(f"count: {probe.reason}")
    unavailable = count.tier_unavailable(harness, "this build")
    if unavailable:
        raise UsageError(f"count: {unavailable}")
    refused: Dict[str, str] = {}
    for strategy in args.strategy_list:
        why: Optional[str] = count.refusal(harness, strategy)
        if why:
            refused[strategy] = why
            say(f"count: refused {why}")
    todo = [s for s in args.strategy_list if s not in refused]
    if not todo:
        raise UsageError("count: no strategy left to count")
    work = args.out or tempfile.mkdtemp(prefix="rxbench-count-")
    results: Dict[str, List[count.Counted]] = {}
    try:
        for strategy in todo:
            results[strategy] = counted_runs(harness, strategy, args.repetitions, work,
                                             args.lock_step, args.packets, forwarded)
            print(render(strategy, results[strategy], args.top), flush=True)
    finally:
        if not args.out:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        write_json_atomically(args.json, document(results, refused, args))
    return 0
