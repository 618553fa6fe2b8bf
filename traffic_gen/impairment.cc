#include "traffic_gen/impairment.h"

#include "traffic_gen/rate_text.h"
#include "traffic_gen/seeded_uniform.h"

namespace rxbench::traffic_gen {
namespace {

constexpr std::uint64_t kImpairmentStream = 2;

}  // namespace

bool ParseImpairmentSpec(const std::string& text, ImpairmentSpec* spec, std::string* error) {
  ImpairmentSpec parsed;
  for (const std::string& item : SplitCommas(text)) {
    const std::size_t equals = item.find('=');
    const std::string key = item.substr(0, equals);
    double* target = key == "loss"      ? &parsed.loss
                     : key == "dup"     ? &parsed.duplicate
                     : key == "reorder" ? &parsed.reorder
                                        : nullptr;
    if (target == nullptr || equals == std::string::npos) {
      *error = "--impair: '" + item + "' is not loss=R, dup=R or reorder=R (R as 0.01 or 1%)";
      return false;
    }
    if (!ParseRate(item.substr(equals + 1), target)) {
      *error = "--impair: '" + item + "': the rate must be a fraction in [0, 1] such as 0.01 or 1%";
      return false;
    }
  }
  if (parsed.loss + parsed.duplicate + parsed.reorder > 1.0) {
    *error = "--impair: loss + dup + reorder add up to more than 1";
    return false;
  }
  *spec = parsed;
  return true;
}

void ImpairmentReport::Add(Impairment impairment) {
  losses += impairment == Impairment::kDrop;
  duplicates += impairment == Impairment::kDuplicate;
  reorders += impairment == Impairment::kSwapWithNext;
}

ImpairmentPlan::ImpairmentPlan(const ImpairmentSpec& spec, std::uint64_t seed, std::uint64_t total_packets)
    : loss_end_(spec.loss),
      duplicate_end_(spec.loss + spec.duplicate),
      reorder_end_(spec.loss + spec.duplicate + spec.reorder),
      seed_(seed),
      total_(total_packets) {}

Impairment ImpairmentPlan::Drawn(std::uint64_t index) const {
  if (index == 0 || index + 1 >= total_) return Impairment::kNone;
  const double u = SeededUniform(seed_, kImpairmentStream, index);
  if (u < loss_end_) return Impairment::kDrop;
  if (u < duplicate_end_) return Impairment::kDuplicate;
  // i+1 of a swap must not be the last packet.
  if (u < reorder_end_ && index + 2 < total_) return Impairment::kSwapWithNext;
  return Impairment::kNone;
}

Impairment ImpairmentPlan::At(std::uint64_t index) const {
  const Impairment drawn = Drawn(index);
  if (drawn == Impairment::kNone) return drawn;
  // Kept apart from any neighbour's draw, so each is counted exactly once.
  if (Drawn(index - 1) != Impairment::kNone || Drawn(index + 1) != Impairment::kNone) {
    return Impairment::kNone;
  }
  return drawn;
}

ImpairmentReport ImpairmentPlan::Tally() const {
  ImpairmentReport report;
  for (std::uint64_t i = 0; i < total_; ++i) report.Add(At(i));
  return report;
}

std::vector<std::uint64_t> ImpairmentPlan::SendOrder() const {
  std::vector<std::uint64_t> order;
  order.reserve(total_);
  for (std::uint64_t i = 0; i < total_; ++i) {
    switch (At(i)) {
      case Impairment::kNone: order.push_back(i); break;
      case Impairment::kDrop: break;
      case Impairment::kDuplicate:
        order.push_back(i);
        order.push_back(i);
        break;
      case Impairment::kSwapWithNext:
        // Packet i+1 is never impaired itself (see At), so it is sent as is.
        order.push_back(i + 1);
        order.push_back(i);
        ++i;
        break;
    }
  }
  return order;
}

}  // namespace rxbench::traffic_gen
