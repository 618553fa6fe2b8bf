#!/usr/bin/env bash
# `--path veth` end to end (netpath/veth_path.h): run creates two network
# namespaces joined by a veth pair, the packets arrive through NAPI (napi_id
# != 0), the loss account closes exactly (with 4 streams too, per socket and
# per stream), recv=gro sees coalesced datagrams with threaded NAPI (the
# default) and the results say the NAPI mode, and nothing of the path is left
# behind: after a normal end, a failed run, SIGINT and SIGTERM, and after kill -9
# (left behind, then removed by the next start, which says so). Also: without
# root it refuses in one line with exit 2. Needs root; skipped otherwise.
# Every process runs under `timeout` but the long runs, which end by
# themselves (60 s) and are stopped on the way out.
set -uo pipefail
rxbench="$PWD/$1"
tmp="$(mktemp -d /tmp/rxb-veth-test.XXXXXX)"
run_pid=""
trap '[[ -n "$run_pid" ]] && kill -TERM "$run_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
if [[ $(id -u) -ne 0 ]]; then
  echo "skipped: --path veth needs root"
  exit 0
fi
check() {  # description FILE EXPR: EXPR over r (each iteration) and c (context) must be True for every entry
  local what="$1" file="$2" expr="$3" got
  got="$(/usr/bin/python3 - "$file" "$expr" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
runs = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"]
bad = [b["name"] for b in runs if not eval("(" + sys.argv[2] + ")", {"r": b, "c": d["context"]})]
print("True" if runs and not bad else f"False for {bad or 'no entries'}")
PY
)"
  [[ "$got" == "True" ]] || fail "$what: $expr -> $got"
}
# What of a run's path is visible: its namespaces, and any device of its
# name in this namespace.
leftovers() {  # pid
  { ip netns list | grep -E "^rxbv$1-(snd|rcv)( |$)"; ls /sys/class/net | grep -E "^rxbv$1[sr]$"; } 2>/dev/null
}
# The same for every run that no longer runs (another rxbench on this host may
# be running its own).
dead_leftovers() {
  local name pid
  for name in $({ ip netns list | cut -d' ' -f1; ls /sys/class/net; } 2>/dev/null | grep -E '^rxbv[0-9]+(-snd|-rcv|s|r)$'); do
    pid="${name#rxbv}"; pid="${pid%%[!0-9]*}"
    kill -0 "$pid" 2>/dev/null || echo "$name"
  done
}
# Starts a long veth run in the background (not under `timeout`: the path's
# names carry rxbench's own pid; it ends by itself after 60 s); sets run_pid
# once its path exists and packets flow.
start_long_run() {  # log
  # SIGINT back to its default: a shell starts a background job ignoring it.
  /usr/bin/python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$rxbench" run --path veth --strategy baseline --rate 5000 --duration 60 --warmup 0 >"$1" 2>&1 &
  run_pid=$!
  for _ in $(seq 300); do
    [[ -n "$(leftovers $run_pid)" ]] && grep -q "path veth" "$1" && { sleep 1; return 0; }
    sleep 0.1
  done
  fail "the long run never made its path: $(tail -2 "$1")"
}

# ---- 1. two strategies over veth: exact accounting, a NAPI id, nothing left
for strategy in baseline combined-list; do
  timeout 120 "$rxbench" run --path veth --strategy "$strategy" --rate 5000 --duration 0.5 \
    --out "$tmp/$strategy.json" >"$tmp/$strategy.log" 2>&1 ||
    fail "$strategy: run --path veth exited $? ($(tail -2 "$tmp/$strategy.log"))"
  check "$strategy over veth" "$tmp/$strategy.json" \
    'c["path"] == "veth" and r["path"] == "veth" and r["packets_sent"] > 0
     and r["packets_delivered"] == r["packets_sent"] and r["unexplained_packets"] == 0'
  check "$strategy came through NAPI" "$tmp/$strategy.json" 'r["napi_id"] is not None and r["napi_id"] != 0'
  grep -q "path veth" "$tmp/$strategy.log" || fail "$strategy: the header does not say the path"
  [[ -z "$(dead_leftovers)" ]] || fail "$strategy: left behind after a normal end: $(dead_leftovers)"
done

