#include "traffic_gen/impaired_schedule.h"

namespace rxbench::traffic_gen {

ImpairedSchedule::ImpairedSchedule(const TrafficSpec& spec, const std::vector<std::uint32_t>* media_frames)
    : schedule_(spec, media_frames),
      plan_(spec.impair, spec.seed, schedule_.total() - schedule_.warmup_end()),
      impairing_(!spec.impair.empty()) {
  LoadFromSchedule();
}

Impairment ImpairedSchedule::PlanAt(std::uint64_t index) const {
  // Skipping the draw keeps an unimpaired stream's cost what it was.
  if (!impairing_ || index < schedule_.warmup_end()) return Impairment::kNone;
  return plan_.At(index - schedule_.warmup_end());
}

void ImpairedSchedule::SetCurrent(std::uint64_t index, const rtp::Header& header, std::int64_t due_ns,
                                  Impairment effect) {
  index_ = index;
  header_ = header;
  due_ns_ = due_ns;
  effect_ = effect;
}

// schedule_ always points at the first packet not yet made a datagram.
void ImpairedSchedule::LoadFromSchedule() {
  std::uint64_t drops = 0;
  while (!schedule_.done()) {
    const std::uint64_t index = schedule_.index();
    const Impairment what = PlanAt(index);
    if (what == Impairment::kDrop) {
      ++drops;
      schedule_.Advance();
      continue;
    }
    if (what == Impairment::kSwapWithNext) {
      // Packet i is held; i+1 exists and is not impaired itself (the plan
      // never swaps the second-to-last packet, nor next to another impairment).
      held_index_ = index;
      held_header_ = schedule_.header();
      schedule_.Advance();
      SetCurrent(schedule_.index(), schedule_.header(), schedule_.due_ns(), Impairment::kNone);
      next_ = Next::kHeld;
    } else {
      SetCurrent(index, schedule_.header(), schedule_.due_ns(), Impairment::kNone);
      next_ = what == Impairment::kDuplicate ? Next::kRepeat : Next::kSchedule;
    }
    schedule_.Advance();
    drops_before_current_ = drops;
    return;
  }
  // The plan never drops the last packet, so no drop is left uncounted here.
  done_ = true;
}

void ImpairedSchedule::Advance() {
  if (done_) return;
  injected_.Add(effect_);
  injected_.losses += drops_before_current_;
  drops_before_current_ = 0;
  switch (next_) {
    case Next::kRepeat:
      effect_ = Impairment::kDuplicate;
      next_ = Next::kSchedule;
      return;
    case Next::kHeld:
      // Sent right after i+1: due when it was.
      SetCurrent(held_index_, held_header_, due_ns_, Impairment::kSwapWithNext);
      next_ = Next::kSchedule;
      return;
    case Next::kSchedule: LoadFromSchedule(); return;
  }
}

}  // namespace rxbench::traffic_gen
