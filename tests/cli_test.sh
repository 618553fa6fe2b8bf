#!/usr/bin/env bash
# The ./rxbench wrapper and the harness's command line, as a user meets them:
# --help and list work, a bad option or name exits 2 with exactly one line on
# stderr, a run writes parseable JSON. RXBENCH_BIN makes the wrapper run the
# binary Bazel built for this test instead of building it again.
set -uo pipefail
wrapper="$1"
export RXBENCH_BIN="$PWD/$2"
without_io_uring="$PWD/$3"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

expect_exit() {  # expected_code description command...
  local want="$1" what="$2"; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [[ $got -eq $want ]] || fail "$what: exit $got, want $want (stderr: $(head -c 300 "$tmp/err"))"
}

# A warm-up longer than the runner's old fixed 10 s wait (220 packets at
# 20 pps: 11 s) is waited for: the wait follows the warm-up's schedule. (It
# was `--rate 20` with the default 300 packets, which passed --dry-run and
# failed after sending.) It mostly sleeps, so it runs beside the checks below
# and is judged at the end.
"$wrapper" run --strategy baseline --rate 20 --warmup 220 --packets 4 --out "$tmp/slow.json" \
  >"$tmp/slow.out" 2>"$tmp/slow.err" &
slow_run=$!

one_line_usage_error() {  # description command...
  local what="$1"; shift
  expect_exit 2 "$what" "$@"
  [[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "$what: stderr is not one line: $(cat "$tmp/err")"
  [[ -s "$tmp/out" ]] && fail "$what: printed on stdout: $(head -c 200 "$tmp/out")"
}

# One tool, whichever language implements a subcommand: every one is listed
# with a line of help, has its own help, and shows ./rxbench as its name.
# (Listed here by hand, not read from subcommands.txt: a subcommand dropped
# from the table must fail this test.)
all_subcommands=(list run compare recv gen ci bisect history report sweep profile test microbench help completion)
lists_every_subcommand() {  # description file
  local sub
  for sub in "${all_subcommands[@]}"; do
    grep -qE "^  $sub +[^ ]" "$2" || fail "$1 does not list $sub with a line of help: $(cat "$2")"
  done
}
expect_exit 0 "--help" "$wrapper" --help
lists_every_subcommand "--help" "$tmp/out"
expect_exit 0 "help" "$wrapper" help
lists_every_subcommand "help" "$tmp/out"
# `help --help` is help's own help (every subcommand answers --help).
expect_exit 0 "help --help" "$wrapper" help --help
grep -qi "^usage: ./rxbench help\b" "$tmp/out" || fail "help --help: $(head -c 300 "$tmp/out")"
# No subcommand is a usage error, but the answer to it is the list.
expect_exit 2 "no subcommand" "$wrapper"
lists_every_subcommand "no subcommand" "$tmp/err"
for sub in "${all_subcommands[@]}"; do
  expect_exit 0 "help $sub" "$wrapper" help "$sub"
  grep -qi "^usage: ./rxbench $sub\b" "$tmp/out" || fail "help $sub: no 'usage: ./rxbench $sub' line: $(head -c 300 "$tmp/out")"
done
# The full help of a C++ and of a Python subcommand, by either spelling.
for spelling in "help run" "run --help"; do
  # shellcheck disable=SC2086
  expect_exit 0 "$spelling" "$wrapper" $spelling
  [[ "$(head -n 1 "$tmp/out")" == "run one strategy on a scenario; prints a table, writes JSON" ]] ||
    fail "$spelling does not open with run's line of the table: $(head -n 1 "$tmp/out")"
  grep -qx "Usage: ./rxbench run \[OPTIONS\]" "$tmp/out" || fail "$spelling: usage line: $(grep -i usage "$tmp/out")"
  grep -q -- "--strategy " "$tmp/out" || fail "$spelling does not show run's options"
done
for spelling in "help ci" "ci --help"; do
  # shellcheck disable=SC2086
  expect_exit 0 "$spelling" "$wrapper" $spelling
  grep -q "^usage: ./rxbench ci \[-h\]" "$tmp/out" || fail "$spelling: usage line: $(grep -i usage "$tmp/out")"
  grep -q -- "--against" "$tmp/out" || fail "$spelling does not show ci's options"
done
grep -q -- "--strategies" < <("$wrapper" compare --help) || fail "compare --help does not mention --strategies"
grep -q "bazel" < <("$wrapper" help recv; "$wrapper" help history) && fail "a usage line shows Bazel's path"

# An unknown subcommand is named, with the nearest known one if one is near.
unknown_subcommand() {  # typed expected-stderr
  one_line_usage_error "unknown subcommand $1" "$wrapper" "$1" --strategy baseline
  [[ "$(cat "$tmp/err")" == "$2" ]] || fail "unknown subcommand $1: stderr '$(cat "$tmp/err")', want '$2'"
}
unknown_subcommand nosuch "rxbench: unknown subcommand 'nosuch'; see ./rxbench --help"
unknown_subcommand comapre "rxbench: unknown subcommand 'comapre' (did you mean 'compare'?); see ./rxbench --help"
unknown_subcommand histroy "rxbench: unknown subcommand 'histroy' (did you mean 'history'?); see ./rxbench --help"
unknown_subcommand rn "rxbench: unknown subcommand 'rn' (did you mean 'run'?); see ./rxbench --help"
one_line_usage_error "help of an unknown subcommand" "$wrapper" help nosuch
grep -qx "rxbench: unknown subcommand 'nosuch'; see ./rxbench --help" "$tmp/err" || fail "help nosuch: $(cat "$tmp/err")"
one_line_usage_error "unknown option before the subcommand" "$wrapper" --nosuch
# Python's usage errors in the same style as C++'s: one line, exit 2.
one_line_usage_error "unknown option of a Python subcommand" "$wrapper" history --bogus
grep -q "^rxbench: history: unrecognized arguments: --bogus$" "$tmp/err" || fail "history --bogus: $(cat "$tmp/err")"

# Bash completion, from the same table: every subcommand, and a subcommand's options.
expect_exit 0 "completion bash" "$wrapper" completion bash
cp "$tmp/out" "$tmp/completion.bash"
complete_words() {  # words...: what completing the last word offers, one a line
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"
           _rxbench; printf "%s\n" "${COMPREPLY[@]}"' _ "$tmp/completion.bash" "$@"
}
offered="$(complete_words ./rxbench "")"
for sub in "${all_subcommands[@]}"; do
  grep -qx "$sub" <<<"$offered" || fail "completion does not offer $sub: $offered"
done
[[ "$(complete_words ./rxbench com)" == "$(printf 'compare\ncompletion')" ]] ||
  fail "completion of 'com': $(complete_words ./rxbench com)"
grep -qx -- "--strategy" < <(complete_words ./rxbench run --str) || fail "completion of run --str: $(complete_words ./rxbench run --str)"
grep -qx -- "--against" < <(complete_words ./rxbench ci --ag) || fail "completion of ci --ag: $(complete_words ./rxbench ci --ag)"
grep -qx "profile" < <(complete_words ./rxbench help pro) || fail "completion of help pro: $(complete_words ./rxbench help pro)"
one_line_usage_error "completion for another shell" "$wrapper" completion zsh

expect_exit 0 "list" "$wrapper" list
for name in baseline pooled lockfree recvmmsg combined combined-list iouring udpsrc null default high-rate; do
  grep -q "^  $name " "$tmp/out" || fail "list does not show $name"
done

one_line_usage_error "unknown option" "$wrapper" run --strategy baseline --no-such-option
one_line_usage_error "unknown strategy" "$wrapper" run --strategy nope --duration 0.1
one_line_usage_error "unknown scenario" "$wrapper" compare --scenario nope
one_line_usage_error "bad shape" "$wrapper" run --strategy baseline --shape square
one_line_usage_error "bad pipeline" "$wrapper" run --strategy baseline --pipeline "fakesrc ! fakesink"
one_line_usage_error "same strategy twice" "$wrapper" compare --strategies "pooled,pooled+buffer=gstpool"
one_line_usage_error "CPU that does not exist" "$wrapper" run --strategy baseline --cpu-receiver 4096
one_line_usage_error "override on null" "$wrapper" run --strategy null+push=list
one_line_usage_error "bad override value" "$wrapper" run --strategy pooled+buffer=nope
one_line_usage_error "bad override axis" "$wrapper" run --strategy pooled+colour=red
one_line_usage_error "bad --impair" "$wrapper" run --strategy baseline --impair jitter=1%
one_line_usage_error "--impair rates over 1" "$wrapper" run --strategy baseline --impair loss=60%,dup=50%
one_line_usage_error "unknown --path" "$wrapper" run --strategy baseline --path wifi
one_line_usage_error "run takes one --path" "$wrapper" run --strategy baseline --path loopback,veth
one_line_usage_error "bad path override" "$wrapper" run --strategy baseline+path=wifi
one_line_usage_error "a path both in --path and a strategy" "$wrapper" compare --path loopback,veth \
  --strategies baseline+path=veth
one_line_usage_error "unknown --veth-napi" "$wrapper" run --strategy gro --path veth --veth-napi polled
one_line_usage_error "--veth-napi without veth" "$wrapper" run --strategy gro --veth-napi softirq
one_line_usage_error "--veth-napi on a loopback compare" "$wrapper" compare --strategies gro,null --veth-napi threaded
one_line_usage_error "bad --media" "$wrapper" run --strategy baseline --media vp8
one_line_usage_error "an H.264 preset without H.264" "$wrapper" run --strategy baseline --pipeline-preset h264
one_line_usage_error "--media h264 with --rate" "$wrapper" run --strategy baseline --media h264 --rate 100

# Bad configuration (README, "Subcommands"): exit 2, one line on stderr that
# names the problem, and no traffic: nothing on stdout (the scenario header
# comes before the first packet) and back within 3 s although the scenario
# asks for 5 s of traffic.
config_error() {  # description stderr-pattern command...
  local what="$1" pattern="$2"; shift 2
  local start=$SECONDS
  one_line_usage_error "$what" "$@"
  grep -qE -- "$pattern" "$tmp/err" || fail "$what: stderr does not say /$pattern/: $(cat "$tmp/err")"
  (( SECONDS - start <= 3 )) || fail "$what: took $((SECONDS - start)) s: traffic was sent before the check"
}
long=(--rate 2000 --duration 5)
config_error "pipeline that does not parse" "pipeline: .*(syntax|no element)" \
  "$wrapper" run --strategy baseline "${long[@]}" --pipeline "appsrc name=src ! queue ! ! fakesink name=sink"
config_error "pipeline with an unknown element" 'no element "nosuchelement"' \
  "$wrapper" run --strategy baseline "${long[@]}" --pipeline "appsrc name=src ! nosuchelement ! fakesink name=sink"
config_error "pipeline without src" "appsrc name=src" \
  "$wrapper" run --strategy baseline "${long[@]}" --pipeline "appsrc ! fakesink name=sink"
config_error "pipeline without sink" "named 'sink'" \
  "$wrapper" compare --strategies baseline "${long[@]}" --pipeline "appsrc name=src ! fakesink"
config_error "unknown strategy in compare" "unknown strategy 'nope'" \
  "$wrapper" compare --strategies baseline,nope "${long[@]}"
config_error "buffer smaller than an RTP header" "--buffer-size.*RTP header \(12 bytes\)" \
  "$wrapper" run --strategy baseline "${long[@]}" --buffer-size 8
config_error "pool size 0" "--pool-size.*not 0" "$wrapper" run --strategy pooled "${long[@]}" --pool-size 0
config_error "unwritable --out" "--out /proc/x.json: cannot write" \
  "$wrapper" run --strategy baseline "${long[@]}" --out /proc/x.json
config_error "unwritable compare --out" "--out directory /proc/x" \
  "$wrapper" compare --strategies baseline "${long[@]}" --out /proc/x
config_error "unwritable --db" "--db /proc/x.db: cannot write" \
  "$wrapper" compare --strategies baseline "${long[@]}" --repetitions 1 --record --db /proc/x.db
for url in "postgresql://u:s3cret@127.0.0.1:1/h" "postgres://u@127.0.0.1:1/h?password=s3cret"; do
  config_error "password in compare --db" "--db: a password in the URL.*PGPASSFILE.*PGPASSWORD" \
    "$wrapper" compare --strategies baseline "${long[@]}" --repetitions 1 --record --db "$url"
  ! grep -q s3cret "$tmp/err" || fail "compare --db $url: the password is in the message: $(cat "$tmp/err")"
done
config_error "lock-step with udpsrc" "--lock-step: udpsrc reads inside the pipeline" \
  "$wrapper" compare --strategies baseline,udpsrc "${long[@]}" --lock-step 64
config_error "lock-step with io_uring" "--lock-step: io_uring's multishot receive" \
  "$wrapper" run --strategy iouring "${long[@]}" --lock-step 64
config_error "many streams with udpsrc on one socket" "--streams with udpsrc needs --stream-sockets per-stream" \
  "$wrapper" compare --strategies baseline,udpsrc "${long[@]}" --streams 4
config_error "receiver threads with udpsrc" "--receivers: udpsrc reads each socket on its own" \
  "$wrapper" run --strategy udpsrc "${long[@]}" --receivers 2
config_error "io_uring on several sockets of a thread" "io_uring reads one socket per ring" \
  "$wrapper" run --strategy iouring "${long[@]}" --streams 4 --receivers 2 --stream-sockets per-stream
config_error "more receivers than per-stream sockets" "--receivers 3 > --streams 2 with per-stream sockets" \
  "$wrapper" run --strategy baseline "${long[@]}" --streams 2 --receivers 3 --stream-sockets per-stream
config_error "lock-step with several receivers" "--lock-step releases its rounds to one receiver thread" \
  "$wrapper" run --strategy baseline "${long[@]}" --receivers 2 --lock-step 64
config_error "send batches of many streams" "--send-batch acts on one stream" \
  "$wrapper" run --strategy baseline "${long[@]}" --streams 2 --send-batch 8
config_error "--warmup out of range" "--warmup 1e30: at most 1000000000000 packets" \
  "$wrapper" run --strategy baseline "${long[@]}" --warmup 1e30
config_error "a warm-up of more than a minute" \
  "warm-up \(--warmup 300, the default\) takes 75 s at 4 pps.*--warmup.*--rate" \
  "$wrapper" run --strategy baseline --rate 4 --duration 5
config_error "unwritable recv --out" "--out /proc/x.json: cannot write" \
  timeout 20 "$wrapper" recv --strategy baseline --bind 127.0.0.1:0 --control-port 0 --out /proc/x.json
# recv --sent-from: gen writes its file after its last packet, so a file not
# there yet is read at the end; but a path that can never be gen's file, or
# a file already there that is not gen's, is refused before binding (recv's
# "waiting for a stream" line would be on stdout). `timeout`: recv waits for
# a stream once bound.
recv_bad=(timeout 20 "$wrapper" recv --strategy baseline --bind 127.0.0.1:0 --control-port 0)
echo "not json" >"$tmp/not-gen.json"
echo '{"plan": {}, "sent": {}}' >"$tmp/empty-gen.json"
config_error "recv --sent-from in a directory that does not exist" \
  "--sent-from /nonexistent/gen.json: directory /nonexistent does not exist" \
  "${recv_bad[@]}" --sent-from /nonexistent/gen.json
config_error "recv --sent-from a directory" "--sent-from $tmp is a directory" "${recv_bad[@]}" --sent-from "$tmp"
config_error "recv --sent-from a file that does not parse" "--sent-from $tmp/not-gen.json: not the JSON of" \
  "${recv_bad[@]}" --sent-from "$tmp/not-gen.json"
config_error "recv --sent-from JSON that is not gen's" "--sent-from $tmp/empty-gen.json: not the JSON of" \
  "${recv_bad[@]}" --sent-from "$tmp/empty-gen.json"
# A port in use: held by another socket for the duration of the check.
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True); time.sleep(30)' >"$tmp/port" &
holder=$!
for _ in $(seq 50); do [[ -s "$tmp/port" ]] && break; sleep 0.1; done
port="$(cat "$tmp/port")"
config_error "port in use" "--port $port: bind 127.0.0.1:$port: Address already in use" \
  "$wrapper" run --strategy baseline "${long[@]}" --port "$port"
kill "$holder"; wait "$holder" 2>/dev/null
expect_exit 0 "run on a chosen port" "$wrapper" run --strategy baseline --rate 2000 --duration 0.2 --port "$port"
# io_uring unavailable (io_uring_setup refused by seccomp): the iouring
# strategy is a configuration error before any traffic; the others still run.
config_error "io_uring unavailable" "strategy 'iouring': io_uring unavailable: .*Function not implemented" \
  "$without_io_uring" "$wrapper" run --strategy iouring "${long[@]}"
config_error "io_uring unavailable in compare" "strategy 'iouring': io_uring unavailable" \
  "$without_io_uring" "$wrapper" compare "${long[@]}"
expect_exit 0 "recvmmsg without io_uring" \
  "$without_io_uring" "$wrapper" run --strategy combined-list --rate 2000 --duration 0.2

# The 11 s warm-up started at the top.
wait "$slow_run"
slow_exit=$?
[[ $slow_exit -eq 0 ]] || fail "a warm-up of 11 s: exit $slow_exit (stderr: $(head -c 300 "$tmp/slow.err"))"
/usr/bin/python3 - "$tmp/slow.json" <<'PY' || fail "the run with an 11 s warm-up did not measure its packets"
import json, sys
b = json.load(open(sys.argv[1]))["benchmarks"][0]
assert b["ok"] and b["warmup_packets"] == 220 and b["window_packets"] == 4 == b["packets_delivered"] - 220, b
PY

# recv --sent-from whose file turns out wrong only after the run (never
# written; another run's): the measurement is still written, with the
# problem in it, and recv exits 1.
recv_port() {  # log: the port recv bound, from its "waiting" line
  for _ in $(seq 200); do
    grep -q "waiting for a stream" "$1" 2>/dev/null && break
    sleep 0.1
  done
  sed -n 's/^recv: [^ ]* on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$1"
}
sent_from_run() {  # name recv_args gen_args: recv until 200 packets, fed by gen; sets got
  local name="$1" recv_args="$2" gen_args="$3" p
  # shellcheck disable=SC2086
  timeout 60 "$RXBENCH_BIN" recv --strategy baseline --bind 127.0.0.1:0 --packets 200 \
    --out "$tmp/$name.json" $recv_args >"$tmp/$name.log" 2>"$tmp/$name.err" &
  local recv_pid=$!
  p="$(recv_port "$tmp/$name.log")"
  [[ -n "$p" ]] || fail "$name: recv never got ready: $(cat "$tmp/$name.log" "$tmp/$name.err")"
  # shellcheck disable=SC2086
  timeout 60 "$RXBENCH_BIN" gen --dest "127.0.0.1:$p" --warmup 0 --rate 2000 $gen_args >"$tmp/$name-gen.log" 2>&1
  wait "$recv_pid"
  got=$?
}
sent_from_run never-written "--control-port 0 --sent-from $tmp/never-written-gen.json" \
  "--control-port 0 --packets 200 --out $tmp/gen-a.json"
[[ "$got" == 1 ]] || fail "recv --sent-from never written: exit $got, want 1 ($(cat "$tmp/never-written.err"))"
grep -q "never-written-gen.json: cannot be read (No such file or directory)" "$tmp/never-written.err" ||
  fail "recv --sent-from never written: stderr does not say why: $(cat "$tmp/never-written.err")"
/usr/bin/python3 - "$tmp/never-written.json" "$tmp/never-written-gen.json" <<'PY' ||
import json, sys
doc = json.load(open(sys.argv[1]))
b, sender = doc["benchmarks"][0], doc["context"]["sender"]
assert b["packets_delivered"] == 200 and b["packets_sent"] is None, b
assert sender["sent_from"]["path"] == sys.argv[2], sender
assert "cannot be read" in sender["sent_from"]["problem"], sender
assert "cannot be read" in b["sent_unknown"], b
PY
  fail "recv --sent-from never written: the results do not keep the data with the problem"
# gen-a.json is a finished run's file: now the file of another run.
sent_from_run other-run "--sent-from $tmp/gen-a.json" "--packets 2000 --run-id 00000000000000bb"
[[ "$got" == 1 ]] || fail "recv --sent-from of another run: exit $got, want 1 ($(cat "$tmp/other-run.err"))"
/usr/bin/python3 - "$tmp/other-run.json" <<'PY' ||
import json, sys
doc = json.load(open(sys.argv[1]))
b, sender = doc["benchmarks"][0], doc["context"]["sender"]
assert b["run_id"] == "00000000000000bb" and b["packets_delivered"] >= 200 and b["packets_sent"] is None, b
assert "the stream was run 00000000000000bb" in sender["sent_from"]["problem"], sender
PY
  fail "recv --sent-from of another run: the results do not keep the data with the problem ($(cat "$tmp/other-run.err"))"

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

# The receive-wait axis (busy polling): listed, refused where it means nothing,
# and on loopback run but marked as having no effect (no NAPI instance).
expect_exit 0 "list" "$wrapper" list
grep -q "^receive wait" "$tmp/out" || fail "list does not show the wait axis: $(cat "$tmp/out")"
for wait in sleep busy-poll prefer-busy-poll napi; do
  grep -q "^  $wait " "$tmp/out" || fail "list does not show wait $wait"
done
one_line_usage_error "wait=napi without io_uring" "$wrapper" run --strategy combined-list+wait=napi
one_line_usage_error "busy-poll wait on io_uring" "$wrapper" run --strategy iouring+wait=busy-poll
one_line_usage_error "bad wait" "$wrapper" run --strategy combined-list+wait=spin
if [[ $EUID -eq 0 ]] && setpriv --bounding-set -net_admin true 2>/dev/null; then
  # Root without CAP_NET_ADMIN (dropped from the bounding set before exec).
  one_line_usage_error "prefer-busy-poll without CAP_NET_ADMIN" \
    setpriv --bounding-set -net_admin "$RXBENCH_BIN" run --strategy combined-list+wait=prefer-busy-poll --duration 0.1
  grep -q "SO_PREFER_BUSY_POLL needs CAP_NET_ADMIN" "$tmp/err" || fail "capability not named: $(cat "$tmp/err")"
else
  echo "note: cannot drop CAP_NET_ADMIN here; its refusal not checked"
fi
expect_exit 0 "busy-poll on loopback" "$wrapper" run --strategy combined-list+wait=busy-poll --busy-poll-us 30 \
  --rate 2000 --duration 0.2 --out "$tmp/busy.json"
grep -q "busy poll had no effect: no NAPI instance" "$tmp/out" || fail "no-effect not shown: $(cat "$tmp/out")"
expect_exit 0 "sleep on loopback" "$wrapper" run --strategy combined-list --rate 2000 --duration 0.2 --out "$tmp/sleep.json"
/usr/bin/python3 - "$tmp/busy.json" "$tmp/sleep.json" <<'PY' || fail "busy-poll results"
import json, sys
busy, sleep = (json.load(open(f)) for f in sys.argv[1:3])
b, s = busy["benchmarks"][0], sleep["benchmarks"][0]
assert b["policies"] == "gstpool/atomic/recvmmsg/list/busy-poll", b["policies"]
assert s["policies"] == "gstpool/atomic/recvmmsg/list", s["policies"]
assert busy["context"]["busy_poll_us"] == 30 and b["busy_poll_us"] == 30, busy["context"]
assert s["busy_poll_us"] is None and s["busy_poll_no_effect"] is None, s
assert b["napi_id"] == 0 and s["napi_id"] == 0, (b["napi_id"], s["napi_id"])
assert "no NAPI instance" in b["busy_poll_no_effect"], b["busy_poll_no_effect"]
assert b["packets_delivered"] == b["packets_sent"] > 0 and b["unexplained_packets"] == 0, b
PY

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
cp "$(dirname "$wrapper")/subcommands.txt" "$fake/"
echo "rxbench-no-such-package   needed by this test" >"$fake/bootstrap/debian-packages.txt"
chmod -R a+rX "$fake"
if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  env -u RXBENCH_BIN setpriv --reuid=65534 --regid=65534 --clear-groups "$fake/rxbench" list >"$tmp/out" 2>"$tmp/err"
  got=$?
  [[ $got -eq 2 ]] || fail "unprivileged first use: exit $got, want 2 ($(cat "$tmp/err"))"
  grep -q "rxbench-no-such-package" "$tmp/err" || fail "unprivileged first use does not name the package: $(cat "$tmp/err")"
  grep -q "cannot install packages" "$tmp/err" || fail "unprivileged first use does not say why: $(cat "$tmp/err")"

  # Two lists: the main job's, which every subcommand needs, and the tests'
  # and CI's, which only `test` and `microbench` install. Here the main list
  # is all there (bash is), the test list is not; a stand-in bazel and
  # harness binary let the main job run.
  echo "bash   the shell" >"$fake/bootstrap/debian-packages.txt"
  echo "rxbench-no-such-package   needed by this test" >"$fake/bootstrap/debian-test-packages.txt"
  mkdir -p "$fake/bin" "$fake/bazel-bin/commands"
  printf '#!/bin/sh\nexit 0\n' >"$fake/bin/bazel"
  printf '#!/bin/sh\necho "harness ran: $*"\n' >"$fake/bazel-bin/commands/rxbench"
  chmod -R a+rX "$fake"
  chmod a+x "$fake/bin/bazel" "$fake/bazel-bin/commands/rxbench"
  as_nobody() {
    env -u RXBENCH_BIN PATH="$fake/bin:$PATH" setpriv --reuid=65534 --regid=65534 --clear-groups "$@" \
      >"$tmp/out" 2>"$tmp/err"
  }
  as_nobody "$fake/rxbench" list
  got=$?
  [[ $got -eq 0 ]] || fail "list without the test packages: exit $got, want 0 ($(cat "$tmp/err"))"
  grep -qx "harness ran: list" "$tmp/out" || fail "list without the test packages did not run: $(cat "$tmp/out")"
  for sub in test microbench; do
    as_nobody "$fake/rxbench" "$sub"
    got=$?
    [[ $got -eq 2 ]] || fail "$sub without the test packages: exit $got, want 2 ($(cat "$tmp/err"))"
    grep -q "rxbench-no-such-package" "$tmp/err" || fail "$sub does not name the missing test package: $(cat "$tmp/err")"
  done
else
  echo "note: cannot drop privileges here; unprivileged first use not checked"
fi

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all CLI checks passed"
