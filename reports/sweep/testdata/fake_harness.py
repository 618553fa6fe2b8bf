#!/usr/bin/python3
"""Stands in for the C++ harness in cli_test: `run --strategy S --rate R --repetitions N
--out F [--duration D] [--phase-timing]`. Writes N iterations shaped from a real
recorded one: packets are lost above $FAKE_KNEE_PPS, the generator tops out at
600 kpps, strategy "broken" fails (exit 1), an unknown option is a usage error
(exit 2; so is --phase-timing when $FAKE_NO_PHASE_TIMING is set), each run sleeps
$FAKE_SLEEP_S. Every call is appended to $FAKE_LOG."""
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
    argv = [a for a in argv if a != "--phase-timing"]
    opts, i = {}, 1
    while i < len(argv):
        if argv[i] not in ("--strategy", "--rate", "--repetitions", "--out", "--duration"):
            print(f"rxbench: unknown option {argv[i]}", file=sys.stderr)
            return 2
        opts[argv[i]] = argv[i + 1]
        i += 2
    with open(os.environ["FAKE_LOG"], "a") as log:
        log.write(" ".join(argv) + "\n")
    time.sleep(float(os.environ.get("FAKE_SLEEP_S", "0")))
    if opts["--strategy"] == "broken":
        print("rxbench: broken (repetition 1) failed: receiver did not start", file=sys.stderr)
        return 1
    with open(RECORDED, encoding="utf-8") as f:
        template = next(b for b in json.load(f)["benchmarks"]
                        if b.get("strategy") == "combined-list" and b.get("ok"))
    rate = float(opts.get("--rate", 10000))
    achieved = min(rate, 600_000.0)
    knee = float(os.environ.get("FAKE_KNEE_PPS", "150000"))
    runs = []
    for rep in range(int(opts.get("--repetitions", 1))):
        r = copy.deepcopy(template)
        r.update(strategy=opts["--strategy"], repetition_index=rep, offered_pps=rate,
                 achieved_pps=achieved, packets_sent=int(achieved),
                 kernel_drops=int(max(0.0, achieved - knee) * 0.01),
                 generator_fell_behind=achieved < rate * 0.98)
        if phase_timing:  # made-up phase costs: this only feeds the fallback's plumbing
            r["phase_ns_per_packet"] = {"receive_call": 900.0, "acquire": 300.0,
                                        "validate_stamp": 60.0, "push": 1200.0}
        runs.append(r)
    with open(opts["--out"], "w", encoding="utf-8") as f:
        json.dump({"context": {}, "benchmarks": runs}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
