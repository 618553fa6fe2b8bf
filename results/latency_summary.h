// A histogram of per-packet values reduced to the figures a report shows.
#pragma once

#include <cstdint>

#include "metrics/log_histogram.h"

namespace rxbench::harness {

struct LatencySummary {
  std::uint64_t count = 0;  // 0: not measured (every figure then means nothing)
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0, mean = 0, stddev = 0;  // ns
};

LatencySummary Summarize(const metrics::LogHistogram& h);

}  // namespace rxbench::harness
