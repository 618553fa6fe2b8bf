#!/usr/bin/python3
"""Runs the same `./rxbench ci` gate N times, one after another, and tallies how many
failed and which checks failed: the real-gate counterpart of `ci --calibrate`'s
resampled rates ("0 false alarms in 20 A/A gates", "+2 % caught in 20 of 20").

    tools/gate_series.py --gates 20 --json aa.json -- --calibrate --tier exact \
        --strategies baseline,combined-list

Everything after `--` is passed to `./rxbench ci` as is, plus `--no-record` and an
`--out` directory per gate, from which the gate's own ci.json is read. In --calibrate
mode `ci` exits 0 whatever it decides, so the verdict is read from ci.json
(gate.failed), never from the exit code. A gate that could not run (exit 2, or no
ci.json) stops the series: a tally over broken gates would mean nothing.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gates", type=int, required=True, help="gates to run")
    parser.add_argument("--json", metavar="FILE", help="write the tally and every gate")
    parser.add_argument("--rxbench", default=os.path.join(_root(), "rxbench"),
                        help="the rxbench wrapper to run (default: this checkout's)")
    parser.add_argument("ci_args", nargs=argparse.REMAINDER,
                        help="-- then the arguments of `rxbench ci`")
    args = parser.parse_args(argv)
    ci_args = args.ci_args[1:] if args.ci_args[:1] == ["--"] else args.ci_args
    if args.gates < 1 or not ci_args:
        parser.error("give --gates N >= 1 and `-- CI ARGUMENTS`")

    gates = []
    with tempfile.TemporaryDirectory(prefix="rxbench-gate-series-") as work:
        for i in range(args.gates):
            out = os.path.join(work, f"gate{i:03d}")
            started = time.monotonic()
            proc = subprocess.run([args.rxbench, "ci", *ci_args, "--no-record", "--out", out],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            seconds = time.monotonic() - started
            document = _ci_json(out)
            if proc.returncode not in (0, 1) or document is None:
                sys.stderr.write(proc.stdout)
                sys.stderr.write(f"gate {i + 1}: exit {proc.returncode}, no verdict; "
                                 "series stopped\n")
                return 2
            gates.append(_summary(document, seconds))
            print(f"gate {i + 1}/{args.gates}: "
                  f"{'FAIL' if gates[-1]['failed'] else 'PASS'} in {seconds:.0f} s"
                  + "".join(f"; {c}" for c in gates[-1]["regressions"]), flush=True)

    tally = _tally(gates)
    print(f"{tally['failed']} of {tally['gates']} gates failed; "
          f"median {tally['median_seconds']:.0f} s per gate")
    for check, n in sorted(tally["by_check"].items()):
        print(f"  {check}: failed in {n} of {tally['gates']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ci_args": ci_args, **tally, "runs": gates}, f, indent=1)
    return 0


def _root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _ci_json(out):
    try:
        with open(os.path.join(out, "ci.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _summary(document, seconds):
    checks = document["gate"]["checks"]
    failed = [c for c in checks if c["status"] == "regression"]
    return {"failed": bool(document["gate"]["failed"]), "seconds": round(seconds, 1),
            "regressions": [f"{c['strategy']} {c['metric']}" for c in failed],
            "messages": [c["message"] for c in failed]}


def _tally(gates):
    by_check = collections.Counter(c for g in gates for c in g["regressions"])
    seconds = sorted(g["seconds"] for g in gates)
    return {"gates": len(gates), "failed": sum(g["failed"] for g in gates),
            "by_check": dict(by_check), "median_seconds": seconds[len(seconds) // 2]}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
