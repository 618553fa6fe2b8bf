"""Hand-made results in the harness's JSON shape, for tests that need exact numbers."""

CONTEXT = {
    "host_name": "testhost", "kernel_release": "6.1.0-test", "gstreamer_version":
    "GStreamer 1.22.0", "rxbench_version": "v0-test", "measure": "full", "num_cpus": 2,
    "scenario": {"name": "default", "rate_pps": 10000.0, "shape": "burst", "fps": 30.0,
                 "payload_bytes": 1200, "packets": 20000},
}


def entry(strategy, index, cpu, *, sent=10000, delivered=10000, latency=1000000.0,
          **extra):
    """One iteration: receive-path CPU `cpu` ns/packet, split 40/60 receiver/pipeline."""
    fields = {
        "name": f"{strategy}/default", "run_type": "iteration", "strategy": strategy,
        "scenario": "default", "repetition_index": index, "ok": True, "measure": "full",
        "packets_sent": sent, "packets_delivered": delivered, "in_flight_at_stop": 0,
        "cpu_time": cpu, "cpu_ns_per_packet_receive_path": cpu,
        "cpu_ns_per_packet_receiver": 0.4 * cpu, "cpu_ns_per_packet_pipeline": 0.6 * cpu,
        "latency_p50_ns": latency, "latency_p99_ns": 3 * latency if latency else latency,
    }
    fields.update(extra)
    return fields


def results(entries, **context):
    return {"context": {**CONTEXT, **context}, "benchmarks": list(entries)}


def two_strategies(factor, n=12, reference="baseline", candidate="slow", noise=None,
                   **candidate_fields):
    """n paired repetitions: the reference at 1000 + i ns/packet, the candidate at
    factor times that (times noise[i] if given)."""
    entries = []
    for i in range(n):
        cpu = 1000.0 + i
        entries.append(entry(reference, i, cpu))
        entries.append(entry(candidate, i, cpu * factor * (noise[i] if noise else 1.0),
                             **candidate_fields))
    return results(entries)


def floor_and_strategy(null_ctx, catalogue, lock_step=None, n=3):
    """combined-list (0.03 context switches and 0.06 syscalls per packet) and null (the
    floor, `null_ctx` context switches, the same syscalls), with the roles and catalogue
    (`rxbench list --json` without its scenarios) the harness writes; lock-step when
    `lock_step` is a round size."""
    entries = []
    for i in range(n):
        entries.append(entry("combined-list", i, 5000.0 + i, strategy_role="ordinary",
                             ctx_switches_per_packet=0.03, syscalls_per_packet=0.06))
        entries.append(entry("null", i, 1900.0 + i, strategy_role="floor",
                             ctx_switches_per_packet=null_ctx, syscalls_per_packet=0.06,
                             cpu_ns_per_packet_receiver=1900.0 + i,
                             cpu_ns_per_packet_pipeline=0.0, latency_p50_ns=None,
                             latency_p99_ns=None))
    context = {"catalogue": {k: v for k, v in catalogue.items()
                             if k not in ("scenarios", "default_pipeline")},
               "invocation": {"reference": "combined-list"}}
    if lock_step:
        context["lock_step_packets"] = lock_step
    return results(entries, **context)
