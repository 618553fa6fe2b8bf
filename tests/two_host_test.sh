#!/usr/bin/env bash
# Two-host mode end to end (`rxbench recv` and `rxbench gen`, README "Two
# hosts"):
#   0. run --ssrc/--pt: the generator's values and the receiver's lock agree.
#   1. recv fed by gst-launch-1.0 (any RTP sender) on loopback: the sent count
#      and latency are unknown and say so, jitter and sequence numbers are
#      measured; --ssrc/--pt lock the stream before its first packet.
#   2. recv and gen in two network namespaces joined by a veth pair, which
#      this test creates and removes (needs root): the run ids match and the
#      loss account closes (sent == delivered, unexplained 0), through the
#      control port and through --sent-from; and many streams (--streams 4,
#      one SO_REUSEPORT port or a port each; 600 streams, whose end message
#      goes in parts): every stream's sent count is the generator's and every
#      socket's account closes.
# A part that cannot run here (no gst-launch, no root) is skipped with a
# message. Every process runs under `timeout`.
set -uo pipefail
rxbench="$PWD/$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# field FILE EXPR: a Python expression over r (the results' first benchmark),
# c (their context) and, when given, g (gen's JSON).
field() {
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c, b = r["context"], r["benchmarks"][0]
g = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else None
print(eval(sys.argv[2], {"r": b, "c": c, "g": g}))
PY
}
check() {  # description FILE EXPR [GEN_FILE]: EXPR must be True
  local what="$1"; shift
  local got
  got="$(field "$@" 2>&1)"
  [[ "$got" == "True" ]] || fail "$what: $2 -> $got"
}

# ---- usage: one line on stderr, exit 2, before binding or sending --------
usage_error() {  # description command...
  local what="$1"; shift
  "$@" >"$tmp/usage.out" 2>"$tmp/usage.err"
  local got=$?
  [[ $got -eq 2 && $(wc -l <"$tmp/usage.err") -eq 1 && ! -s "$tmp/usage.out" ]] ||
    fail "$what: exit $got, stderr: $(head -c 300 "$tmp/usage.err")"
}
usage_error "recv --bind without a port" timeout 10 "$rxbench" recv --strategy baseline --bind 127.0.0.1
usage_error "recv --bind IPv6 without brackets" timeout 10 "$rxbench" recv --strategy baseline --bind ::1:5004
usage_error "recv unknown strategy" timeout 10 "$rxbench" recv --strategy nope
usage_error "recv bad --ssrc" timeout 10 "$rxbench" recv --strategy baseline --ssrc 0x1ffffffff
usage_error "gen --dest port 0" timeout 10 "$rxbench" gen --dest 127.0.0.1:0
usage_error "gen bad --pt" timeout 10 "$rxbench" gen --dest 127.0.0.1:5004 --pt 128
usage_error "gen unwritable --out" timeout 10 "$rxbench" gen --dest 127.0.0.1:5004 --out /nonexistent/dir/g.json
usage_error "gen per-stream ports past 65535" timeout 10 "$rxbench" gen --dest 127.0.0.1:65000 --streams 300 \
  --stream-sockets per-stream
usage_error "recv per-stream ports past 65535" timeout 10 "$rxbench" recv --strategy baseline \
  --bind 127.0.0.1:65000 --streams 300 --stream-sockets per-stream

# ---- 0. run with --ssrc/--pt: the generator sends them, the receiver expects them
timeout 60 "$rxbench" run --strategy baseline --rate 2000 --duration 0.3 --ssrc 0x1234 --pt 100 \
  --out "$tmp/ssrc-run.json" >"$tmp/ssrc-run.log" 2>&1 || fail "run --ssrc --pt exited $? ($(tail -2 "$tmp/ssrc-run.log"))"
check "run --ssrc --pt: every packet delivered" "$tmp/ssrc-run.json" \
  'r["packets_delivered"] == r["packets_sent"] > 0 and r["malformed"] == 0 and r["unexplained_packets"] == 0'

