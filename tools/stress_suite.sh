#!/usr/bin/env bash
# The test suite under the load of a busy CI machine: CPU, process churn,
# memory pressure and disk I/O at once (CPU load alone hides the failures that
# matter: page-cache and I/O stalls deschedule threads for milliseconds).
#
#   tools/stress_suite.sh [suite-runs [per-test-runs]]
#
#   1. `./rxbench test --nocache_test_results`, suite-runs times in a row
#      (default 5); then once more without it, which must only report cached
#      passes (the tests are hermetic: nothing outside their inputs changes).
#   2. The tests that read a clock, each run per-test-runs times (default 20)
#      with --runs_per_test, under the same load.
# Prints one line per step and a closing "N passed, N failed"; exits non-zero
# if any step failed. The load is stress-ng (Debian `stress-ng`, installed if
# missing), started here and stopped on every exit path; its files go to a
# temporary directory under /tmp.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SUITE_RUNS="${1:-5}"
PER_TEST_RUNS="${2:-20}"

# Every test that reads a clock or waits for something to happen in time.
TIMING_TARGETS=(
  //tests:generator_test
  //tests:receiver_behaviour_test
  //tests:thread_wake_test
  //tests:buffer_source_test
  //tests:iouring_call_test
  //tests:stop_while_blocked_test
  //tests:runner_json_test
  //tests:thread_census_test
  //tests:thread_usage_test
  //tests:strategies_test
  //tests:lock_step_test
  //tests:run_queue_wait_test
)

say() { printf 'stress_suite: %s\n' "$*" >&2; }

if ! command -v stress-ng >/dev/null; then
  say "installing stress-ng"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends stress-ng >/dev/null
fi

scratch="$(mktemp -d /tmp/rxbench-stress.XXXXXX)"
stress_pid=""
stop_load() {
  if [[ -n "$stress_pid" ]]; then
    kill -TERM "$stress_pid" 2>/dev/null || true
    wait "$stress_pid" 2>/dev/null || true
    stress_pid=""
  fi
  rm -rf "$scratch"
}
trap stop_load EXIT
trap 'exit 130' INT TERM

# Bounded: the load ends by itself after two hours even if this script is killed.
stress-ng --cpu 2 --fork 2 --vm 1 --vm-bytes 1G --hdd 1 --temp-path "$scratch" \
  --timeout 7200 --quiet &
stress_pid=$!
say "load: stress-ng --cpu 2 --fork 2 --vm 1 --vm-bytes 1G --hdd 1 (pid $stress_pid)"

passed=0
failed=0
step() {  # name command...
  local name="$1" start=$SECONDS log
  shift
  log="$scratch/step.log"
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    say "PASS $name ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    say "FAIL $name ($((SECONDS - start)) s)"
    grep -E 'FAILED|Failure|Which is|Expected|error' "$log" | head -n 40 >&2 || true
    cp "$log" "/tmp/rxbench-stress-failure-$(date +%s).log"
  fi
}

cached_only() {
  local log="$scratch/cached.log"
  ./rxbench test >"$log" 2>&1 || { cat "$log"; return 1; }
  # Every test line says "(cached) PASSED"; none ran again.
  if grep -E '^//.* PASSED' "$log" | grep -vq '(cached)'; then
    grep -E '^//.* PASSED' "$log" | grep -v '(cached)'
    return 1
  fi
}

for ((i = 1; i <= SUITE_RUNS; ++i)); do
  step "suite run $i of $SUITE_RUNS (./rxbench test --nocache_test_results)" ./rxbench test --nocache_test_results
done
step "suite again with the cache: only cached passes" cached_only
step "${#TIMING_TARGETS[@]} timing-sensitive targets, --runs_per_test=$PER_TEST_RUNS" \
  bazel test -c opt --nocache_test_results --runs_per_test="$PER_TEST_RUNS" "${TIMING_TARGETS[@]}"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
