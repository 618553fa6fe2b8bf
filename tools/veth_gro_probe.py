#!/usr/bin/python3
"""Does the kernel coalesce a plain (non-GSO) sender's datagrams over veth, as
GRO on a NIC would? A probe, not part of rxbench's runs (README, "UDP GSO and
GRO"): for each set of veth settings it creates two network namespaces joined
by a veth pair, sends N datagrams with one send() each from one namespace to a
UDP_GRO socket in the other, counts what the reader got (datagrams, how many
came coalesced, the most segments in one), and removes the namespaces again.

    sudo tools/veth_gro_probe.py [--datagrams 20000] [--size 1212]

Needs root, iproute2 and ethtool. Prints a Markdown table.
"""
import argparse
import json
import os
import socket
import struct
import subprocess
import sys
import time

SOL_UDP = 17
UDP_GRO = 104          # linux/udp.h
PORT = 47011
SENDER, RECEIVER = "10.77.0.1", "10.77.0.2"

# What is switched on, on the receiving side of the pair, for each row.
SETTINGS = [
    ("defaults (`gro off`)", []),
    ("`ethtool -K … gro on`", ["gro"]),
    ("`gro on` + threaded NAPI (`echo 1 > /sys/class/net/…/threaded`)", ["gro", "threaded"]),
    ("`gro on` + threaded NAPI + `rx-udp-gro-forwarding on`", ["gro", "threaded", "forwarding"]),
    ("the same without threaded NAPI", ["gro", "forwarding"]),
]


def sh(*argv, check=True):
    return subprocess.run(argv, check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)


def in_ns(ns, *argv, check=True):
    return sh("ip", "netns", "exec", ns, *argv, check=check)


def receive(count, idle_s=1.0):
    """In the receiving namespace: read until `count` packets or `idle_s` of silence."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(SOL_UDP, UDP_GRO, 1)
    s.bind((RECEIVER, PORT))
    s.settimeout(idle_s)
    print("ready", flush=True)
    datagrams = coalesced = packets = most = 0
    while packets < count:
        try:
            data, ancillary, _, _ = s.recvmsg(65535, socket.CMSG_SPACE(4))
        except socket.timeout:
            break
        segment = len(data)
        for level, kind, value in ancillary:
            if level == SOL_UDP and kind == UDP_GRO:
                segment = struct.unpack("i", value[:4])[0]
        n = max(1, -(-len(data) // segment))
        datagrams += 1
        packets += n
        coalesced += n > 1
        most = max(most, n)
    print(json.dumps({"datagrams": datagrams, "packets": packets, "coalesced": coalesced,
                      "most": most}))


def send(count, size):
    """In the sending namespace: one send() per datagram, as fast as Python goes."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = bytes(size)
    for _ in range(count):
        s.sendto(payload, (RECEIVER, PORT))


def probe(flags, count, size):
    tag = str(os.getpid())
    a, b = f"rxgro-a{tag}", f"rxgro-b{tag}"
    try:
        sh("ip", "netns", "add", a)
        sh("ip", "netns", "add", b)
        sh("ip", "link", "add", f"va{tag}", "netns", a, "type", "veth", "peer", "name", f"vb{tag}",
           "netns", b)
        in_ns(a, "ip", "addr", "add", f"{SENDER}/24", "dev", f"va{tag}")
        in_ns(b, "ip", "addr", "add", f"{RECEIVER}/24", "dev", f"vb{tag}")
        for ns, dev in ((a, f"va{tag}"), (b, f"vb{tag}")):
            in_ns(ns, "ip", "link", "set", dev, "up")
            in_ns(ns, "ip", "link", "set", "lo", "up")
        if "gro" in flags:
            in_ns(b, "ethtool", "-K", f"vb{tag}", "gro", "on")
        if "forwarding" in flags:
            in_ns(b, "ethtool", "-K", f"vb{tag}", "rx-udp-gro-forwarding", "on")
        if "threaded" in flags:
            in_ns(b, "sh", "-c", f"echo 1 > /sys/class/net/vb{tag}/threaded")
        reader = subprocess.Popen(["ip", "netns", "exec", b, sys.executable, __file__,
                                   "--receive", str(count)],
                                  stdout=subprocess.PIPE, text=True)
        if reader.stdout.readline().strip() != "ready":
            raise RuntimeError("the reader did not start")
        in_ns(a, sys.executable, __file__, "--send", str(count), "--size", str(size))
        out, _ = reader.communicate(timeout=60)
        return json.loads(out.strip().splitlines()[-1])
    finally:
        for ns in (a, b):
            sh("ip", "netns", "del", ns, check=False)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--datagrams", type=int, default=20000)
    p.add_argument("--size", type=int, default=1212,
                   help="UDP payload bytes (default 1212: an rxbench packet)")
    p.add_argument("--receive", type=int, help=argparse.SUPPRESS)
    p.add_argument("--send", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.receive is not None:
        return receive(args.receive)
    if args.send is not None:
        return send(args.send, args.size)
    if os.geteuid() != 0:
        sys.exit("veth_gro_probe: needs root (network namespaces)")
    print(f"{args.datagrams} datagrams of {args.size} bytes, one send() each; "
          f"kernel {os.uname().release}\n")
    print("| veth settings on the receiving side | datagrams read | packets read | coalesced "
          "| most segments in one |")
    print("|---|---|---|---|---|")
    for label, flags in SETTINGS:
        r = probe(flags, args.datagrams, args.size)
        print(f"| {label} | {r['datagrams']} | {r['packets']} | {r['coalesced']} | {r['most']} |",
              flush=True)
        time.sleep(0.2)


if __name__ == "__main__":
    main()
