#!/usr/bin/env bash
# Busy polling where it can act (heavy, root): `rxbench recv` and `gen` in two
# network namespaces joined by a veth pair with GRO and rx-udp-gro-forwarding
# on, which gives the receiving end a NAPI instance (loopback has none). For
# every wait (sleep, busy-poll, prefer-busy-poll with the NAPI defer settings
# on this test's own device, napi on io_uring): the socket reports a NAPI id,
# nothing is marked as having no effect, and every packet is delivered with
# the loss account closed. The namespaces (and with them the pair) are removed
# on every exit, and checked gone at the end.
set -uo pipefail
rxbench="$PWD/$1"
# ip and ethtool live in sbin, which Bazel's test PATH leaves out.
export PATH="$PATH:/usr/sbin:/sbin"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

if [[ $EUID -ne 0 ]]; then
  echo "SKIP: network namespaces and CAP_NET_ADMIN need root"
  exit 0
fi
ns_tx="rxbbptx$$"
ns_rx="rxbbprx$$"
dev_tx="rxbbt$$"
dev_rx="rxbbr$$"
net="10.$((80 + RANDOM % 171)).$((RANDOM % 256))"
cleanup() {
  ip netns del "$ns_tx" 2>/dev/null
  ip netns del "$ns_rx" 2>/dev/null
}
trap cleanup EXIT INT TERM
if ! command -v ethtool >/dev/null; then
  echo "SKIP: ethtool is not installed (bootstrap/debian-packages.txt)"
  exit 0
fi
if ! ip netns add "$ns_tx" 2>"$tmp/netns.err" || ! ip netns add "$ns_rx" 2>>"$tmp/netns.err"; then
  echo "SKIP: cannot create network namespaces here: $(head -1 "$tmp/netns.err")"
  exit 0
fi
# Deleting a namespace deletes the veth end inside it, and with it the pair.
set -e
ip link add "$dev_tx" netns "$ns_tx" type veth peer name "$dev_rx" netns "$ns_rx"
ip -n "$ns_tx" addr add "$net.1/30" dev "$dev_tx"
ip -n "$ns_rx" addr add "$net.2/30" dev "$dev_rx"
for ns in "$ns_tx" "$ns_rx"; do ip -n "$ns" link set lo up; done
ip -n "$ns_tx" link set "$dev_tx" up
ip -n "$ns_rx" link set "$dev_rx" up
# A veth receives through NAPI only with GRO on, and a UDP socket's datagrams
# only with rx-udp-gro-forwarding as well (tools/veth_gro_probe.py).
ip netns exec "$ns_rx" ethtool -K "$dev_rx" gro on rx-udp-gro-forwarding on >/dev/null
# prefer-busy-poll keeps interrupts deferred only with these, set here on this
# test's own device (rxbench never writes them).
ip netns exec "$ns_rx" sh -c "echo 2 > /sys/class/net/$dev_rx/napi_defer_hard_irqs"
ip netns exec "$ns_rx" sh -c "echo 200000 > /sys/class/net/$dev_rx/gro_flush_timeout"
set +e

field() {  # FILE EXPR over r (the first benchmark)
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["benchmarks"][0]
print(eval(sys.argv[2], {"r": r}))
PY
}
check() {  # description FILE EXPR
  local got
  got="$(field "$2" "$3" 2>&1)"
  [[ "$got" == "True" ]] || fail "$1: $3 -> $got"
}

for strategy in combined-list combined-list+wait=busy-poll baseline+wait=prefer-busy-poll iouring+wait=napi; do
  name="${strategy//[+=]/-}"
  timeout 60 ip netns exec "$ns_rx" "$rxbench" recv --bind "$net.2:5004" --strategy "$strategy" \
    --out "$tmp/$name.json" >"$tmp/$name-recv.log" 2>&1 &
  recv_pid=$!
  for _ in $(seq 200); do
    grep -q "waiting for a stream" "$tmp/$name-recv.log" 2>/dev/null && break
    sleep 0.1
  done
  timeout 60 ip netns exec "$ns_tx" "$rxbench" gen --dest "$net.2:5004" --rate 5000 --duration 1 \
    --warmup 300 --warmup-pause 0.5 >"$tmp/$name-gen.log" 2>&1 ||
    fail "$name: gen exited $? ($(tail -3 "$tmp/$name-gen.log"))"
  wait "$recv_pid" || fail "$name: recv exited $? ($(tail -3 "$tmp/$name-recv.log"))"
  check "$name: a NAPI instance" "$tmp/$name.json" 'r["napi_id"] is not None and r["napi_id"] > 0'
  check "$name: not marked as no effect" "$tmp/$name.json" 'r["busy_poll_no_effect"] is None'
  check "$name: every packet delivered" "$tmp/$name.json" \
    'r["packets_delivered"] == r["packets_sent"] > 5000 and r["unexplained_packets"] == 0'
done
check "busy-poll: its timeout recorded" "$tmp/combined-list-wait-busy-poll.json" \
  'r["busy_poll_us"] == 50 and r["policies"].endswith("/busy-poll")'

cleanup
trap - EXIT INT TERM
left="$(ip netns list | grep -E "^($ns_tx|$ns_rx)( |$)")"
[[ -z "$left" ]] || fail "namespaces left behind: $left"
ip link show "$dev_tx" >/dev/null 2>&1 && fail "veth $dev_tx left behind"

if [[ $failures -eq 0 ]]; then
  echo "PASS"
  exit 0
fi
echo "$failures failure(s); logs in $tmp"
for f in "$tmp"/*.log; do echo "== $f"; tail -5 "$f"; done
exit 1