# ---- 1b. recv=gro over veth: with threaded NAPI (the default) the kernel
# coalesces the plain sender's bursts (tools/veth_gro_probe.py found it does
# only then); the account still closes; the mode is in the results. softirq
# is only checked to be recorded: under load ksoftirqd may batch too.
for strategy in gro null+gro; do
  timeout 120 "$rxbench" run --path veth --strategy "$strategy" --shape burst --rate 5000 --packets 5000 \
    --out "$tmp/$strategy-threaded.json" >"$tmp/$strategy-threaded.log" 2>&1 ||
    fail "$strategy: run --path veth exited $? ($(tail -2 "$tmp/$strategy-threaded.log"))"
  check "$strategy over threaded NAPI coalesces" "$tmp/$strategy-threaded.json" \
    'c["veth_napi"] == "threaded" and r["veth_napi"] == "threaded" and r["gro_coalesced_datagrams"] > 0
     and r["gro_segments_per_datagram"] > 1 and r["gro_datagrams"] < r["packets_received"]
     and r["unexplained_packets"] == 0 and r["napi_id"] not in (None, 0)'
  grep -q "kernel GRO: " "$tmp/$strategy-threaded.log" || fail "$strategy: no kernel GRO line"
  [[ -z "$(dead_leftovers)" ]] || fail "$strategy threaded: left behind: $(dead_leftovers)"
done
timeout 120 "$rxbench" run --path veth --veth-napi softirq --strategy gro --shape burst --rate 5000 --packets 5000 \
  --out "$tmp/gro-softirq.json" >"$tmp/gro-softirq.log" 2>&1 ||
  fail "gro softirq: run --path veth exited $? ($(tail -2 "$tmp/gro-softirq.log"))"
check "gro over softirq NAPI" "$tmp/gro-softirq.json" \
  'c["veth_napi"] == "softirq" and r["veth_napi"] == "softirq" and r["gro_datagrams"] > 0
   and r["unexplained_packets"] == 0 and r["napi_id"] not in (None, 0)'
grep -q "softirq NAPI" "$tmp/gro-softirq.log" || fail "gro softirq: the header does not say the NAPI mode"
[[ -z "$(dead_leftovers)" ]] || fail "gro softirq: left behind: $(dead_leftovers)"

# Busy polling over the threaded NAPI instance: still a NAPI id, still
# nothing marked as without effect, the account closed.
for strategy in combined-list+wait=busy-poll iouring+wait=napi; do
  name="${strategy//[+=]/-}"
  timeout 120 "$rxbench" run --path veth --strategy "$strategy" --rate 5000 --duration 0.5 \
    --out "$tmp/$name.json" >"$tmp/$name.log" 2>&1 || fail "$strategy: run --path veth exited $? ($(tail -2 "$tmp/$name.log"))"
  check "$strategy over threaded NAPI" "$tmp/$name.json" \
    'r["veth_napi"] == "threaded" and r["napi_id"] not in (None, 0) and r["busy_poll_no_effect"] is None
     and r["packets_delivered"] == r["packets_sent"] > 0 and r["unexplained_packets"] == 0'
done

# ---- 1a. two strategies x 4 streams over veth, both socket layouts: the
# account exact per socket (unexplained 0 on each, what each took adds up to
# what was delivered) and per stream (each stream's sent delivered), nothing left
for strategy in baseline combined-list; do
  for sockets in reuseport per-stream; do
    name="$strategy-4-$sockets"
    timeout 120 "$rxbench" run --path veth --strategy "$strategy" --streams 4 --receivers 2 \
      --stream-sockets "$sockets" --rate 1000 --duration 0.5 --out "$tmp/$name.json" >"$tmp/$name.log" 2>&1 ||
      fail "$name: run --path veth --streams 4 exited $? ($(tail -2 "$tmp/$name.log"))"
    check "$name over veth" "$tmp/$name.json" \
      'r["path"] == "veth" and r["napi_id"] not in (None, 0) and len(r["per_stream"]) == 4
       and len(r["per_socket"]) == (4 if c["stream_sockets"] == "per-stream" else 2)
       and all(s["unexplained"] == 0 for s in r["per_socket"])
       and sum(s["received"] for s in r["per_socket"]) == r["packets_received"]
       and len({s["ssrc"] for s in r["per_stream"]}) == 4
       and all(s["sent"] > 0 and s["delivered"] == s["sent"] for s in r["per_stream"])
       and r["packets_delivered"] == r["packets_sent"] and r["unexplained_packets"] == 0'
    [[ -z "$(dead_leftovers)" ]] || fail "$name: left behind after a normal end: $(dead_leftovers)"
  done
