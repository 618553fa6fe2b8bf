#!/usr/bin/env bash
# Smoke test of //benchmarks:microbench: every family runs for a minimal time
# and writes valid Google Benchmark JSON. Fails if the binary crashes, a
# benchmark reports an error, or a family disappears. Not a performance test.
# Then --counters on one fast benchmark: every counter the stderr line reports
# as read appears as <name>_per_item (> 0), every unavailable one is absent.
set -euo pipefail

bin="benchmarks/microbench"
if [[ ! -x "$bin" && -n "${TEST_SRCDIR:-}" ]]; then
  bin="$TEST_SRCDIR/rxbench/benchmarks/microbench"
fi
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
out="$tmp/microbench.json"

# --filter is the wrapper's alias of --benchmark_filter: exercise it too.
"$bin" --filter='^BM_' --benchmark_min_time=0.001 \
  --benchmark_format=json --benchmark_out="$out" --benchmark_out_format=json >/dev/null

/usr/bin/python3 - "$out" <<'PY'
import json, sys

FAMILIES = ["BM_BufferSource/", "BM_Sync/", "BM_Receive/", "BM_Push/", "BM_Rtp/", "BM_Measure/"]

with open(sys.argv[1]) as f:
    report = json.load(f)
benchmarks = report.get("benchmarks", [])
failed = False
for b in benchmarks:
    if b.get("error_occurred"):
        print(f"FAIL {b['name']}: {b.get('error_message')}")
        failed = True
for b in benchmarks:
    extra = [k for k in b if k.endswith("_per_item")]
    if extra:
        print(f"FAIL {b['name']}: counters {extra} without --counters")
        failed = True
for family in FAMILIES:
    ran = [b for b in benchmarks if b["name"].startswith(family) and not b.get("error_occurred")]
    if not ran:
        print(f"FAIL no benchmark of family {family} ran")
        failed = True
    else:
        print(f"ok   {family}: {len(ran)} benchmarks")
sys.exit(1 if failed else 0)
PY

# Counters: task-clock is a software event (works without a PMU; in a sandbox
# with perf_event_paranoid=2 it is counted in user mode only); cycles needs a
# hardware PMU, which a VM may lack. What is available decides what must appear.
counters_out="$tmp/microbench_counters.json"
counters_err="$tmp/microbench_counters.stderr"
"$bin" --filter='^BM_Rtp/ParseHeader$' --counters=task-clock,cycles --benchmark_min_time=0.01 \
  --benchmark_out="$counters_out" --benchmark_out_format=json >/dev/null 2>"$counters_err" \
  || { cat "$counters_err" >&2; exit 1; }

/usr/bin/python3 - "$counters_out" "$counters_err" <<'PY'
import json, sys

REQUESTED = ["task-clock", "cycles"]
PREFIX = "microbench counters: "

with open(sys.argv[2]) as f:
    lines = [l.rstrip("\n") for l in f if l.startswith(PREFIX)]
if len(lines) != 1:
    print(f"FAIL expected one '{PREFIX}...' line on stderr, got {lines}")
    sys.exit(1)
line = lines[0]
print(f"stderr: {line}")
# "counters: a, b [user mode only: a] (unavailable: c, d: reason; e: reason)"
rest = line[len(PREFIX):]
cut = min([i for i in (rest.find(" ["), rest.find(" (unavailable: ")) if i >= 0] or [len(rest)])
available = set() if rest[:cut] == "none" else set(rest[:cut].split(", "))
unavailable = set()
marker = rest.find("(unavailable: ")
if marker >= 0:
    for entry in rest[marker + len("(unavailable: "):-1].split("; "):
        unavailable.update(entry.split(": ", 1)[0].split(", "))

with open(sys.argv[1]) as f:
    benchmarks = json.load(f).get("benchmarks", [])
failed = False
if len(benchmarks) != 1 or benchmarks[0].get("error_occurred"):
    print(f"FAIL expected one successful BM_Rtp/ParseHeader, got {benchmarks}")
    sys.exit(1)
b = benchmarks[0]
for name in REQUESTED:
    key = name + "_per_item"
    if (name in available) == (name in unavailable):
        print(f"FAIL {name} is neither or both available and unavailable in the stderr line")
        failed = True
    elif name in available:
        if not (isinstance(b.get(key), (int, float)) and b[key] > 0):
            print(f"FAIL {name} reported available but {key} = {b.get(key)!r}")
            failed = True
        else:
            print(f"ok   {key} = {b[key]:.3f}")
    elif key in b:
        print(f"FAIL {name} reported unavailable but {key} = {b[key]!r} is in the results")
        failed = True
    else:
        print(f"ok   {name} unavailable, {key} absent")
sys.exit(1 if failed else 0)
PY
