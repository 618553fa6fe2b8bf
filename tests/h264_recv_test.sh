#!/usr/bin/env bash
# `rxbench recv --pipeline-preset h264` fed by a third party's H.264 sender on
# loopback (gst-launch-1.0: live videotestsrc ! x264enc ! rtph264pay ! udpsink):
# every frame the sender encoded is depayloaded and decoded; what only an
# rxbench generator could say (frames sent, damage against a reference) is
# unknown and null, never zero. Every process runs under `timeout`.
set -uo pipefail
rxbench="$PWD/$1"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
frames=60
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() {  # description EXPR over r (the first benchmark): must be True
  local got
  got="$(/usr/bin/python3 - "$tmp/h264.json" "$2" <<'PY' 2>&1
import json, sys
r = json.load(open(sys.argv[1]))["benchmarks"][0]
print(eval(sys.argv[2], {"r": r}))
PY
)"
  [[ "$got" == "True" ]] || fail "$1: $2 -> $got"
}

for element in x264enc rtph264pay avdec_h264 rtph264depay; do
  if ! gst-inspect-1.0 "$element" >/dev/null 2>&1; then
    echo "SKIP: GStreamer element $element is not installed"
    exit 0
  fi
done

port=$((20000 + $$ % 20000))
timeout 60 "$rxbench" recv --strategy combined --pipeline-preset h264 --bind "127.0.0.1:$port" \
  --out "$tmp/h264.json" >"$tmp/recv.log" 2>&1 &
recv_pid=$!
for _ in $(seq 200); do
  grep -q "waiting for a stream" "$tmp/recv.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "waiting for a stream" "$tmp/recv.log" || fail "recv never got ready: $(tail -2 "$tmp/recv.log")"
# Live: one frame every 33 ms, as a camera would (a non-live source bursts
# and overruns the socket).
timeout 60 gst-launch-1.0 -q videotestsrc is-live=true num-buffers=$frames \
  ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc tune=zerolatency \
  ! rtph264pay pt=96 ! udpsink host=127.0.0.1 port="$port" || fail "gst-launch-1.0 failed"
sleep 0.5
kill -INT "$recv_pid"
wait "$recv_pid" || fail "recv exited $? ($(tail -3 "$tmp/recv.log"))"
cat "$tmp/recv.log"

check "every frame depayloaded and decoded" "r['frames']['depayloaded'] == r['frames']['decoded'] == $frames"
check "frames sent unknown" "r['frames']['sent'] is None"
check "damage unknown without a reference" "r['frames']['damaged'] is None"
check "loss per frame unknown" "r['frames']['lost_or_damaged_per_1000_lost_packets'] is None"
check "the decoder's CPU" "r['frames']['decoder_cpu_ns_per_frame'] > 0"
check "a decoder thread" "r['thread_cpu']['decoder']['role'] == 'decoder' and 'decoder' in r['pipeline_thread_cpu']"
check "receive share" "0 < r['receive_share'] < 1"
check "no packet lost" "r['seq_gaps'] == 0 and r['kernel_drops'] == 0"

[[ $failures -eq 0 ]] && echo PASS && exit 0
exit 1
