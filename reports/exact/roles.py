"""Which role each callgrind thread played, from what it ran: callgrind numbers threads
in creation order (1 is main), and GStreamer starts its streaming threads in an order
that varies. The names are the ones harness/thread_roles.cc reports CPU under:
"receiver", "generator", "harness", an element's name for its streaming thread
("queue", "rtpjitterbuffer", "src" for appsrc), "pipeline:timer" for rtpjitterbuffer's
timer thread, "pipeline:<library>" for another element's, "other:thread<N>".

- The receiver runs a receive loop (`rxbench::receivers::<Loop>::Run()`), or, with the
  udpsrc strategy, udpsrc's code (libgstudp) under basesrc's loop.
- The generator runs `rxbench::traffic_gen::Generator::Run`.
- Thread 1 is main, the harness's thread.
- A streaming thread runs its element's loop, called by GStreamer's task; Debian strips
  GStreamer's static functions, so the loop is known by its library: the thread's entry
  is the first function outside the generic libraries (libc, GLib, GStreamer's core,
  libstdc++) that its outermost frames call, and ENTRY_LIBRARIES names the element.
  rtpjitterbuffer's timer thread enters the same library, but straight from GLib's
  thread start: no GStreamer task above it.

The call graph is read as callgrind has it, so this works on a whole run and on a
window (where the outermost frames are those that ran or called inside it: a task
calls its element's loop once per iteration).
"""
import os
import re
from typing import Dict, List, Mapping, Optional, Set, Tuple

from reports.exact.callgrind import ThreadProfile

RECEIVER = re.compile(r"^rxbench::receivers::\w+::Run\(\)$")
GENERATOR = re.compile(r"^rxbench::traffic_gen::Generator::Run\(")
# Library (its name up to ".so") -> the element whose streaming thread enters it there.
ENTRY_LIBRARIES = {
    "libgstcoreelements": "queue",
    "libgstrtpmanager": "rtpjitterbuffer",
    "libgstbase-1.0": "src",  # basesrc's loop: appsrc, named "src" in the pipeline
}
TIMER_LIBRARY = "libgstrtpmanager"
UDPSRC_LIBRARY = "libgstudp"
GSTREAMER_CORE = "libgstreamer-1.0"
GENERIC_LIBRARIES = ("libc", "ld-linux", "libglib-2.0", "libgobject-2.0", GSTREAMER_CORE,
                     "libstdc++", "libgcc_s", "libpthread", "libm", "vgpreload")


def library(obj: Optional[str]) -> str:
    """"libgstbase-1.0" for ".../libgstbase-1.0.so.0.2200.0"; "" when unknown."""
    if not obj:
        return ""
    return os.path.basename(obj).split(".so")[0]


def _generic(lib: str) -> bool:
    # "???": code valgrind could not place in any object (its own trampolines).
    return lib in ("", "???") or lib.startswith(GENERIC_LIBRARIES)


def entries(profile: ThreadProfile) -> List[Tuple[str, bool]]:
    """The thread's entry functions, heaviest (inclusive Ir) first: each first function
    outside the generic libraries on a path of calls from an outermost frame, and whether
    a GStreamer core function is on that path (a task calling its element's loop)."""
    callers: Dict[str, Set[str]] = {}
    callees: Dict[str, List[str]] = {}
    for caller, callee in profile.calls:
        if caller != callee:
            callers.setdefault(callee, set()).add(caller)
            callees.setdefault(caller, []).append(callee)
    functions = profile.functions()
    roots = [f for f in sorted(functions) if not callers.get(f)] or sorted(functions)
    found: Dict[str, bool] = {}
    seen: Set[Tuple[str, bool]] = set()
    stack = [(f, False) for f in roots]
    while stack:
        function, through_core = stack.pop()
        if (function, through_core) in seen:
            continue
        seen.add((function, through_core))
        lib = library(profile.objects.get(function))
        if not _generic(lib):
            found[function] = found.get(function, False) or through_core
            continue
        below = through_core or lib == GSTREAMER_CORE
        stack.extend((callee, below) for callee in callees.get(function, []))
    inclusive = profile.inclusive()
    return sorted(found.items(), key=lambda kv: (-inclusive.get(kv[0], {}).get("Ir", 0), kv[0]))


def role_of(thread: int, profile: ThreadProfile) -> str:
    functions = profile.functions()
    if any(RECEIVER.match(f) for f in functions):
        return "receiver"
    if any(GENERATOR.match(f) for f in functions):
        return "generator"
    if thread == 1:
        return "harness"
    for function, through_core in entries(profile):
        lib = library(profile.objects.get(function))
        if function.startswith("rxbench::") or "rxbench::" in function:
            continue  # the harness's own code on a pipeline thread (a bus watch, a probe)
        if lib == TIMER_LIBRARY and not through_core:
            return "pipeline:timer"
        element = ENTRY_LIBRARIES.get(lib)
        if element == "src" and any(library(o) == UDPSRC_LIBRARY
                                    for o in profile.objects.values()):
            return "receiver"  # udpsrc's own thread does the receiver's job
        return element or f"pipeline:{lib}"
    return f"other:thread{thread}"


def roles(threads: Mapping[int, ThreadProfile]) -> Dict[int, str]:
    """{callgrind thread number: role}."""
    return {thread: role_of(thread, profile) for thread, profile in sorted(threads.items())}
