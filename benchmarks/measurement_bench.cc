// The harness's own per-packet overhead: what measuring a packet costs, so it
// can be kept negligible next to what is measured. Clocks (the receive loop
// and sink probe read CLOCK_MONOTONIC per batch or packet), the latency
// histogram, the loss/reorder tracker, RFC 3550 jitter and the buffer stamps.
#include <benchmark/benchmark.h>
#include <time.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "benchmarks/counter_scope.h"
#include "metrics/log_histogram.h"
#include "metrics/rfc3550_jitter.h"
#include "metrics/sequence_tracker.h"
#include "metrics/thread_usage.h"
#include "stamps/packet_stamps.h"

namespace rxbench::benchmarks {
namespace {

void BM_MeasureClock(benchmark::State& state, clockid_t clock) {
  CounterScope scope(state);
  for (auto _ : state) {
    timespec ts;
    clock_gettime(clock, &ts);
    benchmark::DoNotOptimize(ts);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_MeasureMonotonicNs(benchmark::State& state) {
  CounterScope scope(state);
  for (auto _ : state) benchmark::DoNotOptimize(metrics::MonotonicNs());
  state.SetItemsProcessed(state.iterations());
}

// Latencies spread over 1 us .. 10 ms (log-uniform), so the bucket touched
// varies as it does with real traffic.
std::vector<std::uint64_t> SampleLatencies() {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> exponent(3.0, 7.0);
  std::vector<std::uint64_t> values(4096);
  for (std::uint64_t& v : values) v = static_cast<std::uint64_t>(std::pow(10.0, exponent(rng)));
  return values;
}

void BM_MeasureHistogramRecord(benchmark::State& state) {
  metrics::LogHistogram histogram;
  const std::vector<std::uint64_t> values = SampleLatencies();
  std::size_t i = 0;
  CounterScope scope(state);
  for (auto _ : state) {
    histogram.Record(values[i++ & (values.size() - 1)]);
    benchmark::ClobberMemory();
  }
  benchmark::DoNotOptimize(histogram.count());
  state.SetItemsProcessed(state.iterations());
}

void BM_MeasureSequenceTracker(benchmark::State& state) {
  auto tracker = std::make_unique<metrics::SequenceTracker>();
  std::uint16_t seq = 0;
  CounterScope scope(state);
  for (auto _ : state) {
    tracker->OnPacket(seq++);  // in order, wrapping: the common case
    benchmark::ClobberMemory();
  }
  if (tracker->seq_gaps() != 0) state.SkipWithError("in-order packets reported gaps");
  state.SetItemsProcessed(state.iterations());
}

void BM_MeasureJitter(benchmark::State& state) {
  metrics::InterarrivalJitter jitter(90000);
  std::uint64_t arrival_ns = 0;
  std::uint32_t rtp_timestamp = 0;
  std::uint64_t n = 0;
  CounterScope scope(state);
  for (auto _ : state) {
    arrival_ns += 11000 + (n & 7) * 100;       // ~11 us apart, a little jitter
    if (++n % 30 == 0) rtp_timestamp += 3000;  // 30 packets per frame
    jitter.OnPacket(rtp_timestamp, arrival_ns);
    benchmark::ClobberMemory();
  }
  benchmark::DoNotOptimize(jitter.jitter_rtp_units());
  state.SetItemsProcessed(state.iterations());
}

// Stamping a buffer on the receiver and reading the stamps back at the sink.
void BM_MeasureStampBuffer(benchmark::State& state) {
  GstBuffer* buffer = gst_buffer_new();
  const std::uint64_t epoch = 1000;
  std::uint64_t t = epoch;
  std::uint16_t sequence = 0;
  CounterScope scope(state);
  for (auto _ : state) {
    stamps::StampBuffer(buffer, {t, t + 2, static_cast<std::uint32_t>(t), sequence++}, epoch);
    const std::optional<stamps::PacketStamp> stamp = stamps::ReadStamp(buffer, epoch, t + 3);
    benchmark::DoNotOptimize(stamp);
    t += 3;
  }
  state.SetItemsProcessed(state.iterations());
  gst_buffer_unref(buffer);
}

// Names: BM_Measure/<what>.
[[maybe_unused]] const bool kRegistered = [] {
  const std::pair<const char*, clockid_t> clocks[] = {
      {"CLOCK_MONOTONIC", CLOCK_MONOTONIC},
      {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE},
      {"CLOCK_REALTIME", CLOCK_REALTIME},
      {"CLOCK_THREAD_CPUTIME_ID", CLOCK_THREAD_CPUTIME_ID},
  };
  for (const auto& [name, clock] : clocks) {
    benchmark::RegisterBenchmark((std::string("BM_Measure/clock_gettime/") + name).c_str(), BM_MeasureClock, clock);
  }
  benchmark::RegisterBenchmark("BM_Measure/MonotonicNs", BM_MeasureMonotonicNs);
  benchmark::RegisterBenchmark("BM_Measure/LogHistogram_Record", BM_MeasureHistogramRecord);
  benchmark::RegisterBenchmark("BM_Measure/SequenceTracker_OnPacket", BM_MeasureSequenceTracker);
  benchmark::RegisterBenchmark("BM_Measure/InterarrivalJitter_OnPacket", BM_MeasureJitter);
  benchmark::RegisterBenchmark("BM_Measure/StampBuffer_and_ReadStamp", BM_MeasureStampBuffer);
  return true;
}();

}  // namespace
}  // namespace rxbench::benchmarks
