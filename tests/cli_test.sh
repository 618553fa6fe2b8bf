#!/usr/bin/env bash
# The ./rxbench wrapper and the harness's command line, as a user meets them:
# --help and list work, a bad option or name exits 2 with exactly one line on
# stderr, a run writes parseable JSON. RXBENCH_BIN makes the wrapper run the
# binary Bazel built for this test instead of building it again.
set -uo pipefail
wrapper="$1"
export RXBENCH_BIN="$PWD/$2"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

expect_exit() {  # expected_code description command...
  local want="$1" what="$2"; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [[ $got -eq $want ]] || fail "$what: exit $got, want $want (stderr: $(head -c 300 "$tmp/err"))"
}

expect_exit 0 "--help" "$wrapper" --help
grep -q "list" "$tmp/out" && grep -q "compare" "$tmp/out" || fail "--help does not list subcommands"
for sub in list run compare; do
  expect_exit 0 "$sub --help" "$wrapper" "$sub" --help
done
grep -q -- "--strategies" "$tmp/out" || fail "compare --help does not mention --strategies"

expect_exit 0 "list" "$wrapper" list
for name in baseline pooled lockfree recvmmsg combined combined-list iouring udpsrc null default high-rate; do
  grep -q "^  $name " "$tmp/out" || fail "list does not show $name"
done

one_line_usage_error() {  # description command...
  local what="$1"; shift
  expect_exit 2 "$what" "$@"
  [[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "$what: stderr is not one line: $(cat "$tmp/err")"
  [[ -s "$tmp/out" ]] && fail "$what: printed on stdout: $(head -c 200 "$tmp/out")"
}
one_line_usage_error "unknown option" "$wrapper" run --strategy baseline --no-such-option
one_line_usage_error "unknown strategy" "$wrapper" run --strategy nope --duration 0.1
one_line_usage_error "unknown scenario" "$wrapper" compare --scenario nope
one_line_usage_error "bad shape" "$wrapper" run --strategy baseline --shape square
one_line_usage_error "missing subcommand" "$wrapper"
one_line_usage_error "bad pipeline" "$wrapper" run --strategy baseline --pipeline "fakesrc ! fakesink"
one_line_usage_error "same strategy twice" "$wrapper" compare --strategies "pooled,pooled+buffer=gstpool"
one_line_usage_error "CPU that does not exist" "$wrapper" run --strategy baseline --cpu-receiver 4096
one_line_usage_error "override on null" "$wrapper" run --strategy null+push=list
one_line_usage_error "bad override value" "$wrapper" run --strategy pooled+buffer=nope
one_line_usage_error "bad override axis" "$wrapper" run --strategy pooled+colour=red
one_line_usage_error "bad --impair" "$wrapper" run --strategy baseline --impair jitter=1%
one_line_usage_error "--impair rates over 1" "$wrapper" run --strategy baseline --impair loss=60%,dup=50%

# A short run writes JSON that a reader can use.
expect_exit 0 "run" "$wrapper" run --strategy baseline --rate 2000 --duration 0.5 --out "$tmp/r.json"
grep -q "^baseline " "$tmp/out" || fail "run printed no table row for baseline: $(cat "$tmp/out")"
/usr/bin/python3 - "$tmp/r.json" <<'PY' || fail "run JSON is not what it should be"
import json, sys
doc = json.load(open(sys.argv[1]))
b = doc["benchmarks"][0]
assert b["name"] == "baseline/custom", b["name"]
# The default warm-up (300 packets, rounded up to the end of a frame of the
# burst shape), then the 1000 measured ones.
assert 300 <= b["warmup_packets"] < 400, b
assert b["window_packets"] == 1000, b
assert b["packets_sent"] == b["warmup_packets"] + 1000 == b["packets_delivered"], b
assert b["unexplained_packets"] == 0
PY

# A policy flag applies to the receive-loop strategies; udpsrc and null run as they are.
expect_exit 0 "policy flag with references" "$wrapper" compare --strategies "baseline,null" --push list \
  --rate 2000 --duration 0.3 --repetitions 1
grep -q "^baseline+push=list .*alloc/mutex/recvfrom/list" "$tmp/out" || fail "--push list not applied: $(cat "$tmp/out")"
grep -q "^null " "$tmp/out" || fail "null did not run with --push list: $(cat "$tmp/out")"

# Strategies with inline overrides run side by side and are named by what differs.
expect_exit 0 "compare with overrides" "$wrapper" compare --strategies "pooled,pooled+buffer=freelist+push=list" \
  --rate 2000 --duration 0.3 --repetitions 1
grep -q "^pooled " "$tmp/out" || fail "compare shows no row for pooled: $(cat "$tmp/out")"
grep -q "^pooled+buffer=freelist+push=list .*freelist/mutex/recvfrom/list" "$tmp/out" ||
  fail "compare shows no row for the overridden strategy: $(cat "$tmp/out")"

# First use without the packages and without root: one clear message, exit 2.
# (The wrapper's own package check, run as an unprivileged user against a
# package list naming a package that cannot be installed.)
# Under /tmp: the unprivileged user cannot reach the test's own temp dir.
fake="$(mktemp -d /tmp/rxbench-cli-test.XXXXXX)"
trap 'rm -rf "$fake"' EXIT
mkdir -p "$fake/bootstrap"
cp "$wrapper" "$fake/rxbench"
echo "rxbench-no-such-package   needed by this test" >"$fake/bootstrap/debian-packages.txt"
chmod -R a+rX "$fake"
if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  env -u RXBENCH_BIN setpriv --reuid=65534 --regid=65534 --clear-groups "$fake/rxbench" list >"$tmp/out" 2>"$tmp/err"
  got=$?
  [[ $got -eq 2 ]] || fail "unprivileged first use: exit $got, want 2 ($(cat "$tmp/err"))"
  grep -q "rxbench-no-such-package" "$tmp/err" || fail "unprivileged first use does not name the package: $(cat "$tmp/err")"
  grep -q "cannot install packages" "$tmp/err" || fail "unprivileged first use does not say why: $(cat "$tmp/err")"
else
  echo "note: cannot drop privileges here; unprivileged first use not checked"
fi

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all CLI checks passed"