done

# ---- 1b. a run that fails (every datagram truncated): exit 1, nothing left
timeout 120 "$rxbench" run --path veth --strategy baseline --rate 5000 --duration 0.3 --buffer-size 64 \
  >"$tmp/failed.log" 2>&1
rc=$?
[[ $rc -eq 1 ]] || fail "a failing veth run exited $rc, not 1 ($(tail -2 "$tmp/failed.log"))"
[[ -z "$(dead_leftovers)" ]] || fail "left behind after a failed run: $(dead_leftovers)"

# ---- 2. loopback has no NAPI instance: napi_id 0 (known, not null)
timeout 60 "$rxbench" run --strategy baseline --rate 5000 --duration 0.3 --out "$tmp/lo.json" >"$tmp/lo.log" 2>&1 ||
  fail "loopback run exited $?"
check "loopback" "$tmp/lo.json" 'c["path"] == "loopback" and r["path"] == "loopback" and r["napi_id"] == 0'

# ---- 3. SIGINT and SIGTERM: the path is removed, the run dies of the signal
for sig in INT TERM; do
  start_long_run "$tmp/sig$sig.log"
  kill -"$sig" "$run_pid"
  wait "$run_pid"
  rc=$?
  [[ $rc -eq $((128 + $(kill -l "$sig"))) ]] || fail "SIG$sig: the run exited $rc, not dead of the signal"
  [[ -z "$(leftovers $run_pid)" ]] || fail "SIG$sig: left behind: $(leftovers $run_pid)"
done

# ---- 4. kill -9: left behind, then removed by the next start, which says so
start_long_run "$tmp/kill.log"
killed=$run_pid
kill -KILL "$killed"
wait "$killed" 2>/dev/null
[[ -n "$(leftovers $killed)" ]] || fail "kill -9 left nothing (the check below would prove nothing)"
timeout 120 "$rxbench" run --path veth --strategy baseline --rate 5000 --duration 0.3 \
  --out "$tmp/after.json" >"$tmp/after.log" 2>&1 || fail "the run after kill -9 exited $?"
[[ -z "$(leftovers $killed)" ]] || fail "the next start did not remove what kill -9 left: $(leftovers $killed)"
grep -q "removed network namespace rxbv$killed-snd left by a run (pid $killed) that no longer runs" \
  "$tmp/after.log" || fail "the next start did not say what it removed: $(head -3 "$tmp/after.log")"
check "the run after kill -9" "$tmp/after.json" 'r["packets_delivered"] == r["packets_sent"] > 0'

# ---- 5. compare over both paths: rows STRATEGY and STRATEGY+path=veth
timeout 120 "$rxbench" compare --path loopback,veth --strategies baseline,null --repetitions 1 --rate 5000 \
  --duration 0.3 --out "$tmp/cmp" >"$tmp/cmp.log" 2>&1 || fail "compare --path loopback,veth exited $?"
check "compare over both paths" "$tmp/cmp/compare.json" \
  '(r["path"] == "veth") == r["strategy"].endswith("+path=veth") and (r["napi_id"] != 0) == (r["path"] == "veth")
   and r["packets_delivered"] == r["packets_sent"] and c["veth_napi"] is None
   and (r["veth_napi"] == "threaded") == (r["path"] == "veth") and r["gro_datagrams"] is None'

# ---- 6. without root: one line, exit 2, before any namespace
cp "$rxbench" "$tmp/rxbench" && chmod 755 "$tmp" "$tmp/rxbench"
timeout 30 setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/rxbench" run --path veth --strategy baseline \
  >"$tmp/user.out" 2>"$tmp/user.err"
rc=$?
[[ $rc -eq 2 && $(wc -l <"$tmp/user.err") -eq 1 && ! -s "$tmp/user.out" ]] &&
  grep -q "needs root" "$tmp/user.err" || fail "not root: exit $rc, stderr: $(head -c 300 "$tmp/user.err")"

[[ -z "$(dead_leftovers)" ]] || fail "left behind at the end: $(dead_leftovers)"
echo "$failures failure(s)"
[[ $failures -eq 0 ]]