# ---- 1. any RTP sender: gst-launch-1.0 on loopback -------------------------
gst_stream() {  # port ssrc pt
  timeout 30 gst-launch-1.0 -q videotestsrc num-buffers=15 \
    ! video/x-raw,format=I420,width=320,height=240,framerate=30/1 \
    ! rtpvrawpay ssrc="$2" pt="$3" ! udpsink host=127.0.0.1 port="$1" sync=true
}
# Waits (at most 20 s) until recv has bound its ports and says so.
wait_ready() {  # log_file
  for _ in $(seq 200); do
    grep -q "waiting for a stream" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "recv never got ready: $(tail -2 "$1")"
}
# Sets recv_pid (not through $(...): its subshell's child could not be waited for).
start_recv() {  # out_file log_file port args...: recv until SIGINT
  local out="$1" log="$2" port="$3"; shift 3
  timeout 60 "$rxbench" recv --bind "127.0.0.1:$port" --out "$out" "$@" >"$log" 2>&1 &
  recv_pid=$!
  wait_ready "$log"
}

if ! command -v gst-launch-1.0 >/dev/null || ! gst-inspect-1.0 rtpvrawpay >/dev/null 2>&1; then
  echo "SKIP (part 1): gst-launch-1.0 with rtpvrawpay is not installed"
else
  port=$((20000 + $$ % 20000))
  start_recv "$tmp/gst.json" "$tmp/gst.log" "$port" --strategy combined --ssrc 0x4d2 --pt 100
  gst_stream "$port" 1234 100 || fail "gst-launch-1.0 failed"
  sleep 0.5
  kill -INT "$recv_pid"
  wait "$recv_pid" || fail "recv fed by gst-launch exited $? ($(tail -3 "$tmp/gst.log"))"
  check "gst: delivered" "$tmp/gst.json" 'r["packets_delivered"] > 1000'
  check "gst: sent count unknown" "$tmp/gst.json" 'r["packets_sent"] is None and r["unexplained_packets"] is None and "sent_unknown" in r'
  check "gst: latency unavailable" "$tmp/gst.json" 'r["latency_p50_ns"] is None and "no rxbench generator" in r["latency_unavailable"]'
  check "gst: jitter measured" "$tmp/gst.json" 'r["jitter_rfc3550_us"] is not None and r["jitter_rfc3550_us"] >= 0'
  check "gst: sequence numbers tracked" "$tmp/gst.json" 'r["seq_gaps"] == 0 and r["duplicates"] == 0 and r["malformed"] == 0'
  check "gst: CPU per packet" "$tmp/gst.json" 'r["cpu_ns_per_packet_receive_path"] > 0 and r["window_packets"] > 0'
  check "gst: no scenario invented" "$tmp/gst.json" 'c["scenario"] is None and c["sender"]["plan"] is None'

  # The lock is given before the first packet: a stream of another SSRC is
  # foreign from its first datagram on (locking on the first packet would
  # have taken it).
  start_recv "$tmp/foreign.json" "$tmp/foreign.log" "$port" --strategy baseline --ssrc 999 --pt 100
  gst_stream "$port" 1234 100 || fail "gst-launch-1.0 failed"
  sleep 0.5
  kill -INT "$recv_pid"
  wait "$recv_pid" && fail "recv with a foreign stream exited 0"
  check "--ssrc: every datagram foreign" "$tmp/foreign.json" \
    'r["packets_delivered"] == 0 and r["malformed_by_kind"]["foreign-ssrc"] == r["packets_received"] > 1000'
  start_recv "$tmp/badpt.json" "$tmp/badpt.log" "$port" --strategy baseline --pt 101
  gst_stream "$port" 1234 100 || fail "gst-launch-1.0 failed"
  sleep 0.5
  kill -INT "$recv_pid"
  wait "$recv_pid" && fail "recv with another payload type exited 0"
  check "--pt: every datagram of another payload type" "$tmp/badpt.json" \
    'r["packets_delivered"] == 0 and r["malformed_by_kind"]["bad-payload-type"] == r["packets_received"] > 1000'
