// Every system call one thread makes, counted by the kernel.
//
// A strategy can count its own receive and poll calls, but not the futex
// wake-ups its pushes cause inside GStreamer, nor a clock read that is not
// served by the vDSO. The kernel's raw_syscalls:sys_enter tracepoint sees
// them all; opened through perf_event_open as a counting event on one
// thread. While any such tracepoint is enabled, every syscall on the host
// takes the traced entry path, which costs syscall-heavy strategies more than
// batching ones, so the harness counts this way only when asked (README).
// futex calls are counted beside it (syscalls:sys_enter_futex), because they
// are the hand-overs between threads.
//
// Needs root or perf_event_paranoid <= -1 and tracefs (platform/tracefs.h).
// Where it cannot be had, IsValid() is false and unavailable() says why; a
// caller then falls back to the strategy's own count and says so.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace rxbench::metrics {

class SyscallCounter {
 public:
  struct Counts {
    std::uint64_t all = 0;
    std::uint64_t futex = 0;
  };

  // Counts thread `tid` of this process, disabled until Start().
  static SyscallCounter Open(pid_t tid);

  SyscallCounter() = default;
  ~SyscallCounter();
  SyscallCounter(SyscallCounter&& other) noexcept;
  SyscallCounter& operator=(SyscallCounter&& other) noexcept;
  SyscallCounter(const SyscallCounter&) = delete;
  SyscallCounter& operator=(const SyscallCounter&) = delete;

  bool IsValid() const { return all_fd_ >= 0; }
  const std::string& unavailable() const { return why_; }

  // Zeroes and enables the counts (any thread).
  void Start();
  // Counts since Start(); nullopt when not valid or unreadable.
  std::optional<Counts> Read() const;

 private:
  void Close();
  int all_fd_ = -1;
  int futex_fd_ = -1;
  std::string why_;
};

}  // namespace rxbench::metrics
