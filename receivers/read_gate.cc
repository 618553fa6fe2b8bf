#include "receivers/read_gate.h"

#include <algorithm>

namespace rxbench::receivers {

void ReadGate::Release(std::uint64_t sent) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    released_.store(std::max(sent, released_.load(std::memory_order_relaxed)), std::memory_order_release);
  }
  released_more_.notify_one();
}

void ReadGate::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  released_more_.notify_all();
}

int ReadGate::Limit(int want) {
  const std::uint64_t taken = taken_.load(std::memory_order_relaxed);
  std::uint64_t released = released_.load(std::memory_order_acquire);
  if (released <= taken) {
    std::unique_lock<std::mutex> lock(mutex_);
    // Only the receiver thread moves taken_, and a round is released after
    // the receiver has taken the one before: one sleep per round.
    if (released_.load(std::memory_order_acquire) <= taken && !closed_) {
      waits_.fetch_add(1, std::memory_order_relaxed);
      parked_.store(true, std::memory_order_release);
      released_more_.wait(lock, [&] { return closed_ || released_.load(std::memory_order_acquire) > taken; });
      parked_.store(false, std::memory_order_release);
    }
    released = released_.load(std::memory_order_acquire);
    if (released <= taken) return 0;  // closed
  }
  return static_cast<int>(std::min<std::uint64_t>(static_cast<std::uint64_t>(want), released - taken));
}

void ReadGate::Took(int asked, std::uint64_t packets, std::uint64_t refused) {
  if (packets < static_cast<std::uint64_t>(asked)) short_reads_.fetch_add(1, std::memory_order_relaxed);
  refused_.fetch_add(refused, std::memory_order_release);
  taken_.fetch_add(packets, std::memory_order_release);
}

}  // namespace rxbench::receivers
