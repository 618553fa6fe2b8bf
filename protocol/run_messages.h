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
//   end          after the last packet: the final counts (GeneratorReport)
//
// Each is one datagram to the RTP port + 1 (the RTCP port, by RFC 3550's
// convention): an RTCP APP packet named "RXBC" whose subtype is the kind and
// whose data is a small JSON object with a format version. A datagram can be
// lost, so the sender repeats each a few times; the receiver keeps the first
// of each kind for its run id. Every message fits in 1200 bytes, below any
// path MTU (IPv6's minimum is 1280).
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

inline constexpr int kRunMessageVersion = 1;
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
  std::uint64_t warmup_packets = 0;  // as scheduled (burst: whole frames)
  std::uint64_t measured_packets = 0;
  double warmup_pause_s = 0;  // the sender's pause after the warm-up
  std::string boot_id;        // platform::BootId() of the sender
  std::string host;           // the sender's host name, for people
};

struct RunMessage {
  RunMessageKind kind = RunMessageKind::kPlan;
  std::string run_id;
  RunPlan plan;                       // kPlan
  traffic_gen::GeneratorReport sent;  // kWarmupDone (so far), kEnd (final)
};

// A fresh run id: 16 hex digits from the kernel's random source.
std::string NewRunId();

// JSON of each part: the messages' data, and `gen --out`'s "plan" and "sent".
nlohmann::json PlanJson(const RunPlan& plan);
nlohmann::json SentJson(const traffic_gen::GeneratorReport& sent);
// False with *why when a field is missing or of the wrong type.
bool PlanFromJson(const nlohmann::json& json, RunPlan* plan, std::string* why);
bool SentFromJson(const nlohmann::json& json, traffic_gen::GeneratorReport* sent, std::string* why);

// The datagram; empty (with *why) when it would not fit kMaxRunMessageBytes.
std::vector<std::uint8_t> EncodeRunMessage(const RunMessage& message, std::uint32_t ssrc, std::string* why);

enum class RunMessageParse { kMessage, kNotOurs, kMalformed };
// Reads any datagram off the control port: kNotOurs for RTCP without an RXBC
// APP packet (a real sender's SR or BYE), kMalformed (with *why) for anything
// else that does not parse, including an unknown format version.
RunMessageParse ParseRunMessage(const std::uint8_t* data, std::size_t size, RunMessage* message, std::string* why);

}  // namespace rxbench::harness
