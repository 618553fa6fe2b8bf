"""`rxbench profile --count instructions`: an exact per-function profile of one counted
run per strategy (the lock-step run under callgrind that `rxbench count` makes): per
thread role, the functions with the most inclusive instructions per packet, and a flame
graph folded from callgrind's call graph (reports/exact/fold.py says how: callgrind has
no stacks, so a function with several callers is split among them in proportion).
Kernel work is not counted.

Per strategy, DIR/<strategy>/ gets the callgrind files (for callgrind_annotate or
KCachegrind), one .folded file and one flame graph SVG per role; DIR/count-profile.json
has the tables.
"""
import os
import re
from typing import Any, Dict, List, Sequence, Tuple

from reports.exact import count, figures, fold
from reports.files import write_json_atomically
from reports.profile import flamegraph, stacks
from reports.usage import RunFailed, UsageError, say

LEGEND = ("width: share of the role's instructions in the window, counted under callgrind "
          "(no kernel work); callgrind keeps a call graph, not stacks: a function with "
          "several callers is split among them in proportion (reports/exact/fold.py)")


def role_table(counted: count.Counted, role: str, top: int) -> List[Dict[str, Any]]:
    """The `top` functions of `role` by inclusive instructions per packet, with their
    self instructions per packet."""
    inclusive: Dict[str, float] = {}
    own: Dict[str, float] = {}
    packets = counted.figures.packets
    for thread, profile in counted.threads.items():
        if counted.roles.get(thread) != role:
            continue
        for function, costs in profile.inclusive().items():
            inclusive[function] = inclusive.get(function, 0.0) + costs.get("Ir", 0) / packets
        for function, costs in profile.self_cost.items():
            own[function] = own.get(function, 0.0) + costs.get("Ir", 0) / packets
    ranked = sorted(inclusive.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [{"function": f, "inclusive_per_packet": v, "self_per_packet": own.get(f, 0.0)}
            for f, v in ranked]


def role_stacks(counted: count.Counted, role: str) -> fold.Stacks:
    out: fold.Stacks = {}
    for thread, profile in counted.threads.items():
        if counted.roles.get(thread) == role:
            for path, weight in fold.fold(profile).items():
                out[path] = out.get(path, 0.0) + weight / counted.figures.packets
    return out


def _own(forwarded: Sequence[str], name: str, default: int) -> Tuple[int, List[str]]:
    """`name`'s value among the forwarded options (count sets it itself), and the rest."""
    rest = list(forwarded)
    value = default
    for i, option in enumerate(rest):
        if option == name and i + 1 < len(rest):
            text = rest[i + 1]
            del rest[i:i + 2]
        elif option.startswith(name + "="):
            text = option.split("=", 1)[1]
            del rest[i]
        else:
            continue
        try:
            value = int(text)
        except ValueError as e:
            raise UsageError(f"profile: {name} {text}: not a number") from e
        if value < 1:
            raise UsageError(f"profile: {name} must be at least 1")
        break
    return value, rest


def run(binary: str, strategies: Sequence[str], out: str, forwarded: Sequence[str],
        top: int) -> int:
    packets, forwarded = _own(forwarded, "--packets", count.DEFAULT_PACKETS)
    lock_step, forwarded = _own(forwarded, "--lock-step", count.DEFAULT_LOCK_STEP)
    document: Dict[str, Any] = {"note": figures.KERNEL_NOTE, "strategies": {}}
    for strategy in strategies:
        why = count.refusal(binary, strategy)
        if why:
            say(f"profile: refused {why}")
            document["strategies"][strategy] = {"refused": why}
            continue
        directory = os.path.join(out, re.sub(r"[^A-Za-z0-9_.-]", "_", strategy))
        say(f"profile: {strategy}, counted under callgrind")
        try:
            counted = count.count(binary, strategy, directory, lock_step, packets, forwarded)
        except count.CountFailed as e:
            raise RunFailed(str(e)) from e
        entry: Dict[str, Any] = {"packets": counted.figures.packets, "roles": {}}
        print(f"{strategy}: inclusive instructions per packet, {counted.figures.packets} "
              f"measured packets; {figures.KERNEL_NOTE}")
        for role in sorted(counted.figures.instructions,
                           key=lambda r: -counted.figures.instructions[r]):
            table = role_table(counted, role, top)
            name = re.sub(r"[^A-Za-z0-9_.-]", "_", role)
            folded = role_stacks(counted, role)
            with open(os.path.join(directory, f"{name}.folded"), "w", encoding="utf-8") as f:
                f.write(stacks.folded_text(  # type: ignore[no-untyped-call]
                    {k: round(v, 3) for k, v in folded.items()}))
            with open(os.path.join(directory, f"flame-{name}.svg"), "w",
                      encoding="utf-8") as f:
                f.write(flamegraph.svg(  # type: ignore[no-untyped-call]
                    folded, f"{strategy}: {role}, instructions per packet", legend=LEGEND,
                    amount=lambda w: f"{w:,.1f} instructions per packet"))
            entry["roles"][role] = {
                "instructions_per_packet": counted.figures.instructions[role], "top": table,
                "folded": f"{name}.folded", "flamegraph": f"flame-{name}.svg"}
            print(f"  {role}: {counted.figures.instructions[role]:,.1f} per packet")
            for row in table:
                print(f"    {row['inclusive_per_packet']:>12,.1f} "
                      f"{row['self_per_packet']:>12,.1f}  {row['function']}")
        document["strategies"][strategy] = entry
    path = os.path.join(out, "count-profile.json")
    write_json_atomically(path, document)
    print(f"profile: {path} (columns: inclusive, self instructions per packet)")
    return 0
