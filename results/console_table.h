// The console rendering of results: one row per strategy (the median over its
// repetitions), CPU per packet of the receive path and the generator, the
// path's ratio to the kernel floor (`null`) measured in the same invocation
// (or, where null woke or called the kernel more per packet, why it is no
// floor there: floor_comparability.h),
// latency, jitter and the loss invariant. unexplained_packets is shown in red
// when it is not zero. Comparisons between strategies, with intervals and
// verdicts, are the statistics' job (reports/, after `compare`).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "results/run_result.h"

namespace rxbench::harness {

void PrintResultsTable(const std::vector<RunResult>& runs, std::FILE* out, bool color);

// Many streams: one line of each stream's spread (min..max over streams) and
// the per-socket account, from one run, rather than a line a stream.
void PrintStreams(const RunResult& r, int indent, std::FILE* out);

// One line about counters, said once: what is read, and why the rest is not.
std::string DescribeCounters(const std::vector<RunResult>& runs);

}  // namespace rxbench::harness
