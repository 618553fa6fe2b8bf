#include "receivers/sync_policy.h"

#include <glib.h>

#include <array>
#include <atomic>
#include <cstring>

namespace rxbench::receivers {
namespace {

class MutexSync final : public SyncPolicy {
 public:
  MutexSync() { g_mutex_init(&mutex_); }
  ~MutexSync() override { g_mutex_clear(&mutex_); }

  void RequestStop() override {
    g_mutex_lock(&mutex_);
    stop_ = true;
    g_mutex_unlock(&mutex_);
  }

  bool PublishAndCheckStop(const ReceiverStats& delta) override {
    g_mutex_lock(&mutex_);
    stats_ += delta;
    const bool stop = stop_;
    g_mutex_unlock(&mutex_);
    return stop;
  }

  ReceiverStats Snapshot() const override {
    g_mutex_lock(&mutex_);
    ReceiverStats copy = stats_;
    g_mutex_unlock(&mutex_);
    return copy;
  }

 private:
  mutable GMutex mutex_;
  bool stop_ = false;
  ReceiverStats stats_;
};

// ReceiverStats viewed as an array of counters, so the seqlock can copy them
// field by field with relaxed atomics (no data race, no torn reads).
constexpr std::size_t kFields = sizeof(ReceiverStats) / sizeof(std::uint64_t);
static_assert(sizeof(ReceiverStats) == kFields * sizeof(std::uint64_t));

class AtomicSync final : public SyncPolicy {
 public:
  void RequestStop() override { stop_.store(true, std::memory_order_relaxed); }

  bool PublishAndCheckStop(const ReceiverStats& delta) override {
    std::uint64_t d[kFields];
    std::memcpy(d, &delta, sizeof d);
    const std::uint64_t seq = seq_.load(std::memory_order_relaxed);
    seq_.store(seq + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    for (std::size_t i = 0; i < kFields; ++i) {
      if (d[i] != 0) {
        fields_[i].store(fields_[i].load(std::memory_order_relaxed) + d[i], std::memory_order_relaxed);
      }
    }
    seq_.store(seq + 2, std::memory_order_release);
    return stop_.load(std::memory_order_relaxed);
  }

  ReceiverStats Snapshot() const override {
    std::uint64_t copy[kFields];
    for (;;) {
      const std::uint64_t before = seq_.load(std::memory_order_acquire);
      if (before & 1) continue;  // writer mid-update
      for (std::size_t i = 0; i < kFields; ++i) copy[i] = fields_[i].load(std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_acquire);
      if (seq_.load(std::memory_order_relaxed) == before) break;
    }
    ReceiverStats stats;
    std::memcpy(&stats, copy, sizeof copy);
    return stats;
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> seq_{0};
  std::array<std::atomic<std::uint64_t>, kFields> fields_{};
};

}  // namespace

std::unique_ptr<SyncPolicy> MakeSyncPolicy(SyncKind kind) {
  if (kind == SyncKind::kMutex) return std::make_unique<MutexSync>();
  return std::make_unique<AtomicSync>();
}

}  // namespace rxbench::receivers
