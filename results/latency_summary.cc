#include "results/latency_summary.h"

namespace rxbench::harness {

LatencySummary Summarize(const metrics::LogHistogram& h) {
  LatencySummary s;
  s.count = h.count();
  if (h.empty()) return s;
  s.p50 = static_cast<double>(h.Percentile(50));
  s.p90 = static_cast<double>(h.Percentile(90));
  s.p99 = static_cast<double>(h.Percentile(99));
  s.p999 = static_cast<double>(h.Percentile(99.9));
  s.max = static_cast<double>(h.max());
  s.mean = h.mean();
  s.stddev = h.stddev();
  return s;
}

}  // namespace rxbench::harness
