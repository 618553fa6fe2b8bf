// The datagrams the generator sends, in the order it sends them: a
// PacketSchedule with the spec's ImpairmentPlan (`--impair`) applied to its
// measured stream.
//
// A cursor over datagrams rather than packets: a dropped packet is passed
// over, a duplicated one comes up twice in a row, a swapped pair comes up as
// i+1 then i. Each datagram carries its packet's index and RTP header, so the
// sender writes it as it would any packet. Without impairments it is the
// PacketSchedule, datagram for packet.
//
// The plan covers the measured stream only (its packet 0 is the schedule's
// warmup_end()): the warm-up is there to warm the receive path up, and the
// generator pauses at its end, which a swapped pair must not straddle. The
// plan never impairs its first packet, so the datagram at warmup_end() is
// that packet, once, in its place.
//
// Due times: a datagram is due when its packet is, except the held packet of
// a swap, which leaves right after i+1 and so is due when i+1 is. Due times
// therefore never decrease, and a sender that sends whatever is due sends a
// pair back to back.
//
// injected() counts an impairment once the datagram that shows it has been
// passed by Advance(), and a drop only once a later packet has: what a
// receiver's sequence tracker can see of the datagrams sent so far, also when
// the sender stops early. The sender passes a datagram once it has tried to
// send it; a send error leaves a gap of its own (send_errors).
//
// Pure, like PacketSchedule: no clock, no socket, never allocates.
#pragma once

#include <cstdint>
#include <vector>

#include "rtp/rtp_packet.h"
#include "traffic_gen/impairment.h"
#include "traffic_gen/packet_schedule.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::traffic_gen {

class ImpairedSchedule {
 public:
  // `spec` must pass Validate(); its impair and seed make the plan.
  // `media_frames` as for PacketSchedule.
  explicit ImpairedSchedule(const TrafficSpec& spec, const std::vector<std::uint32_t>* media_frames = nullptr);

  bool done() const { return done_; }
  // Packets in the stream (warm-up included), as PacketSchedule counts them.
  std::uint64_t total() const { return schedule_.total(); }
  std::uint64_t warmup_end() const { return schedule_.warmup_end(); }

  // The current datagram (valid while !done()): its packet's index and header,
  // and when it is due after the stream's start.
  std::uint64_t index() const { return index_; }
  const rtp::Header& header() const { return header_; }
  std::int64_t due_ns() const { return due_ns_; }
  // The second copy of a duplicated packet.
  bool repeated() const { return effect_ == Impairment::kDuplicate; }

  void Advance();

  const ImpairmentReport& injected() const { return injected_; }

 private:
  // Makes the datagram of the packet at schedule_'s cursor current, passing
  // over dropped packets.
  void LoadFromSchedule();
  Impairment PlanAt(std::uint64_t index) const;
  void SetCurrent(std::uint64_t index, const rtp::Header& header, std::int64_t due_ns, Impairment effect);

  PacketSchedule schedule_;
  const ImpairmentPlan plan_;
  const bool impairing_;

  bool done_ = false;
  std::uint64_t index_ = 0;
  rtp::Header header_;
  std::int64_t due_ns_ = 0;
  // What the current datagram shows the receiver: kNone, kDuplicate (the
  // second copy) or kSwapWithNext (the held packet, sent late).
  Impairment effect_ = Impairment::kNone;
  // What comes after the current datagram before the schedule moves on.
  enum class Next { kSchedule, kRepeat, kHeld } next_ = Next::kSchedule;
  std::uint64_t held_index_ = 0;
  rtp::Header held_header_;
  // Drops passed over right before the current datagram.
  std::uint64_t drops_before_current_ = 0;
  ImpairmentReport injected_;
};

}  // namespace rxbench::traffic_gen
