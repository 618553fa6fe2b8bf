"""Reads callgrind's profile files (https://valgrind.org/docs/manual/cl-format.html): per
thread, its events' totals, each function's self cost, and the call edges with their
call counts and inclusive costs, from which each function's inclusive cost follows.

Written for what `valgrind --tool=callgrind --separate-threads=yes --collect-systime=nsec`
writes: one file per thread and dump (`callgrind.out.<pid>[.<dump>]-<thread>`), events
`Ir sysCount sysTime sysCpuTime`, names compressed (`fn=(12) name` defines id 12,
`fn=(12)` uses it; fn/cfn share ids, as do fl/fi/fe/cfi/cfl and ob/cob), positions
compressed (`+3`, `-1`, `*`). Any event list and `positions: instr line` are read too.

Function names are callgrind's: demangled C++, or `0x<address>` where the library is
stripped (Debian's GStreamer keeps only its exported symbols); those are suffixed with
their library (`0x00000000000123a0 [libgstbase-1.0.so.0]`), as the same address means
different code in two libraries. callgrind's recursion copies (`f'2`) are folded into `f`,
and symbol versions dropped (`pthread_mutex_lock@@GLIBC_2.2.5` is `pthread_mutex_lock`).

Inclusive cost is self cost plus the cost of every call the function made, as
callgrind_annotate --inclusive=yes counts it: a recursion through other functions
counts its inner calls twice (callgrind keeps no call stacks in the file).
"""
import glob
import os
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Set, Tuple

Costs = Dict[str, int]

_SPEC = re.compile(r"^(ob|fl|fi|fe|fn|cob|cfi|cfl|cfn|calls|jump|jcnd)=(.*)$")
_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9_]*):\s*(.*)$")
_COMPRESSED = re.compile(r"^\((\d+)\)(?:\s(.*))?$")
_RECURSION = re.compile(r"'\d+$")
_SYMBOL_VERSION = re.compile(r"@@?[A-Za-z0-9_.]+$")
_UNNAMED = re.compile(r"^0x[0-9a-fA-F]+$")
# What callgrind appends to --callgrind-out-file: [.<dump number>][-<thread>]
_DUMP_SUFFIX = re.compile(r"^(?:\.\d+)?(?:-\d+)?$")

# Which name table each position spec reads and writes.
_TABLE = {"ob": "ob", "cob": "ob", "fn": "fn", "cfn": "fn",
          "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl", "cfl": "fl"}


class FormatError(ValueError):
    """A file callgrind did not write, or that was cut short."""


@dataclass
class CallEdge:
    """Calls from one function to another: how many, their inclusive cost, and the
    caller's source lines they were made from (empty without line positions)."""
    caller: str
    callee: str
    count: int = 0
    inclusive: Costs = field(default_factory=dict)
    lines: Set[int] = field(default_factory=set)


@dataclass
class ThreadProfile:
    """One thread's costs, from one dump or summed over several."""
    thread: int
    pid: Optional[int]
    events: List[str]
    triggers: List[str] = field(default_factory=list)
    self_cost: Dict[str, Costs] = field(default_factory=dict)
    objects: Dict[str, str] = field(default_factory=dict)
    calls: Dict[Tuple[str, str], CallEdge] = field(default_factory=dict)

    def total(self, event: str) -> int:
        """The thread's count of `event`: the sum of its self costs (the file's
        `totals:` line says the same, and is checked against it when read)."""
        return sum(c.get(event, 0) for c in self.self_cost.values())

    def functions(self) -> Set[str]:
        """Every function the thread ran or called."""
        out = set(self.self_cost)
        for caller, callee in self.calls:
            out.update((caller, callee))
        return out

    def inclusive(self) -> Dict[str, Costs]:
        """{function: self cost + the inclusive cost of every call it made}. A call of
        a function to itself is left out: its cost is already in the self cost."""
        out: Dict[str, Costs] = {f: dict(c) for f, c in self.self_cost.items()}
        for (caller, callee), edge in self.calls.items():
            if caller == callee:
                continue
            into = out.setdefault(caller, {})
            for event, n in edge.inclusive.items():
                into[event] = into.get(event, 0) + n
        return out

    def add(self, other: "ThreadProfile") -> None:
        """Adds another dump of the same thread (costs and calls are sums)."""
        for event in other.events:
            if event not in self.events:
                self.events.append(event)
        self.triggers.extend(other.triggers)
        for function, costs in other.self_cost.items():
            _add_costs(self.self_cost.setdefault(function, {}), costs)
        for function, obj in other.objects.items():
            self.objects.setdefault(function, obj)
        for key, edge in other.calls.items():
            mine = self.calls.setdefault(key, CallEdge(edge.caller, edge.callee))
            mine.count += edge.count
            _add_costs(mine.inclusive, edge.inclusive)
            mine.lines.update(edge.lines)


