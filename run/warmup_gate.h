// Where the sender waits between its warm-up and the measured stream, in one
// process: the sender arrives with what it has sent, the harness waits for
// those packets to go through, opens its measurement window and releases it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "traffic_gen/generator.h"

namespace rxbench::harness {

class WarmupGate {
 public:
  // Sender thread: the warm-up is out; returns when Release() is called.
  void Arrive(const traffic_gen::GeneratorReport& warmup) {
    std::unique_lock<std::mutex> lock(mutex_);
    warmup_ = warmup;
    cv_.notify_all();
    cv_.wait(lock, [this] { return released_; });
  }

  // Harness: the sender's warm-up report once it arrived; nullopt after
  // `timeout_s` or when `gave_up()` says the sender will not come.
  template <typename GaveUp>
  std::optional<traffic_gen::GeneratorReport> WaitForArrival(double timeout_s, GaveUp gave_up) {
    std::unique_lock<std::mutex> lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    while (!warmup_ && std::chrono::steady_clock::now() < deadline && !gave_up()) {
      cv_.wait_for(lock, std::chrono::milliseconds(5));
    }
    return warmup_;
  }

  // Any thread, any number of times: lets the sender go on (or finish).
  void Release() {
    std::lock_guard<std::mutex> lock(mutex_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<traffic_gen::GeneratorReport> warmup_;
  bool released_ = false;
};

}  // namespace rxbench::harness
