// Joins the parts of one kind of run message (run_messages.h) into the
// report the generator sent: part 0's totals and every part's slice of the
// per-stream counts. Parts may come in any order and more than once (the
// sender repeats each, the network may reorder); the report is there only
// once every part has come and the counts agree with the totals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/run_messages.h"
#include "traffic_gen/generator.h"

namespace rxbench::harness {

class MessageAssembly {
 public:
  // Takes one part of the message. False with *why when it contradicts the
  // parts held (another part count or stream count, a slice that overlaps
  // another with other counts) or, as the last part, when the per-stream
  // counts do not add up to the total: the part is then not taken.
  bool Add(const RunMessage& part, std::string* why);

  // The whole report, once every part is in; nullopt until then.
  const std::optional<traffic_gen::GeneratorReport>& whole() const { return whole_; }
  // Parts in so far, of how many (0 of 0 before the first).
  std::uint32_t parts_held() const { return held_; }
  std::uint32_t parts() const { return static_cast<std::uint32_t>(have_.size()); }

 private:
  std::vector<bool> have_;  // per part
  std::uint32_t held_ = 0;
  std::uint64_t streams_ = 0;
  std::optional<traffic_gen::GeneratorReport> totals_;  // part 0's
  std::vector<std::uint64_t> counts_;                   // per stream, as the slices said
  std::vector<bool> counted_;                           // per stream: a slice said it
  std::optional<traffic_gen::GeneratorReport> whole_;
};

}  // namespace rxbench::harness