fi

# ---- 2. two network namespaces joined by a veth pair ------------------------
if [[ $EUID -ne 0 ]]; then
  echo "SKIP (part 2): network namespaces need root"
  [[ $failures -eq 0 ]] && echo "PASS (part 1 only)" && exit 0
  exit 1
fi
ns_tx="rxbench-tx-$$"
ns_rx="rxbench-rx-$$"
cleanup() {
  ip netns del "$ns_tx" 2>/dev/null
  ip netns del "$ns_rx" 2>/dev/null
}
trap cleanup EXIT INT TERM
if ! ip netns add "$ns_tx" 2>"$tmp/netns.err" || ! ip netns add "$ns_rx" 2>>"$tmp/netns.err"; then
  echo "SKIP (part 2): cannot create network namespaces here: $(head -1 "$tmp/netns.err")"
  [[ $failures -eq 0 ]] && exit 0
  exit 1
fi
# Deleting a namespace deletes the veth end inside it, and with it the pair.
set -e
ip link add "rxbt$$" netns "$ns_tx" type veth peer name "rxbr$$" netns "$ns_rx"
ip -n "$ns_tx" addr add 10.77.0.1/30 dev "rxbt$$"
ip -n "$ns_rx" addr add 10.77.0.2/30 dev "rxbr$$"
for ns in "$ns_tx" "$ns_rx"; do ip -n "$ns" link set lo up; done
ip -n "$ns_tx" link set "rxbt$$" up
ip -n "$ns_rx" link set "rxbr$$" up
set +e

two_host_run() {  # name strategy recv_args gen_args [traffic]; sets recv_pid
  local name="$1" strategy="$2" recv_args="$3" gen_args="$4" traffic="${5:---rate 5000 --duration 1 --warmup 300}"
  # shellcheck disable=SC2086
  timeout 60 ip netns exec "$ns_rx" "$rxbench" recv --bind 10.77.0.2:5004 --strategy "$strategy" \
    --out "$tmp/$name-recv.json" $recv_args >"$tmp/$name-recv.log" 2>&1 &
  recv_pid=$!
  wait_ready "$tmp/$name-recv.log"
  # shellcheck disable=SC2086
  timeout 60 ip netns exec "$ns_tx" "$rxbench" gen --dest 10.77.0.2:5004 $traffic --warmup-pause 0.5 \
    --out "$tmp/$name-gen.json" $gen_args >"$tmp/$name-gen.log" 2>&1 ||
    fail "$name: gen exited $? ($(tail -3 "$tmp/$name-gen.log"))"
}

# Through the control port: the receiver learns the run, the warm-up and the
# final counts from the generator's messages alone.
for strategy in baseline combined-list udpsrc; do
  name="control-$strategy"
  two_host_run "$name" "$strategy" "" ""
  wait "$recv_pid" || fail "$name: recv exited $? ($(tail -3 "$tmp/$name-recv.log"))"
  recv="$tmp/$name-recv.json" gen="$tmp/$name-gen.json"
  check "$name: run ids match" "$recv" 'r["run_id"] == g["run_id"] == c["run_id"]' "$gen"
  check "$name: sent is the generator's count" "$recv" 'r["packets_sent"] == g["sent"]["packets_sent"] > 5000' "$gen"
  check "$name: every packet delivered" "$recv" 'r["packets_delivered"] == r["packets_sent"]'
  check "$name: loss account closes" "$recv" 'r["unexplained_packets"] == 0'
  check "$name: window is the measured stream" "$recv" 'r["window_packets"] == g["sent"]["packets_sent"] - g["sent"]["warmup_sent"]' "$gen"
  check "$name: same kernel, so latency measured" "$recv" 'r["latency_p50_ns"] is not None and r.get("latency_unavailable") is None'
  check "$name: sequence" "$recv" 'r["seq_gaps"] == 0 and r["duplicates"] == 0'
