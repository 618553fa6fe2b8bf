// Loss, duplication and reordering injected by the generator itself, because
// tc netem is not available everywhere rxbench runs: `--impair
// loss=1%,dup=0.5%,reorder=1%` (a fraction or a percentage each).
//
// The point is an exact check of the receive side: every impairment must
// show up as exactly one seq_gap, duplicate or reordered packet in
// metrics::SequenceTracker, so ImpairmentPlan keeps impairments apart:
//
//   drop       packet i is never sent                  -> one seq_gap
//   duplicate  packet i is sent twice in a row          -> one duplicate
//   reorder    packet i is sent right after packet i+1  -> one reordered
//
// A packet is impaired only when neither neighbour drew an impairment, so no
// two interact (a swap with a dropped packet would not be a reorder). The
// first and last packets are never impaired, and packet i+1 of a swap is never
// the last, so the tracker's lowest and highest sequence numbers are the
// stream's own. The effect: the rates actually injected run slightly below the
// ones asked for; Tally() says what was injected.
//
// Pure arithmetic on (seed, index), like PacketSchedule: reproducible, and any
// packet can be asked about in any order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rxbench::traffic_gen {

struct ImpairmentSpec {
  double loss = 0;
  double duplicate = 0;
  double reorder = 0;
  bool empty() const { return loss == 0 && duplicate == 0 && reorder == 0; }
};

// Parses `loss=R,dup=R,reorder=R` (any subset, any order; R as 0.01 or 1%).
// On failure returns false and sets *error to one line.
bool ParseImpairmentSpec(const std::string& text, ImpairmentSpec* spec, std::string* error);

enum class Impairment : std::uint8_t { kNone, kDrop, kDuplicate, kSwapWithNext };

struct ImpairmentReport {
  std::uint64_t losses = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t reorders = 0;
  void Add(Impairment impairment);
};

class ImpairmentPlan {
 public:
  // `total_packets`: packets in the stream it covers, indexed from 0 (the
  // generator covers its measured stream only: impaired_schedule.h).
  ImpairmentPlan(const ImpairmentSpec& spec, std::uint64_t seed, std::uint64_t total_packets);

  // What happens to packet `index`. Pure.
  Impairment At(std::uint64_t index) const;

  // Every impairment of the stream, counted (walks the whole stream).
  ImpairmentReport Tally() const;

  // Packet indices in the order they leave the generator: the reference for
  // how a sender applies the plan (hold i on a swap, send it after i+1).
  std::vector<std::uint64_t> SendOrder() const;

 private:
  Impairment Drawn(std::uint64_t index) const;

  double loss_end_;       // [0, loss_end_) drops
  double duplicate_end_;  // [loss_end_, duplicate_end_) duplicates
  double reorder_end_;    // [duplicate_end_, reorder_end_) swaps
  std::uint64_t seed_;
  std::uint64_t total_;
};

}  // namespace rxbench::traffic_gen
