#!/usr/bin/python3
"""A stand-in for the C++ harness in tests of `rxbench ci`: accepts `compare` with the
options the gate uses, validates like the real one (exit 2, one line), and writes a
results file whose numbers the test controls.

Receive-path CPU per packet: 3000 ns (combined-list) or 2600 ns (iouring), times
uniform noise within +-1 %, plus --inject-cost-ns (the real knob spins that long per
packet in the receiver). So +450 ns is +15 % for combined-list, +17 % for iouring,
while two plain runs never differ by more than ~2 %.
Environment: FAKE_RXBENCH_LOG (append one JSON line per call: argv), FAKE_RXBENCH_LOSS
(packets lost per repetition when --inject-cost-ns is given), FAKE_RXBENCH_FAIL (runs
exit 1), FAKE_RXBENCH_NOISE (the noise's half-width instead of 0.01), FAKE_RXBENCH_SEED
(seeds each call's noise with it and the --out directory's name: reproducible gates),
FAKE_RXBENCH_SWING ("strategy=fraction,...": that strategy's cost is 1 + f or
1 - f times its base in alternate calls, by the number of calls logged so far; the
gate's runs alternate order, so its pairs' ratios swing as far above 1 as below it,
and no test can decide on them).
A file cost.txt beside the binary (the fake bazel copies it from the revision built)
adds that many ns to every repetition: a regression planted in a commit.
Each repetition's noise is also written as its receiver's run-queue wait (1000 ns per
packet, +-500 at the noise's extremes): a covariate that explains the noise entirely.
"""
import json
import os
import random
import socket
import sys

BASE = {"combined-list": 3000.0, "iouring": 2600.0}
VALUES = {"--strategies": str, "--repetitions": int, "--out": str, "--scenario": str,
          "--rate": float, "--duration": float, "--measure": str, "--inject-cost-ns": int,
          "--cpu-receiver": int, "--cpu-generator": int,
          "--cpu-pipeline": int}
SENT = 20000


def usage(message):
    print(f"rxbench: {message}", file=sys.stderr)
    sys.exit(2)


def parse(argv):
    if not argv or argv[0] != "compare":
        usage("the fake harness knows only `compare`")
    options, dry_run, i = {}, False, 1
    while i < len(argv):
        name = argv[i]
        if name == "--dry-run":
            dry_run, i = True, i + 1
            continue
        if name not in VALUES:
            usage(f"The following argument was not expected: {name}")
        if i + 1 >= len(argv):
            usage(f"{name}: a value is required")
        try:
            options[name] = VALUES[name](argv[i + 1])
        except ValueError:
            usage(f"{name}: not a number: {argv[i + 1]}")
        i += 2
    if options.get("--rate", 1) <= 0:
        usage("--rate: value must be positive")
    if options.get("--measure", "full") not in ("full", "minimal"):
        usage("--measure: full or minimal")
    for strategy in options.get("--strategies", "").split(","):
        if strategy not in BASE:
            usage(f"unknown strategy '{strategy}'")
    return options, dry_run


def planted_cost():
    path = os.path.join(os.path.dirname(os.path.abspath(sys.argv[0])), "cost.txt")
    if not os.path.exists(path):
        return 0.0
    with open(path) as f:
        return float(f.read())


def iteration(strategy, index, repetitions, options, rng, call):
    inject = options.get("--inject-cost-ns", 0)
    u = rng.uniform(-1.0, 1.0)
    swing = swings().get(strategy)
    if swing is None:
        noise = 1 + float(os.environ.get("FAKE_RXBENCH_NOISE", "0.01")) * u
    else:
        # A little more each call: no two ratios tie.
        noise = 1 + (swing + call * 1e-4) * (1 if call % 2 == 0 else -1)
    cpu = BASE[strategy] * noise + inject + planted_cost()
    lost = int(os.environ.get("FAKE_RXBENCH_LOSS", "0")) if inject else 0
    minimal = options.get("--measure") == "minimal"
    latency = None if minimal else 1e6 * rng.uniform(0.99, 1.01)
    return {
        "name": f"{strategy}/default", "run_type": "iteration", "strategy": strategy,
        "scenario": "default", "repetition_index": index, "repetitions": repetitions,
        "ok": True, "measure": "minimal" if minimal else "full",
        "packets_sent": SENT, "packets_delivered": SENT - lost, "in_flight_at_stop": 0,
        "kernel_drops": lost, "cpu_time": cpu, "cpu_ns_per_packet_receive_path": cpu,
        "cpu_ns_per_packet_receiver": 0.4 * cpu, "cpu_ns_per_packet_pipeline": 0.6 * cpu,
        "latency_p50_ns": latency, "latency_p99_ns": latency and 3 * latency,
        "iterations": SENT - lost, "time_unit": "ns", "schema_version": 1,
        "thread_cpu": {"rxrecv": {"role": "receiver",
                                  "run_queue_wait_ns_per_packet": 1000 + 500 * u}},
        # Wall time of the window per packet: 1 s of the default 20 kpps.
        "real_time": 1e9 / (SENT - lost) if SENT - lost else 0,
    }


def swings():
    text = os.environ.get("FAKE_RXBENCH_SWING", "")
    return {name: float(value) for name, value in
            (item.split("=") for item in text.split(",") if item)}


def main(argv):
    log = os.environ.get("FAKE_RXBENCH_LOG")
    call = 0
    if log:
        if os.path.exists(log):
            with open(log) as f:
                call = sum(1 for _ in f)
        with open(log, "a") as f:
            f.write(json.dumps([sys.argv[0]] + argv) + "\n")
    options, dry_run = parse(argv)
    if dry_run:
        return 0
    if os.environ.get("FAKE_RXBENCH_FAIL"):
        print("rxbench: receiver thread failed: fake failure", file=sys.stderr)
        return 1
    seed = os.environ.get("FAKE_RXBENCH_SEED")
    # The --out directory's own name (rep003-candidate), not its temporary parent.
    rng = random.Random(f"{seed}:{os.path.basename(os.path.normpath(options['--out']))}"
                        if seed else None)
    repetitions = options.get("--repetitions", 3)
    strategies = options["--strategies"].split(",")
    benchmarks = [iteration(s, i, repetitions, options, rng, call)
                  for i in range(repetitions) for s in strategies]
    context = {"host_name": socket.gethostname(), "kernel_release": "6.1.0-fake",
               "gstreamer_version": "GStreamer 1.22.0", "schema_version": 1,
               "rxbench_version": os.environ.get("RXBENCH_VERSION") or "unknown",
               "measure": options.get("--measure", "full"),
               "scenario": {"name": options.get("--scenario", "default")}}
    os.makedirs(options["--out"], exist_ok=True)
    with open(os.path.join(options["--out"], "compare.json"), "w") as f:
        json.dump({"context": context, "benchmarks": benchmarks}, f)
    print("fake table")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
