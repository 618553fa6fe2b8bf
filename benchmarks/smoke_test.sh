#!/usr/bin/env bash
# Smoke test of //benchmarks:microbench: every family runs for a minimal time
# and writes valid Google Benchmark JSON. Fails if the binary crashes, a
# benchmark reports an error, or a family disappears. Not a performance test.
set -euo pipefail

bin="benchmarks/microbench"
if [[ ! -x "$bin" && -n "${TEST_SRCDIR:-}" ]]; then
  bin="$TEST_SRCDIR/rxbench/benchmarks/microbench"
fi
out="${TEST_TMPDIR:-$(mktemp -d)}/microbench.json"

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
for family in FAMILIES:
    ran = [b for b in benchmarks if b["name"].startswith(family) and not b.get("error_occurred")]
    if not ran:
        print(f"FAIL no benchmark of family {family} ran")
        failed = True
    else:
        print(f"ok   {family}: {len(ran)} benchmarks")
sys.exit(1 if failed else 0)
PY
