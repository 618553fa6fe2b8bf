// Lock-step reading (issue 19's exact tier): the receiver takes packets off
// the socket only once the generator has queued a whole round of them, and
// only that round. Then how many datagrams each receive call returns, and how
// often the thread sleeps and wakes, follow from the round size and the batch
// alone, not from how the sender and receiver threads happen to be scheduled;
// so instruction and syscall counts per packet repeat from run to run.
//
// The generator releases each round after the kernel has accepted its last
// datagram (on loopback the datagram is then in the socket's queue, unless the
// kernel deferred its receive softirq to ksoftirqd); the receiver waits here,
// not in its receive call, while nothing is released. When a call returns
// fewer datagrams than it asked for and were released, a packet was still on
// its way: that read is counted as short, so a run can say whether its
// lock-step held.
//
// Thread-safety: Release() from one thread (the generator's), Limit() and
// Took() from the receiver thread, the rest from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace rxbench::receivers {

class ReadGate {
 public:
  // Generator side: every datagram up to `sent` (a running count) is queued.
  void Release(std::uint64_t sent);
  // Any thread: every wait ends now and every later one at once (a stop).
  void Close();

  // Receiver thread, before a receive call that would take up to `want`
  // datagrams: blocks while every released datagram has been taken, then
  // says how many this call may take (at most `want`). 0 once closed with
  // nothing left to take.
  int Limit(int want);
  // Receiver thread, after that call: `asked` is what Limit() allowed,
  // `packets` the sender's packets the call returned (a coalesced datagram
  // holds several), `refused` those of them that will not reach the pipeline
  // (malformed, truncated).
  void Took(int asked, std::uint64_t packets, std::uint64_t refused);

  // Any thread.
  std::uint64_t released() const { return released_.load(std::memory_order_acquire); }
  std::uint64_t taken() const { return taken_.load(std::memory_order_acquire); }
  std::uint64_t refused() const { return refused_.load(std::memory_order_acquire); }
  // Receive calls that returned fewer packets than they were allowed and
  // were released (see above).
  std::uint64_t short_reads() const { return short_reads_.load(std::memory_order_relaxed); }
  // Times the receiver slept here for the next round.
  std::uint64_t waits() const { return waits_.load(std::memory_order_relaxed); }
  // Whether the receiver sleeps here now. The harness releases the next round
  // only then: released any earlier, it would find the receiver still
  // finishing the last one, which would then not sleep before reading it --
  // one wake-up less, as scheduling has it.
  bool parked() const { return parked_.load(std::memory_order_acquire); }

 private:
  std::atomic<std::uint64_t> released_{0}, taken_{0}, refused_{0};
  std::atomic<std::uint64_t> short_reads_{0}, waits_{0};
  std::atomic<bool> parked_{false};
  std::mutex mutex_;
  std::condition_variable released_more_;
  bool closed_ = false;  // under mutex_
};

}  // namespace rxbench::receivers
