#!/usr/bin/env bash
# `run --media h264` end to end: the probe in the header extension reaches the
# receive loop and the sink, so every packet of the window is stamped and
# latency is measured from real send times (an H.264 byte read as a send time
# would not be: a stamp from the future is not recorded, one from the past is
# years old).
set -uo pipefail
export RXBENCH_BIN="$PWD/$2"
wrapper="$1"
clip="$PWD/$3"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
# baseline: the receive loop reads the probe; udpsrc: the sink reads it.
for strategy in baseline udpsrc; do
  "$wrapper" run --strategy "$strategy" --media h264 --media-clip "$clip" --packets 600 --warmup 100 \
    --out "$tmp/$strategy.json" >"$tmp/out" 2>&1 || { cat "$tmp/out"; echo "FAIL: $strategy: run"; exit 1; }
done
/usr/bin/python3 - "$tmp/baseline.json" "$tmp/udpsrc.json" <<'PY'
import json
import sys

problems = []


def check(entry, path):
    lat = entry["latency_detail"]
    window = entry["window_packets"]
    if window <= 0:
        problems.append(f"{path}: window_packets {window}")
    if entry["unstamped_packets"] != 0:
        problems.append(f"{path}: unstamped_packets {entry['unstamped_packets']}")
    # udpsrc has no receive loop: only the sink's reading.
    names = ("send_to_rx", "send_to_sink") if "udpsrc" not in path else ("send_to_sink",)
    for name in names:
        if lat[name]["count"] != window:
            problems.append(f"{path}: {name}: {lat[name]['count']} samples, {window} in the window")
        if not lat[name]["max_ns"] or lat[name]["max_ns"] > 60e9:
            problems.append(f"{path}: {name}: max {lat[name]['max_ns']} ns")


for path in sys.argv[1:]:
    check(json.load(open(path))["benchmarks"][0], path)
print("\n".join("FAIL: " + p for p in problems) or "ok")
sys.exit(1 if problems else 0)
PY
