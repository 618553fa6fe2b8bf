"""Per-packet figures of a counted window: instructions per thread role, syscalls by the
libc entry point that made them, allocations by the call site that asked for them, and
the functions with the most inclusive instructions.

All of it is user-space work as valgrind executes it: what the kernel does inside a
syscall (the copy, the wake-up of another thread) is not counted. KERNEL_NOTE says so
wherever the figures are shown.

An allocation is a call into the allocator family (ALLOCATOR) from outside it:
g_malloc calling malloc, or gst_buffer_new_allocate calling gst_allocator_alloc calling
g_slice_alloc, is one allocation, counted where g_malloc or gst_buffer_new_allocate was
called. Without call stacks in the file, a wrapper outside the family between two of its
members would count twice: such wrappers belong in ALLOCATOR (gst_allocator_alloc is one).

callgrind credits a syscall (sysCount) to the function that executed the syscall
instruction, libc's wrapper; the clock reads a native run makes in the vDSO are syscalls
under valgrind, and are listed apart (VDSO_CALLS).
"""
import re
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Tuple

from reports.exact.callgrind import ThreadProfile

KERNEL_NOTE = ("counted under valgrind: user-space instructions, syscalls and allocations; "
               "kernel work is not counted")

ALLOCATOR = re.compile(
    r"^(?:malloc|calloc|realloc|reallocarray|posix_memalign|aligned_alloc|memalign|valloc"
    r"|operator new(?:\[\])?\(.*\)"
    r"|g_(?:try_)?malloc\w*|g_(?:try_)?realloc\w*|g_slice_alloc\w*"
    r"|gst_buffer_new\w*|gst_allocator_alloc)$")

# Calls the kernel serves from the vDSO without a syscall; valgrind has no vDSO, so under
# it libc makes them syscalls. Counted apart: natively they do not enter the kernel.
VDSO_CALLS = frozenset({"clock_gettime", "__clock_gettime", "gettimeofday",
                        "__gettimeofday_syscall", "time", "getcpu", "sched_getcpu"})

# (call site: the calling function, allocator called)
Site = Tuple[str, str]


def is_allocator(function: str) -> bool:
    return ALLOCATOR.match(function) is not None


@dataclass
class Figures:
    """One window's figures, each per packet; roles as named by roles.py."""
    packets: int
    instructions: Dict[str, float] = field(default_factory=dict)
    syscalls: Dict[str, Dict[str, float]] = field(default_factory=dict)
    vdso_calls: Dict[str, Dict[str, float]] = field(default_factory=dict)
    allocations: Dict[str, Dict[Site, float]] = field(default_factory=dict)
    inclusive: Dict[str, float] = field(default_factory=dict)

    def top_functions(self, n: int) -> List[Tuple[str, float]]:
        """The `n` functions with the most inclusive instructions per packet."""
        return sorted(self.inclusive.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def syscalls_total(self) -> float:
        return sum(sum(d.values()) for d in self.syscalls.values())

    def allocations_total(self) -> float:
        return sum(sum(d.values()) for d in self.allocations.values())

    def to_json(self, top: int = 20) -> Dict[str, object]:
        return {
            "packets": self.packets,
            "note": KERNEL_NOTE,
            "instructions_per_packet": dict(sorted(self.instructions.items())),
            "syscalls_per_packet": {r: dict(sorted(d.items())) for r, d in
                                    sorted(self.syscalls.items())},
            "vdso_calls_per_packet": {r: dict(sorted(d.items())) for r, d in
                                      sorted(self.vdso_calls.items())},
            "allocations_per_packet": {
                r: [{"site": s, "allocator": a, "per_packet": v}
                    for (s, a), v in sorted(d.items())]
                for r, d in sorted(self.allocations.items())},
            "top_inclusive_instructions_per_packet": [
                {"function": f, "per_packet": v} for f, v in self.top_functions(top)],
        }


def allocation_sites(profile: ThreadProfile) -> Dict[Site, int]:
    """{(caller, allocator): calls} for calls into the allocator family from outside it."""
    out: Dict[Site, int] = {}
    for (caller, callee), edge in profile.calls.items():
        if is_allocator(callee) and not is_allocator(caller) and edge.count:
            out[(caller, callee)] = out.get((caller, callee), 0) + edge.count
    return out


def syscall_entries(profile: ThreadProfile) -> Dict[str, int]:
    """{function that made syscalls: how many}."""
    return {f: c["sysCount"] for f, c in profile.self_cost.items() if c.get("sysCount")}


def figures(threads: Mapping[int, ThreadProfile], roles: Mapping[int, str],
            packets: int, event: str = "Ir") -> Figures:
    """Per-packet figures of `threads` (callgrind thread number -> profile), summed by
    role (`roles`: thread number -> role; threads with no role are left out)."""
    if packets <= 0:
        raise ValueError("per-packet figures need at least one packet")
    out = Figures(packets)
    for thread, profile in sorted(threads.items()):
        role: Optional[str] = roles.get(thread)
        if role is None:
            continue
        out.instructions[role] = out.instructions.get(role, 0.0) + profile.total(event) / packets
        calls = out.syscalls.setdefault(role, {})
        vdso = out.vdso_calls.setdefault(role, {})
        for function, n in syscall_entries(profile).items():
            into = vdso if function in VDSO_CALLS else calls
            into[function] = into.get(function, 0.0) + n / packets
        sites = out.allocations.setdefault(role, {})
        for site, n in allocation_sites(profile).items():
            sites[site] = sites.get(site, 0.0) + n / packets
        for function, costs in profile.inclusive().items():
            if costs.get(event):
                out.inclusive[function] = out.inclusive.get(function, 0.0) + costs[event] / packets
    return out
