// What a generator in another process (or on another host) tells the
// receiver about its stream, so that the two halves' results join and the
// loss account closes without shared memory: `rxbench gen` sends these,
// `rxbench recv` listens for them (and `gen --out` writes the same content as
// JSON, which `recv --sent-from` reads instead).
//
//   plan         before the first packet: the run id, the traffic (rate,
//                shape, sizes, the warm-up as scheduled), the stream's SSRC and
//                payload type, and the sender's boot id (whose CLOCK_MONOTONIC
//                the packets' send stamps are on)
//   warmup-done  after the warm-up, as the sender pauses: what it sent so far
//   end          after the last packet: the final counts (GeneratorReport),
//                with one count per stream
//
// Each is one datagram to the RTP port + 1 (the RTCP port, by RFC 3550's
// convention): an RTCP APP packet named "RXBC" whose subtype is the kind and
// whose data is a small JSON object with a format version. A datagram can be
// lost, so the sender repeats each a few times; the receiver keeps the first
// of each kind for its run id. Every datagram fits in 1200 bytes, below any
// path MTU (IPv6's minimum is 1280): a message that does not (the end of a
// run of many streams, a count per stream) goes as parts, each a datagram,
// which the receiver joins (message_assembly.h).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "traffic_gen/generator.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::harness {

// Version 2 added parts and per-stream counts; a version-1 message (one
// stream, one part) is still read.
inline constexpr int kRunMessageVersion = 2;
inline constexpr int kOldestRunMessageVersion = 1;
inline constexpr char kRunMessageName[] = "RXBC";
inline constexpr std::size_t kMaxRunMessageBytes = 1200;
// Sent this many times each, kRepeatGapMs apart.
inline constexpr int kRunMessageRepeats = 3;
inline constexpr int kRunMessageRepeatGapMs = 5;

enum class RunMessageKind : std::uint8_t { kPlan = 0, kWarmupDone = 1, kEnd = 2 };
const char* ToString(RunMessageKind kind);

// The stream as the generator plans it.
struct RunPlan {
  std::string run_id;
  std::string scenario;
  traffic_gen::TrafficSpec traffic;  // what travels: shape, rate, fps, sizes, counts, SSRC, PT
  // Every stream's together: warm-up as scheduled (burst: whole frames).
  std::uint64_t warmup_packets = 0;
  std::uint64_t measured_packets = 0;
  double warmup_pause_s = 0;  // the sender's pause after the warm-up
  std::string boot_id;        // platform::BootId() of the sender
  std::string host;           // the sender's host name, for people
  // traffic.streams streams: on one port (an SO_REUSEPORT group at the
  // receiver), or per-stream, stream k on the RTP port + 2k (each with its
  // RTCP port after it, RFC 3550's convention).
  bool per_stream_ports = false;
};

// Most parts one message may have: one per stream would do.
inline constexpr std::uint32_t kMaxRunMessageParts = traffic_gen::kMaxStreams;

// One datagram: a whole message, or one part of one.
struct RunMessage {
  RunMessageKind kind = RunMessageKind::kPlan;
  std::string run_id;
  RunPlan plan;                       // kPlan
  traffic_gen::GeneratorReport sent;  // kWarmupDone (so far), kEnd (final)
  // Parts (kWarmupDone, kEnd): part 0 carries sent's totals; every part may
  // carry a slice of the per-stream counts, sent.stream_sent being streams
  // [first_stream, first_stream + its size) of `streams` (0: no per-stream
  // counts in this message).
  std::uint32_t part = 0, parts = 1;
  std::uint64_t first_stream = 0, streams = 0;
};

// A fresh run id: 16 hex digits from the kernel's random source.
std::string NewRunId();

// JSON of each part: the messages' data, and `gen --out`'s "plan" and "sent".
nlohmann::json PlanJson(const RunPlan& plan);
nlohmann::json SentJson(const traffic_gen::GeneratorReport& sent);
// False with *why when a field is missing or of the wrong type.
bool PlanFromJson(const nlohmann::json& json, RunPlan* plan, std::string* why);
bool SentFromJson(const nlohmann::json& json, traffic_gen::GeneratorReport* sent, std::string* why);

// One datagram as the message says (one part); empty (with *why) when it
// would not fit kMaxRunMessageBytes.
std::vector<std::uint8_t> EncodeRunMessage(const RunMessage& message, std::uint32_t ssrc, std::string* why);
// A whole message, its sent.stream_sent all streams' counts, as the fewest
// datagrams that hold it (one unless the counts do not fit); empty (with
// *why) when it cannot be sent.
std::vector<std::vector<std::uint8_t>> EncodeRunMessageParts(const RunMessage& message, std::uint32_t ssrc,
                                                             std::string* why);

enum class RunMessageParse { kMessage, kNotOurs, kMalformed };
// Reads any datagram off the control port: kNotOurs for RTCP without an RXBC
// APP packet (a real sender's SR or BYE), kMalformed (with *why) for anything
// else that does not parse, including an unknown format version.
RunMessageParse ParseRunMessage(const std::uint8_t* data, std::size_t size, RunMessage* message, std::string* why);

}  // namespace rxbench::harness
