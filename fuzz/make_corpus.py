#!/usr/bin/env python3
"""Writes the seed corpus under fuzz/corpus/<target>/: valid packets and one
edge case per malformed kind, so the fuzzers start from every branch. Run
from the repository root; the output is committed, so this is only needed
when the formats change."""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def rtp(seq=1, ssrc=0x5EED, pt=96, first=0x80, payload=b"\x00" * 16):
    return bytes([first, pt]) + struct.pack(">HII", seq, 1000, ssrc) + payload


def write(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


datagrams = {
    "valid": rtp(),
    "valid-marker": rtp(pt=0x80 | 96),
    "empty": b"",
    "short": rtp()[:11],
    "bad-version": rtp(first=0x40),
    "csrc-overrun": rtp(first=0x8F)[:40],
    "csrc-fits": rtp(first=0x81, payload=b"\x00" * 4),
    "extension-overrun": rtp(first=0x90, payload=b"\xbe\xde\xff\xff"),
    "extension-fits": rtp(first=0x90, payload=b"\xbe\xde\x00\x01" + b"\x00" * 4),
    "padding-overrun": rtp(first=0xA0, payload=b"\x00" * 15 + b"\xff"),
    "padding-zero": rtp(first=0xA0, payload=b"\x00" * 16),
    "padding-fits": rtp(first=0xA0, payload=b"\x00" * 15 + b"\x10"),
}
for name, d in datagrams.items():
    write("parse_header_fuzzer", name, d)


def framed(lock, items):
    return lock + b"".join(bytes([len(d)]) + d for d in items)


unlocked = bytes([0]) + struct.pack("<I", 0) + bytes([0])
given = bytes([3]) + struct.pack("<I", 0x5EED) + bytes([96])
write("classify_stream_fuzzer", "valid-stream", framed(unlocked, [rtp(1), rtp(2), rtp(3)]))
write("classify_stream_fuzzer", "bad-first", framed(unlocked, [rtp(first=0x40), rtp(1), rtp(2)]))
write("classify_stream_fuzzer", "foreign", framed(given, [rtp(1), rtp(2, ssrc=1), rtp(3, pt=97)]))
write("classify_stream_fuzzer", "every-kind", framed(unlocked, [rtp(1)] + list(datagrams.values()) + [rtp(2)]))

# struct cmsghdr on x86-64: size_t cmsg_len, int level, int type; data aligned to 8.
SOL_SOCKET, SO_TIMESTAMPNS, SO_RXQ_OVFL = 1, 35, 40


def cmsg(level, ctype, data):
    length = 16 + len(data)
    pad = (-length) % 8
    return struct.pack("<Qii", length, level, ctype) + data + b"\x00" * pad


ts = cmsg(SOL_SOCKET, SO_TIMESTAMPNS, struct.pack("<qq", 1700000000, 123456789))
ovfl = cmsg(SOL_SOCKET, SO_RXQ_OVFL, struct.pack("<I", 42))
write("control_messages_fuzzer", "kernel-like", ts + ovfl)
write("control_messages_fuzzer", "drops-only", ovfl)
write("control_messages_fuzzer", "empty", b"")
write("control_messages_fuzzer", "truncated-timestamp", ts[:24])
write("control_messages_fuzzer", "short-timestamp", cmsg(SOL_SOCKET, SO_TIMESTAMPNS, b"\x01\x02\x03\x04") + ovfl)
write("control_messages_fuzzer", "huge-length", struct.pack("<Qii", 2**64 - 1, SOL_SOCKET, SO_RXQ_OVFL) + b"\x00" * 8)
write("control_messages_fuzzer", "other-level", cmsg(0, SO_TIMESTAMPNS, b"\x00" * 16) + ovfl)


# rxbench gen's messages to recv's control port: RTCP APP "RXBC", subtype =
# kind (0 plan, 1 warm-up done, 2 end), data = versioned JSON, padded the
# RFC 3550 way (protocol/run_messages.h).
def app(subtype, body, name=b"RXBC", ssrc=0x52584243):
    data = body.encode()
    padding = (-(12 + len(data))) % 4
    total = 12 + len(data) + padding
    first = 0x80 | (0x20 if padding else 0) | subtype
    tail = (b"\x00" * (padding - 1) + bytes([padding])) if padding else b""
    return struct.pack(">BBHI", first, 204, total // 4 - 1, ssrc) + name + data + tail


import json

RUN = "0123456789abcdef"
plan = {"run_id": RUN, "scenario": "default", "shape": "burst", "rate_pps": 10000.0, "fps": 30.0,
        "duration_s": 1.0, "packet_count": 0, "payload_bytes": 1200, "ssrc": 0x52584243, "payload_type": 96,
        "first_sequence": 0, "send_batch": 1, "fill_pattern": False, "warmup_packets": 334,
        "measured_packets": 10000, "warmup_pause_s": 0.25, "boot_id": "00000000-0000-0000-0000-000000000000",
        "host": "sender"}
sent = {"packets_sent": 10334, "warmup_sent": 334, "send_errors": 0, "send_calls": 10334,
        "first_send_ns": 1000, "last_send_ns": 2000, "first_due_ns": 0, "last_due_ns": 1000,
        "offered_pps": 10000.0, "achieved_pps": 10000.0, "last_errno": 0, "cpu_ns": 5000,
        "malformed_sent": {"short": 3, "oversize": 1}}
write("run_messages_fuzzer", "plan", app(0, json.dumps({"version": 1, "run_id": RUN, "plan": plan})))
write("run_messages_fuzzer", "warmup-done", app(1, json.dumps({"version": 1, "run_id": RUN, "sent": sent})))
write("run_messages_fuzzer", "end", app(2, json.dumps({"version": 1, "run_id": RUN, "sent": sent})))
sender_report = struct.pack(">BBHI", 0x80, 200, 6, 1) + b"\x00" * 20
write("run_messages_fuzzer", "sr-then-end",
      sender_report + app(2, json.dumps({"version": 1, "run_id": RUN, "sent": sent})))
write("run_messages_fuzzer", "other-app", app(0, "{}", name=b"ABCD"))
write("run_messages_fuzzer", "later-version", app(2, json.dumps({"version": 3, "run_id": RUN, "sent": sent})))
# Version 2: a plan of many streams, and an end in parts (part 0 the totals
# and the first streams' counts, part 1 the rest).
plan_v2 = dict(plan, streams=4, stream_ports="per-stream")
write("run_messages_fuzzer", "plan-streams", app(0, json.dumps({"version": 2, "run_id": RUN, "plan": plan_v2})))
write("run_messages_fuzzer", "end-part-0",
      app(2, json.dumps({"version": 2, "run_id": RUN, "part": 0, "parts": 2, "sent": sent,
                         "stream_sent": {"first": 0, "of": 4, "counts": [2584, 2584]}})))
write("run_messages_fuzzer", "end-part-1",
      app(2, json.dumps({"version": 2, "run_id": RUN, "part": 1, "parts": 2,
                         "stream_sent": {"first": 2, "of": 4, "counts": [2583, 2583]}})))