def _add_costs(into: Costs, costs: Costs) -> None:
    for event, n in costs.items():
        into[event] = into.get(event, 0) + n


def function_key(name: str, obj: Optional[str]) -> str:
    """The name a function is listed under (see the module's docstring)."""
    name = _SYMBOL_VERSION.sub("", _RECURSION.sub("", name))
    if _UNNAMED.match(name) and obj:
        return f"{name} [{os.path.basename(obj)}]"
    return name


class _Reader:
    """One file's parse state: name tables, current positions, last subpositions."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.names: Dict[str, Dict[str, str]] = {"ob": {}, "fl": {}, "fn": {}}
        self.headers: Dict[str, List[str]] = {}
        self.positions = ["line"]
        self.events: List[str] = []
        self.last: List[int] = [0]
        self.ob: Optional[str] = None
        self.fn: Optional[str] = None
        self.cob: Optional[str] = None
        self.cfn: Optional[str] = None
        self.pending_call: Optional[int] = None  # call count of a calls= line
        self.profile: Optional[ThreadProfile] = None
        self.body = False

    def name(self, spec: str, value: str, lineno: int) -> str:
        table = self.names[_TABLE[spec]]
        m = _COMPRESSED.match(value)
        if not m:
            return value
        ident, text = m.group(1), m.group(2)
        if text is not None:
            table[ident] = text
            return text
        if ident not in table:
            raise FormatError(f"{self.path}:{lineno}: {spec}=({ident}) used before it is defined")
        return table[ident]

    def subpositions(self, tokens: List[str], lineno: int, update: bool) -> List[int]:
        out = []
        for i, token in enumerate(tokens):
            last = self.last[i]
            if token == "*":
                value = last
            elif token[0] in "+-":
                value = last + int(token, 0)
            else:
                value = int(token, 0)
            out.append(value)
        if update:
            self.last = out
        return out

    def start_body(self, lineno: int) -> None:
        if not self.events:
            raise FormatError(f"{self.path}:{lineno}: cost data before an 'events:' line")
        self.positions = self.headers.get("positions", ["line"])[-1].split()
        self.last = [0] * len(self.positions)
        thread = self.headers.get("thread", ["1"])[-1]
        pid = self.headers.get("pid")
        self.profile = ThreadProfile(
            thread=int(thread), pid=int(pid[-1]) if pid else None, events=list(self.events),
            triggers=[d[len("Trigger:"):].strip() for d in self.headers.get("desc", [])
                      if d.startswith("Trigger:")])
        self.body = True

    def cost_line(self, line: str, lineno: int) -> None:
        if not self.body:
            self.start_body(lineno)
        assert self.profile is not None
        tokens = line.split()
        npos = len(self.positions)
        if len(tokens) < npos:
            raise FormatError(f"{self.path}:{lineno}: a cost line without its position")
        where = self.subpositions(tokens[:npos], lineno, update=True)
        values = [int(t) for t in tokens[npos:]]
        if len(values) > len(self.events):
            raise FormatError(f"{self.path}:{lineno}: more counts than events")
        costs = {e: v for e, v in zip(self.events, values) if v}
        if self.fn is None:
            raise FormatError(f"{self.path}:{lineno}: cost before any fn=")
        if self.pending_call is not None:
            callee = function_key(self.cfn or "", self.cob or self.ob)
            edge = self.profile.calls.setdefault(
                (self.fn, callee), CallEdge(self.fn, callee))
            edge.count += self.pending_call
            _add_costs(edge.inclusive, costs)
            if "line" in self.positions:
                edge.lines.add(where[self.positions.index("line")])
            self.pending_call = None
            self.cob = None
            return
        _add_costs(self.profile.self_cost.setdefault(self.fn, {}), costs)

    def spec_line(self, spec: str, value: str, lineno: int) -> None:
        if not self.body:
            self.start_body(lineno)
        assert self.profile is not None
        if spec in _TABLE:
            text = self.name(spec, value, lineno)
            if spec == "ob":
                self.ob = text
            elif spec == "cob":
                self.cob = text
            elif spec == "fn":
                self.fn = function_key(text, self.ob)
                self.profile.self_cost.setdefault(self.fn, {})
                if self.ob:
                    self.profile.objects.setdefault(self.fn, self.ob)
                self.cob = None
            elif spec == "cfn":
                self.cfn = text
            return
        if spec == "calls":
            tokens = value.split()
            if not tokens:
                raise FormatError(f"{self.path}:{lineno}: calls= without a count")
            # The target position leaves the last position alone (as callgrind writes it).
            self.pending_call = int(tokens[0])
        # jump=, jcnd= (--collect-jumps) are not costs, and the position line after
        # them carries none.

    def read(self, lines: Iterable[str]) -> ThreadProfile:
        totals: Optional[List[int]] = None
        for lineno, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            m = _SPEC.match(line)
            if m:
                self.spec_line(m.group(1), m.group(2), lineno)
                continue
            first = line[0]
            if first.isdigit() or first in "+-*":
                self.cost_line(line, lineno)
                continue
            h = _HEADER.match(line)
            if not h:
                raise FormatError(f"{self.path}:{lineno}: not a callgrind line: {line[:60]!r}")
            key, value = h.group(1), h.group(2)
            if key == "events":
                self.events = value.split()
            elif key == "totals":
                totals = [int(t) for t in value.split()]
            self.headers.setdefault(key, []).append(value)
        if self.profile is None:
            self.start_body(0)
        assert self.profile is not None
        if self.pending_call is not None:
            raise FormatError(f"{self.path}: ends inside a call")
        if totals is not None:
            for event, n in zip(self.events, totals):
                if self.profile.total(event) != n:
                    raise FormatError(f"{self.path}: {event} sums to {self.profile.total(event)}"
                                      f" but totals: says {n} (a file cut short?)")
        return self.profile


def read_text(text: str, path: str = "<text>") -> ThreadProfile:
    return _Reader(path).read(text.splitlines())


def read_file(path: str) -> ThreadProfile:
    with open(path, encoding="utf-8", errors="replace") as f:
        return _Reader(path).read(f)


def dump_files(out_file: str) -> List[str]:
    """Every file callgrind wrote for `--callgrind-out-file=<out_file>` (it appends
    `.<dump>` and `-<thread>`), in name order; not the empty file it leaves at
    <out_file> itself with --separate-threads=yes."""
    return sorted(p for p in glob.glob(glob.escape(out_file) + "*")
                  if _DUMP_SUFFIX.match(p[len(out_file):]) and os.path.getsize(p) > 0)


def read_threads(paths: Iterable[str]) -> Dict[int, ThreadProfile]:
    """{callgrind thread number: its costs summed over every dump in `paths`}. With the
    callgrind window (metrics/callgrind_window.h) nothing outside the window is counted,
    so the sum over a thread's dumps is its window."""
    threads: Dict[int, ThreadProfile] = {}
    for path in paths:
        profile = read_file(path)
        if profile.thread in threads:
            threads[profile.thread].add(profile)
        else:
            threads[profile.thread] = profile
    return threads
