"""Samples -> folded stacks per thread, each thread's role, and its top functions.

Folded stacks are FlameGraph's text form ("root;caller;leaf weight"), weighted by the
sample period (ns of CPU) so a thread's total is its CPU time however perf varied the
sampling interval. Threads are keyed by comm (name), merging threads of one name: a
run has one receiver, one generator and one thread per streaming task.
"""
from dataclasses import dataclass

RECEIVER_COMMS = {"rxrecv", "rxnull"}


def role(comm, strategy):
    """receiver, pipeline, generator or harness, from the thread's name.

    udpsrc has no rxbench receiver thread: its source task ("src:src") is the receiver.
    Every other thread of the process is GStreamer's ("<element>:<pad>" tasks and
    element-private threads such as rtpjitterbuffer's "timer").
    """
    base = strategy.split("+")[0]
    if comm in RECEIVER_COMMS or (base == "udpsrc" and comm == "src:src"):
        return "receiver"
    if comm == "rxgen":
        return "generator"
    if comm == "rxbench":
        return "harness"
    return "pipeline"


def fold(samples):
    """{comm: {(frame, ...) root first: weight in ns}}."""
    out = {}
    for s in samples:
        stacks = out.setdefault(s.comm, {})
        key = tuple(s.frames)
        stacks[key] = stacks.get(key, 0) + s.period
    return out


def folded_text(stacks):
    return "".join(f"{';'.join(frames)} {weight}\n"
                   for frames, weight in sorted(stacks.items()))


@dataclass
class FunctionShare:
    function: str
    self_pct: float   # share of the thread's samples with this function as the leaf
    total_pct: float  # share with it anywhere on the stack (itself and its children)


def top_functions(stacks, n=12):
    """The `n` functions with the most self time, with their total time too."""
    total = sum(stacks.values())
    if not total:
        return []
    self_w, total_w = {}, {}
    for frames, w in stacks.items():
        if not frames:
            continue
        self_w[frames[-1]] = self_w.get(frames[-1], 0) + w
        for f in set(frames):  # recursion must not count a sample twice
            total_w[f] = total_w.get(f, 0) + w
    ranked = sorted(self_w, key=lambda f: (-self_w[f], f))[:n]
    return [FunctionShare(f, 100 * self_w[f] / total, 100 * total_w[f] / total) for f in ranked]
