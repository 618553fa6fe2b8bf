"""Whether the exact tier can run here and for a strategy, and the reason when not.

It needs valgrind 3.19 or newer: --collect-systime=nsec, --separate-threads and
--fair-sched as used here are documented from 3.19 on, and 3.19 is Debian 12's. A
strategy valgrind cannot run is refused with its reason instead of being started:
under valgrind 3.19, io_uring's multishot receive with a provided buffer ring never
completes, so such a run hangs until its timeout.
"""
import re
import subprocess
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple

MIN_VERSION = (3, 19)
IO_URING_REFUSAL = (
    "valgrind cannot run io_uring's multishot receive with a provided buffer ring "
    "(under valgrind 3.19 the run hangs until its timeout): not counted")

_VERSION = re.compile(r"valgrind-(\d+)\.(\d+)(?:\.(\d+))?")

Runner = Callable[[List[str]], "subprocess.CompletedProcess[str]"]


def _run(args: List[str]) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


@dataclass
class Probe:
    """valgrind's version, or None; `reason` says why the tier cannot run, else None."""
    version: Optional[Tuple[int, ...]]
    reason: Optional[str]


def parse_version(text: str) -> Optional[Tuple[int, ...]]:
    """(3, 19, 0) from `valgrind --version`'s "valgrind-3.19.0"; None if not there."""
    m = _VERSION.search(text)
    if not m:
        return None
    return tuple(int(g) for g in m.groups() if g is not None)


def probe(run: Runner = _run) -> Probe:
    try:
        done = run(["valgrind", "--version"])
    except FileNotFoundError:
        return Probe(None, "valgrind is not installed (Debian package valgrind)")
    except (OSError, subprocess.SubprocessError) as e:
        return Probe(None, f"valgrind --version failed: {e}")
    version = parse_version(done.stdout + done.stderr)
    if done.returncode != 0 or version is None:
        return Probe(None, "valgrind --version did not say its version: "
                     + (done.stdout + done.stderr).strip()[:200])
    if version[:2] < MIN_VERSION:
        have = ".".join(map(str, version))
        need = ".".join(map(str, MIN_VERSION))
        return Probe(version, f"valgrind {have} is older than {need}")
    return Probe(version, None)


def preset_receive_calls(listing: str) -> Dict[str, str]:
    """{strategy: its buffer/sync/recv/push column} from `rxbench list`'s strategies."""
    out: Dict[str, str] = {}
    inside = False
    for line in listing.splitlines():
        if line.startswith("strategies"):
            inside = True
            continue
        if inside and not line.startswith("  "):
            break
        if inside:
            parts = line.split(None, 1)
            if len(parts) == 2:
                out[parts[0]] = parts[1]
    return out


def _receive_call(strategy: str, presets: Dict[str, str]) -> Optional[str]:
    """The receive call `strategy` ("iouring", "pooled+recv=iouring", "null+gro") uses,
    or None when its preset is not in the listing."""
    base, overrides = strategy, ""
    while base not in presets and "+" in base:
        base, rest = base.rsplit("+", 1)
        overrides = rest + ("+" + overrides if overrides else "")
    for item in filter(None, overrides.split("+")):
        key, _, value = item.partition("=")
        if key == "recv":
            return value
    if base not in presets:
        return None
    column = presets[base].split()[0]
    fields = column.split("/")
    return fields[2] if len(fields) == 4 else column.rstrip(",")


def refusal(strategy: str, listing: str) -> Optional[str]:
    """Why the exact tier will not run `strategy`, or None. `listing`: `rxbench list`'s
    output of the build that would run it (its presets and their receive calls)."""
    recv = _receive_call(strategy, preset_receive_calls(listing))
    if recv is None:
        return f"unknown strategy {strategy!r}: not in `rxbench list`"
    if recv == "iouring":
        return f"{strategy}: {IO_URING_REFUSAL}"
    return None
