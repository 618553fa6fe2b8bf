// Ending a receiver thread's wait at once when it is told to stop.
//
// Every receive call waits at most kIdleWaitMs for data (receive_call.h), so
// a stop is noticed within 20 ms anyway; the wait is kept that long because a
// shorter one costs idle wake-ups between a stream's bursts, which would be
// counted in the strategy's CPU per packet. A stop then costs a run up to
// 20 ms, and a start/stop cycle (lifecycle_test) ~22 ms of which 20 are this.
// A signal with a handler that does nothing, sent to the thread, makes its
// blocking call return at once (EINTR: recvfrom with a receive timeout,
// ppoll and io_uring_enter are never restarted), and every receive call takes
// that as an idle wait. A signal sent just before the thread enters its wait
// is lost, so WakeUntil() repeats it until the thread says it has left.
// Nothing is sent while a run measures: only after a stop was requested.
//
// The signal, SIGRTMIN+4, is this file's, process-wide: its handler is
// installed once (ClaimWakeSignal) and never removed. No other code of
// rxbench uses it, and GLib, GStreamer and glibc use none of the real-time
// signals from SIGRTMIN on. A library linked in later that took it would
// have its handler replaced, or replace ours (then the wake-up signal would
// run its handler, or kill the process with the default action), so the
// claim checks first that the signal is free and refuses otherwise.
#pragma once

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <string>

namespace rxbench::receivers {

// Claims the wake signal for this process: installs its handler the first
// time, checks every time that the handler in place is still ours. False with
// a one-line *error when another handler has the signal. Any thread.
bool ClaimWakeSignal(std::string* error);

// How long WakeUntil() keeps trying before it calls the thread stalled: far
// longer than any receive call waits (kIdleWaitMs), so only a thread stuck
// elsewhere (a push into an appsrc with block=true whose sink takes nothing)
// reaches it.
inline constexpr std::chrono::nanoseconds kWakeStallBound = std::chrono::seconds(5);

enum class WakeOutcome {
  kLeft,     // `done` became true
  kStalled,  // it did not within the bound: the thread ignores its wake-ups
};

// Sends the wake signal to `thread` every millisecond until `done` is true,
// for at most `bound`. Without a successful ClaimWakeSignal() it sends
// nothing (the signal's default action would end the process) and only waits.
WakeOutcome WakeUntil(pthread_t thread, const std::atomic<bool>& done,
                      std::chrono::nanoseconds bound = kWakeStallBound);

}  // namespace rxbench::receivers
