// Stop-and-stats synchronisation (receivers/sync_policy.h): the cost of the
// receiver's per-packet PublishAndCheckStop, for the mutex policy (one GMutex
// per packet, the original receiver) and the atomic policy (stop flag plus a
// seqlock: the writer bumps a sequence counter around relaxed stores).
//
// Without a reader, the mutex is uncontended and the atomic policy costs a few
// relaxed stores. A reader thread calling Snapshot() (as the runner's progress
// display does) makes them differ: it takes the mutex, or spins on the
// sequence counter and pulls the stats' cache lines away from the writer.
// Readers at ~1 kHz and ~100 kHz, paced against steady_clock (sleeping for long
// gaps, spinning for short ones), stopped when the benchmark ends; the
// `reader_hz` counter is the rate the reader actually achieved. A seqlock
// reader retries while the writer is mid-update, so against a writer that
// publishes every few ns it can fall far short of its target.
//
// `unsynchronised` is the floor: the same stats addition into a private struct.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "benchmarks/counter_scope.h"
#include "receivers/receiver_stats.h"
#include "receivers/strategy.h"
#include "receivers/sync_policy.h"

namespace rxbench::benchmarks {
namespace {

using receivers::ReceiverStats;
using receivers::SyncKind;
using Clock = std::chrono::steady_clock;

// What the receive loop publishes for every packet but the last of a batch.
ReceiverStats PacketDelta() {
  ReceiverStats delta;
  delta.packets = 1;
  delta.bytes = 1200;
  return delta;
}

// Calls Snapshot() every `period` until stopped; counts the calls.
class PacedReader {
 public:
  PacedReader(const receivers::SyncPolicy* sync, Clock::duration period)
      : thread_([this, sync, period] { Run(sync, period); }) {}
  ~PacedReader() { Stop(); }

  void Stop() {
    stop_.store(true, std::memory_order_relaxed);
    if (thread_.joinable()) thread_.join();
  }
  std::uint64_t snapshots() const { return snapshots_; }

 private:
  void Run(const receivers::SyncPolicy* sync, Clock::duration period) {
    Clock::time_point next = Clock::now();
    while (!stop_.load(std::memory_order_relaxed)) {
      benchmark::DoNotOptimize(sync->Snapshot());
      ++snapshots_;
      next += period;
      // Fell behind (a Snapshot took longer than a period): do not burst to catch up.
      if (next < Clock::now()) next = Clock::now();
      for (;;) {
        const Clock::duration left = next - Clock::now();
        if (left <= Clock::duration::zero() || stop_.load(std::memory_order_relaxed)) break;
        // sleep_for overshoots by ~50-100 us: only worth it for long gaps.
        if (left > std::chrono::microseconds(200)) {
          std::this_thread::sleep_for(left - std::chrono::microseconds(100));
        }  // else spin: yielding could lose the core for a whole time slice
      }
    }
  }

  std::atomic<bool> stop_{false};
  std::uint64_t snapshots_ = 0;  // read after join
  std::thread thread_;
};

void BM_Sync(benchmark::State& state, SyncKind kind, int reader_hz) {
  auto sync = receivers::MakeSyncPolicy(kind);
  const ReceiverStats delta = PacketDelta();
  std::unique_ptr<PacedReader> reader;
  if (reader_hz > 0) {
    reader = std::make_unique<PacedReader>(sync.get(), std::chrono::nanoseconds(1000000000 / reader_hz));
  }
  const Clock::time_point start = Clock::now();
  CounterScope scope(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(sync->PublishAndCheckStop(delta));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (reader) {
    reader->Stop();
    state.counters["reader_hz"] = static_cast<double>(reader->snapshots()) / seconds;
  }
  if (sync->Snapshot().packets != static_cast<std::uint64_t>(state.iterations())) {
    state.SkipWithError("published packet count does not match the iterations");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SyncUnsynchronised(benchmark::State& state) {
  ReceiverStats stats;
  const ReceiverStats delta = PacketDelta();
  CounterScope scope(state);
  for (auto _ : state) {
    stats += delta;
    benchmark::DoNotOptimize(stats);
  }
  state.SetItemsProcessed(state.iterations());
}

// Names: BM_Sync/<policy>/reader_hz:<0|1000|100000>, BM_Sync/unsynchronised.
[[maybe_unused]] const bool kRegistered = [] {
  for (SyncKind kind : {SyncKind::kMutex, SyncKind::kAtomic}) {
    for (int hz : {0, 1000, 100000}) {
      const std::string name = std::string("BM_Sync/") + receivers::ToString(kind) + "/reader_hz:" + std::to_string(hz);
      benchmark::RegisterBenchmark(name.c_str(), BM_Sync, kind, hz)->UseRealTime();
    }
  }
  benchmark::RegisterBenchmark("BM_Sync/unsynchronised", BM_SyncUnsynchronised);
  return true;
}();

}  // namespace
}  // namespace rxbench::benchmarks
