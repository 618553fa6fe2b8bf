// What the traffic generator sends: rate, shape, packet size, destination and
// the sender thread's placement. A plain value, so a run's configuration can be
// printed, stored with its results and replayed; Validate() is the one place
// that decides whether a spec makes sense, before any socket or thread exists.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "traffic_gen/impairment.h"
#include "traffic_gen/malformed.h"

namespace rxbench::traffic_gen {

// How packets are spread over time.
//   kCbr:   evenly, one packet every 1/rate_pps seconds (a smoothed sender).
//   kBurst: one video frame every 1/fps seconds, its packets back to back, the
//           way an encoder without a pacer hands frames to the network. Bursts
//           are what stress a receiver's socket buffer and wake-up latency.
enum class Shape { kCbr, kBurst };

// What the packets carry.
//   kFiller: the probe, then filler (rtp_packet.h): today's synthetic stream.
//   kH264:   an H.264 clip packetised as RFC 6184 does (media/rtp_h264.h), one
//            access unit per frame at fps, looped; the probe rides in an
//            RFC 8285 header extension (rtp/probe_extension.h) and payload_bytes
//            bounds extension + H.264 payload, so datagrams are never larger
//            than filler ones. The clip's bitrate decides the packet rate.
enum class Media { kFiller, kH264 };

struct TrafficSpec {
  double rate_pps = 2000;            // packets per second (average)
  std::size_t payload_bytes = 1200;  // RTP payload, >= rtp::kProbeBytes
  Shape shape = Shape::kCbr;
  double fps = 30;                 // burst: frames per second; each frame = rate_pps/fps packets back to back
  double duration_s = 1;           // used when packet_count == 0
  std::uint64_t packet_count = 0;  // exact count to send; 0 = rate * duration
  std::string dest_host = "127.0.0.1";
  std::uint16_t dest_port = 0;
  std::uint32_t ssrc = 0x52584243;  // "RXBC"
  std::uint8_t payload_type = 96;   // dynamic (RFC 3551); 0..127
  std::uint16_t first_sequence = 0;
  int cpu = -1;  // pin the sender thread to this CPU (-1 = no pinning)

  // Packets sent before the measured stream, so that a receiver's start-up
  // (cold caches, first buffers, caps negotiation) is not measured. For the
  // burst shape it is rounded up to a whole frame. After them the generator
  // pauses (see Generator's warm-up hook) and then plays the measured stream
  // on its own schedule. 0 = none.
  std::uint64_t warmup_packets = 0;
  // Datagrams per send call. 1: each packet carries the time taken right
  // before its own send(), its real send time. More: sendmmsg batches that
  // share one time taken before the call; on loopback the kernel runs the
  // receive side of each datagram inside the call, so later packets of a
  // batch leave later than their stamp says (measured: README).
  unsigned send_batch = 1;
  // UDP GSO (gso_send.h): up to this many packets per sendmsg, one RTP packet
  // per segment, each with its own sequence number, timestamp and probe. The
  // packets of a call are stamped together right before it, as a sendmmsg
  // batch is. Pacing is unchanged: a call carries what is due. 0 or 1 = off.
  // Cut to what the kernel takes (GsoSegmentsPerCall); needs send_batch 1.
  unsigned gso_segments = 0;
  // Write the payload pattern (rtp::FillPattern) into every packet. Only a
  // receiver that verifies payloads needs it; it costs the sender a pass over
  // every byte.
  bool fill_pattern = false;
  // Diagnostic: read the kernel's software TX timestamp of every datagram
  // (SO_TIMESTAMPING, error queue) and report how far each packet's stamp is
  // from it. Costs the sender a syscall per datagram.
  bool tx_timestamps = false;
  // Malformed datagrams slipped in between valid packets on purpose
  // (malformed.h), seeded; they need send_batch 1. `oversize` ones are one
  // byte longer than receiver_buffer_bytes.
  MalformedSpec malformed;
  // Loss, duplication and reordering on purpose (impairment.h), seeded, over
  // the measured stream only (impaired_schedule.h): dropped packets are never
  // sent, a duplicate goes out twice back to back, a swapped pair as i+1, i.
  // Each datagram is stamped right before its own send, as any other.
  ImpairmentSpec impair;
  // Lock-step (issue 19's exact tier): 0 = paced as above. K > 0: no pacing;
  // the stream goes out in rounds of K packets, as fast as the sender can
  // send them (in calls of send_batch, or gso_segments, packets each), and
  // after each round the generator calls its round hook and waits for it
  // (GeneratorHooks::after_round): the harness lets the receiver read the
  // round and waits until it has left the pipeline. The warm-up's last round
  // ends at the warm-up's end, and the stream's last one may be shorter.
  std::uint64_t lock_step_packets = 0;
  std::uint64_t seed = 1;  // of the malformed datagrams and the impairments (independent draws)
  std::size_t receiver_buffer_bytes = 4096;
  Media media = Media::kFiller;
  // kH264: the Annex B file; "" = media::DefaultH264ClipPath(), which
  // tools/make_h264_clip.py makes. Its frame rate is `fps`.
  std::string media_clip;

  // The measured stream: packet_count if set, else llround(rate_pps * duration_s).
  std::uint64_t TotalPackets() const;
};

// "cbr" or "burst"; nullopt for anything else.
std::optional<Shape> ParseShape(std::string_view name);
const char* ToString(Shape shape);
// "filler" or "h264"; nullopt for anything else.
std::optional<Media> ParseMedia(std::string_view name);
const char* ToString(Media media);

// Packets per second that carry `bits_per_second` on the wire, counting every
// packet as IPv4 header (20, no options) + UDP header (8) + RTP fixed header
// (12) + payload_bytes. Link-layer framing (Ethernet header, FCS, preamble,
// inter-frame gap) is not counted: it differs per link, and the IP packet is
// what socket buffers and `ip -s link` account for. Over IPv6 the real bitrate
// is 20 bytes per packet higher.
double RateForBitrate(double bits_per_second, std::size_t payload_bytes);

// "" when the spec can be run, else a one-line reason naming the field.
std::string Validate(const TrafficSpec& spec);

}  // namespace rxbench::traffic_gen
