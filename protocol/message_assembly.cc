#include "protocol/message_assembly.h"

#include <cstddef>

namespace rxbench::harness {

bool MessageAssembly::Add(const RunMessage& m, std::string* why) {
  if (whole_) return true;  // a repeat of a part of a message already whole
  if (have_.empty()) {
    have_.assign(m.parts, false);
    streams_ = m.streams;
    counts_.assign(streams_, 0);
    counted_.assign(streams_, false);
  }
  if (m.parts != have_.size() || m.streams != streams_) {
    *why = "a part of " + std::to_string(m.parts) + " parts, " + std::to_string(m.streams) +
           " streams, where the first said " + std::to_string(have_.size()) + " parts, " + std::to_string(streams_) +
           " streams";
    return false;
  }
  if (have_[m.part]) return true;  // a repeat
  const std::vector<std::uint64_t>& slice = m.sent.stream_sent;
  for (std::size_t i = 0; i < slice.size(); ++i) {
    const std::size_t k = m.first_stream + i;
    if (counted_[k] && counts_[k] != slice[i]) {
      *why = "stream " + std::to_string(k) + " counted twice, as " + std::to_string(counts_[k]) + " and " +
             std::to_string(slice[i]);
      return false;
    }
  }
  // Complete once this part is in: then everything must agree.
  if (held_ + 1 == have_.size()) {
    std::uint64_t sum = 0, streams_counted = 0;
    for (std::size_t k = 0; k < streams_; ++k) {
      const bool in_slice = k >= m.first_stream && k - m.first_stream < slice.size();
      if (counted_[k] || in_slice) ++streams_counted;
      sum += in_slice ? slice[k - m.first_stream] : counts_[k];
    }
    const traffic_gen::GeneratorReport& totals = m.part == 0 ? m.sent : *totals_;
    if (streams_counted != streams_) {
      *why = "every part came, but only " + std::to_string(streams_counted) + " of " + std::to_string(streams_) +
             " streams were counted";
      return false;
    }
    if (streams_ > 0 && sum != totals.packets_sent) {
      *why = "the per-stream counts add up to " + std::to_string(sum) + ", the total is " +
             std::to_string(totals.packets_sent);
      return false;
    }
  }
  have_[m.part] = true;
  ++held_;
  if (m.part == 0) {
    totals_ = m.sent;
    totals_->stream_sent.clear();
  }
  for (std::size_t i = 0; i < slice.size(); ++i) {
    counts_[m.first_stream + i] = slice[i];
    counted_[m.first_stream + i] = true;
  }
  if (held_ == have_.size()) {
    whole_ = totals_;
    whole_->stream_sent = counts_;
  }
  return true;
}

}  // namespace rxbench::harness
