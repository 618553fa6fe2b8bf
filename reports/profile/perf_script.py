"""Parses `perf script -F comm,tid,period,ip,sym,dso` output into samples.

A sample is a header line `<comm> <tid> <period>` (comm may contain spaces: GStreamer
names streaming threads "<element>:<pad>", and the kernel cuts names at 15 characters)
followed by one indented line per frame, leaf first: `<address> <symbol> (<dso>)`.
Frames are named for reading, not for addresses: kernel frames get a " [k]" suffix,
frames perf could not symbolise (stripped libraries such as GStreamer's) are named
after their library, "[libgstbase-1.0.so]".
"""
import os
import re
from dataclasses import dataclass

_HEADER = re.compile(r"^(?P<comm>\S.*?)\s+(?P<tid>\d+)\s+(?P<period>\d+)\s*$")
_FRAME = re.compile(r"^\s+(?P<addr>[0-9a-f]+)\s+(?P<sym>.*?)\s+\((?P<dso>[^()]*)\)\s*$")
KERNEL_SUFFIX = " [k]"


@dataclass
class Sample:
    comm: str
    tid: int
    period: int  # ns of CPU this sample stands for (cpu-clock)
    frames: list  # root first, leaf last


def frame_name(sym, dso):
    sym = re.sub(r"\+0x[0-9a-f]+$", "", sym.strip())
    if dso in ("[kernel.kallsyms]", "[kernel.vmlinux]") or dso.startswith("[kernel"):
        return (sym if sym and sym != "[unknown]" else "[kernel]") + KERNEL_SUFFIX
    if sym and sym != "[unknown]":
        return sym
    if dso and dso != "[unknown]":
        base = os.path.basename(dso)
        return f"[{base.split('.so')[0] + '.so' if '.so' in base else base}]"
    return "[unknown]"


def parse(text):
    """[Sample] in file order; lines that fit neither shape are skipped."""
    samples, current = [], None
    for line in text.splitlines():
        if not line.strip():
            current = None
            continue
        if line[0].isspace():
            m = _FRAME.match(line)
            if current is not None and m:
                current.frames.append(frame_name(m.group("sym"), m.group("dso")))
            continue
        m = _HEADER.match(line)
        if m:
            current = Sample(m.group("comm"), int(m.group("tid")), int(m.group("period")), [])
            samples.append(current)
    for s in samples:
        s.frames.reverse()
        # An unwinder that lost its way ends in [unknown] at the root; drop that noise.
        while len(s.frames) > 1 and s.frames[0] == "[unknown]":
            s.frames.pop(0)
    return samples
