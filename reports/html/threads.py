"""Splits one run's CPU per packet into the threads the CPU figure stacks.

Newer results carry `thread_cpu` with a role per thread; older ones only the receiver,
`pipeline_thread_cpu` per element and whole-process figures, from which the
unattributed rest is derived the same way the C++ defines it (process minus every
measured thread, the generator included).
"""

import re

RECEIVER = "receiver"
UNATTRIBUTED = "unattributed"
# The default pipeline's threads in the order a packet meets them (stable names).
PIPELINE_ORDER = ["src", "queue", "rtpjitterbuffer"]


def stable_names(names):
    """{element name: name stable across repetitions}.

    GStreamer numbers elements per process, so repetition 3 of a run has "queue2" where
    repetition 1 had "queue0". The number is dropped when a run has one element of that
    kind, else replaced by the element's rank among its kind in that run.
    """
    by_base = {}
    for name in names:
        by_base.setdefault(re.sub(r"\d+$", "", name), []).append(name)
    out = {}
    for base, group in by_base.items():
        if len(group) == 1:
            out[group[0]] = base
            continue
        group.sort(key=lambda n: (len(n), n))  # numeric order: queue2 before queue10
        for rank, name in enumerate(group):
            out[name] = f"{base}{rank}"
    return out


def components(run):
    """{thread label: CPU ns per delivered packet} for receiver, pipeline threads, unattributed."""
    out = {}
    thread_cpu = run.get("thread_cpu")
    if isinstance(thread_cpu, dict) and thread_cpu:
        stable = stable_names(n for n, t in thread_cpu.items() if t.get("role") == "pipeline")
        for name, t in thread_cpu.items():
            if t.get("role") in ("receiver", "pipeline"):
                label = RECEIVER if t["role"] == "receiver" else stable[name]
                out[label] = out.get(label, 0.0) + float(t.get("cpu_ns_per_packet") or 0.0)
        rest = run.get("unattributed_cpu_ns_per_packet")
        if isinstance(rest, (int, float)):
            out[UNATTRIBUTED] = max(0.0, float(rest))
        return out

    out[RECEIVER] = float(run.get("cpu_ns_per_packet_receiver") or 0.0)
    per_thread = run.get("pipeline_thread_cpu") or {}
    stable = stable_names(per_thread)
    for name, t in per_thread.items():
        out[stable[name]] = float(t.get("cpu_ns_per_packet") or 0.0)
    pipeline = float(run.get("cpu_ns_per_packet_pipeline") or 0.0)
    if not per_thread and pipeline > 0:
        out["pipeline (all threads)"] = pipeline
    rest = _derived_unattributed(run)
    if rest is not None:
        out[UNATTRIBUTED] = rest
    return out


def _derived_unattributed(run):
    process = run.get("cpu_ns_per_packet_process")
    path = run.get("cpu_ns_per_packet_receive_path")
    generator = run.get("generator_cpu_ns_per_packet")  # per packet *sent*
    sent, delivered = run.get("packets_sent"), run.get("packets_delivered")
    if None in (process, path, generator, sent) or not delivered:
        return None
    return max(0.0, process - path - generator * sent / delivered)


def ordered_labels(all_labels):
    """Receiver first, pipeline threads in packet order, unattributed last."""
    labels = set(all_labels)
    head = [RECEIVER] if RECEIVER in labels else []
    known = [x for x in PIPELINE_ORDER if x in labels]
    rest = sorted(labels - set(head) - set(known) - {UNATTRIBUTED})
    tail = [UNATTRIBUTED] if UNATTRIBUTED in labels else []
    return head + known + rest + tail
