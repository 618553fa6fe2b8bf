"""What rxbench compares: each metric's key in the results JSON, its label and unit, and
which direction is better. Also the two figures derived from the loss account.

The keys are the C++ harness's JSON field names (a data contract: they never change
meaning), except `delivered_fraction`, which is derived here so that every compared
metric is one number per repetition.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    better: str  # "lower" or "higher"

    @property
    def higher_is_better(self):
        return self.better == "higher"


RECEIVE_PATH_CPU = Metric("cpu_ns_per_packet_receive_path", "receive-path CPU", "ns/packet",
                          "lower")
RECEIVER_CPU = Metric("cpu_ns_per_packet_receiver", "receiver CPU", "ns/packet", "lower")
PIPELINE_CPU = Metric("cpu_ns_per_packet_pipeline", "pipeline CPU", "ns/packet", "lower")
LATENCY_P50 = Metric("latency_p50_ns", "latency p50", "ns", "lower")
LATENCY_P99 = Metric("latency_p99_ns", "latency p99", "ns", "lower")
DELIVERED_FRACTION = Metric("delivered_fraction", "delivered fraction", "of sent", "higher")

# The metrics `compare` and `ci` report, in the order tables show them.
COMPARED = (RECEIVE_PATH_CPU, RECEIVER_CPU, PIPELINE_CPU, LATENCY_P50, LATENCY_P99,
            DELIVERED_FRACTION)
_BY_KEY = {m.key: m for m in COMPARED}

# The metrics the CI gate judges unless its --config says otherwise, with the fraction
# worse that fails it: receive-path CPU only. It is the sum of receiver and pipeline CPU,
# so gating those too would triple the chances of a false alarm for one effect. Latency
# is not measured under --measure minimal, the gate's default. Here, not in ci/, because
# the report's trend shows what can fail a gate without depending on the gate.
GATED_BY_DEFAULT = {RECEIVE_PATH_CPU.key: 0.05}


def lookup(key):
    """The definition of `key`; any other numeric field of the JSON (e.g. for `history
    --metric syscalls_per_packet`) is taken as lower-is-better with its key as label."""
    return _BY_KEY.get(key) or Metric(key, key, "", "lower")


def delivered_fraction(raw):
    """packets_delivered / packets_sent, or None when nothing was sent (no fraction)."""
    sent = raw.get("packets_sent")
    delivered = raw.get("packets_delivered")
    if not sent or delivered is None:
        return None
    return delivered / sent


def lost_packets(raw):
    """Packets lost on the way, as the C++ loss account (results/loss_account.h) has them:
    kernel_drops + pipeline_drops + unexplained. Computed from its identity

        sent = delivered + kernel_drops + malformed + truncated + pipeline_drops
             + in_flight_at_stop + unexplained

    so that files written before some of those fields existed read the same way.
    Malformed and truncated packets are not lost: they arrived and were rejected (a
    sweep's "loss-free" still counts them against a rate, rate_verdict.py). Packets
    still in flight when the run stopped were not lost either: the run just ended.
    None when the account is absent."""
    sent = raw.get("packets_sent")
    delivered = raw.get("packets_delivered")
    if sent is None or delivered is None:
        return None
    arrived_rejected = (raw.get("malformed") or 0) + (raw.get("truncated") or 0)
    return max(0, sent - delivered - (raw.get("in_flight_at_stop") or 0) - arrived_rejected)
