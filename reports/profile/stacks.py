"""Samples -> folded stacks per thread, each thread's role, and its top functions.

Folded stacks are FlameGraph's text form ("root;caller;leaf weight"), weighted by the
sample period (ns of CPU) so a thread's total is its CPU time however perf varied the
sampling interval. Threads are keyed by comm (name), merging threads of one name: a
run has one receiver, one generator and one thread per streaming task.
"""
from dataclasses import dataclass


def role(comm, strategy, catalogue):
    """receiver, pipeline, generator or harness, from the thread's name alone, by the
    harness's own rules (the results' catalogue, harness/thread_roles.h): its named
    threads, io_uring's workers, and udpsrc's source task ("src:src"), which is that
    strategy's receiver; any other thread is GStreamer's. None when the results predate
    the catalogue (reports/results/catalogue.py)."""
    return catalogue.thread_role(comm, strategy) if catalogue else None


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
