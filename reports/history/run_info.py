"""What identifies a recorded run: when, which code, which machine, which scenario.

Taken from the results file's context (the harness wrote it on the machine that ran it);
what an older harness did not write is read from this machine, which is the same one
(recording happens right after the run).
"""
import datetime
import json
import os
import platform
import socket
from dataclasses import dataclass

# Context fields that define the workload: two runs compare like with like only when
# these are equal. Host facts, dates and versions are recorded separately.
WORKLOAD_KEYS = ("scenario", "measure", "pipeline", "rcvbuf_bytes", "batch", "buffer_size",
                 "pool_size", "cpu_receiver", "cpu_generator", "kernel_timestamps",
                 "inject_cost_ns")


@dataclass(frozen=True)
class RunInfo:
    recorded_at: str
    commit: str
    host: str
    kernel: str
    cpu_model: str
    gstreamer: str
    scenario: str
    options: str      # canonical JSON of the workload
    source: str       # which command recorded it: compare, ci, ci-reference, calibrate


# Which command recorded a run (RunInfo.source). A gate records its build under test as
# CI and, when it built one, the reference as CI_REFERENCE; `ci --calibrate` records both
# sides of its A/A as CALIBRATE.
COMPARE, CI, CI_REFERENCE, CALIBRATE = "compare", "ci", "ci-reference", "calibrate"


def describe(context, commit=None, source=COMPARE, extra_options=None):
    """`extra_options` (e.g. the CI gate's injected cost) join the workload options, so
    that such runs never count as the same workload as plain ones."""
    scenario = context.get("scenario")
    name = scenario.get("name", "custom") if isinstance(scenario, dict) else str(scenario)
    workload = {k: context[k] for k in WORKLOAD_KEYS if k in context}
    workload.update(extra_options or {})
    return RunInfo(
        recorded_at=now(),
        commit=commit or context.get("rxbench_version") or os.environ.get(
            "RXBENCH_VERSION") or "unknown",
        host=context.get("host_name") or socket.gethostname(),
        kernel=context.get("kernel_release") or platform.release(),
        cpu_model=context.get("cpu_model") or local_cpu_model(),
        gstreamer=context.get("gstreamer_version") or "unknown",
        scenario=name,
        options=json.dumps(workload, sort_keys=True, separators=(",", ":")),
        source=source,
    )


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def local_cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