done

# Without the control port: what was sent comes from gen's file.
name="sent-from"
two_host_run "$name" baseline "--control-port 0 --sent-from $tmp/sent-from-gen.json" "--control-port 0"
sleep 0.5
kill -INT "$recv_pid"
wait "$recv_pid" || fail "$name: recv exited $? ($(tail -3 "$tmp/$name-recv.log"))"
recv="$tmp/$name-recv.json" gen="$tmp/$name-gen.json"
check "$name: run ids match" "$recv" 'r["run_id"] == g["run_id"]' "$gen"
check "$name: sent is the file's" "$recv" 'r["packets_sent"] == g["sent"]["packets_sent"] == r["packets_delivered"]' "$gen"
check "$name: loss account closes" "$recv" 'r["unexplained_packets"] == 0 and c["sender"]["source"] == "file"'

# Many streams: the generator's count of each stream reaches the receiver
# through the control port (in parts where one datagram cannot hold them),
# and the receiver's account closes on every socket.
streams_run() {  # name strategy streams sockets traffic
  local name="$1" strategy="$2" streams="$3" sockets="$4" traffic="$5"
  two_host_run "$name" "$strategy" "--streams $streams --receivers 2 --stream-sockets $sockets" \
    "--streams $streams --stream-sockets $sockets" "$traffic"
  wait "$recv_pid" || fail "$name: recv exited $? ($(tail -3 "$tmp/$name-recv.log"))"
  recv="$tmp/$name-recv.json" gen="$tmp/$name-gen.json"
  check "$name: the plan's streams" "$recv" \
    "c['sender']['plan']['streams'] == $streams and c['sender']['plan']['stream_ports'] == ('per-stream' if '$sockets' == 'per-stream' else 'one')"
  check "$name: each stream's sent count is the generator's" "$recv" \
    "[s['sent'] for s in r['per_stream']] == g['sent']['stream_sent'] and len(r['per_stream']) == $streams and sum(g['sent']['stream_sent']) == r['packets_sent'] > 0" "$gen"
  check "$name: every socket's account closes" "$recv" \
    "len(r['per_socket']) == ($streams if '$sockets' == 'per-stream' else 2) and all(s['unexplained'] == 0 for s in r['per_socket'])"
  check "$name: the whole account closes" "$recv" 'r["unexplained_packets"] == 0'
}
streams_run streams-reuseport baseline 4 reuseport "--rate 1000 --duration 1 --warmup 100"
check "streams-reuseport: every stream delivered whole" "$tmp/streams-reuseport-recv.json" \
  'all(s["delivered"] == s["sent"] for s in r["per_stream"])'
streams_run streams-per-stream combined-list 4 per-stream "--rate 1000 --duration 1 --warmup 100"
check "streams-per-stream: every stream delivered whole" "$tmp/streams-per-stream-recv.json" \
  'all(s["delivered"] == s["sent"] for s in r["per_stream"])'
check "streams-per-stream: stream k on port 5004 + 2k" "$tmp/streams-per-stream-recv.json" \
  '[s["port"] for s in r["per_stream"]] == [5004, 5006, 5008, 5010]'
# 600 streams into the null receiver (no pipelines to start): the end's 600
# counts do not fit one datagram.
streams_run streams-parts null 600 per-stream "--rate 20 --packets 20 --warmup 20"
grep -q "600 streams, 600 sockets" "$tmp/streams-parts-recv.log" || fail "streams-parts: no streams line in recv's output"
check "streams-parts: the end came in parts, every one of them" "$tmp/streams-parts-recv.json" \
  'c["control_port"]["end_parts"] == c["control_port"]["end_parts_held"] >= 2'

if [[ $failures -eq 0 ]]; then
  echo "PASS"
  exit 0
fi
echo "$failures failure(s); logs in $tmp"
for f in "$tmp"/*.log; do echo "== $f"; tail -5 "$f"; done
exit 1
