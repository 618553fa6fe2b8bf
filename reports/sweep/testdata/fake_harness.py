#!/usr/bin/python3
"""Stands in for the C++ harness in cli_test: `run --strategy S --rate R --repetitions N
--out F [--streams K] [--duration D] [--cpu-receiver C --cpu-pipeline C --cpu-generator C]
[--phase-timing]`. Writes N iterations shaped from a real recorded one: packets are lost
above $FAKE_KNEE_PPS, the generator tops out at 600 kpps, strategy "broken" fails (exit
1), an unknown option is a usage error (exit 2; so is --phase-timing when
$FAKE_NO_PHASE_TIMING is set), each run sleeps $FAKE_SLEEP_S. With --streams K, as
`run --streams` does: R is each stream's rate, the totals are over the K streams (K x R
offered) and "per_stream" has one entry per stream; from stream $FAKE_FIRST_LOSSY_STREAM (of
strategy S, or of any strategy: "S=37,T=50" or "37") on, every stream loses one packet
(and the total counts them as kernel drops); "udpsrc" refuses more than one stream
without --stream-sockets per-stream (exit 2), as the real one does. --dry-run checks the
options and exits. Every call but a dry run is appended to $FAKE_LOG."""
import copy
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RECORDED = os.path.join(HERE, "..", "..", "html", "testdata", "compare-high-rate.json")


def main(argv):
    if not argv or argv[0] != "run":
        print("rxbench: fake harness knows only 'run'", file=sys.stderr)
        return 2
    phase_timing = "--phase-timing" in argv
    if phase_timing and os.environ.get("FAKE_NO_PHASE_TIMING"):
        print("rxbench: The following argument was not expected: --phase-timing", file=sys.stderr)
        return 2
    dry_run = "--dry-run" in argv
    argv = [a for a in argv if a not in ("--phase-timing", "--dry-run")]
    opts, i = {}, 1
    while i < len(argv):
        if argv[i] not in ("--strategy", "--rate", "--repetitions", "--out", "--duration",
                           "--streams", "--cpu-receiver", "--cpu-pipeline", "--cpu-generator",
                           "--stream-sockets"):
            print(f"rxbench: unknown option {argv[i]}", file=sys.stderr)
            return 2
        opts[argv[i]] = argv[i + 1]
        i += 2
    if opts["--strategy"] == "udpsrc" and int(opts.get("--streams", 1)) > 1 \
            and opts.get("--stream-sockets") != "per-stream":
        print("rxbench: --streams with udpsrc needs --stream-sockets per-stream", file=sys.stderr)
        return 2
    if dry_run:
        return 0
    with open(os.environ["FAKE_LOG"], "a") as log:
        log.write(" ".join(argv) + "\n")
    time.sleep(float(os.environ.get("FAKE_SLEEP_S", "0")))
    if opts["--strategy"] == "broken":
        print("rxbench: broken (repetition 1) failed: receiver did not start", file=sys.stderr)
        return 1
    with open(RECORDED, encoding="utf-8") as f:
        template = next(b for b in json.load(f)["benchmarks"]
                        if b.get("strategy") == "combined-list" and b.get("ok"))
    rate = float(opts.get("--rate", 10000)) * int(opts.get("--streams", 1))
    achieved = min(rate, 600_000.0)
    knee = float(os.environ.get("FAKE_KNEE_PPS", "150000"))
    runs = []
    for rep in range(int(opts.get("--repetitions", 1))):
        r = copy.deepcopy(template)
        r.update(strategy=opts["--strategy"], repetition_index=rep, offered_pps=rate,
                 achieved_pps=achieved, packets_sent=int(achieved),
                 kernel_drops=int(max(0.0, achieved - knee) * 0.01),
                 generator_fell_behind=achieved < rate * 0.98)
        if "--streams" in opts:
            add_streams(r, int(opts["--streams"]), first_lossy_stream(opts["--strategy"]))
        if phase_timing:  # made-up phase costs: this only feeds the fallback's plumbing
            r["phase_ns_per_packet"] = {"receive_call": 900.0, "acquire": 300.0,
                                        "validate_stamp": 60.0, "push": 1200.0}
        runs.append(r)
    with open(opts["--out"], "w", encoding="utf-8") as f:
        json.dump({"context": {}, "benchmarks": runs}, f)
    return 0


def first_lossy_stream(strategy):
    spec = os.environ.get("FAKE_FIRST_LOSSY_STREAM", "1000000")
    if "=" not in spec:
        return int(spec)
    limits = dict(part.split("=") for part in spec.split(","))
    return int(limits.get(strategy, 1000000))


def add_streams(run, count, first_lossy):
    """Splits the run's totals over `count` streams; a stream from `first_lossy` on loses one
    packet. Cost and latency grow with the count, as a loaded core's would."""
    each = run["packets_sent"] // count
    run["packets_sent"] = each * count
    lossy = max(0, count - first_lossy + 1)
    run["kernel_drops"] = run.get("kernel_drops", 0) + lossy
    run["cpu_ns_per_packet_receive_path"] *= 1 + count / 64
    run["latency_p99_ns"] *= 1 + count / 16
    run["per_stream"] = [
        {"ssrc": 0x52584243 + i, "port": 5004, "sent": each,
         "delivered": each - (i + 1 >= first_lossy), "lost": int(i + 1 >= first_lossy),
         "latency_p50_ns": run["latency_p50_ns"], "latency_p99_ns": run["latency_p99_ns"],
         "jitter_ns": 1000.0} for i in range(count)]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
