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
#pragma once

#include <pthread.h>

#include <atomic>

namespace rxbench::receivers {

// Sends the wake signal to `thread` every millisecond until `done` is true.
void WakeUntil(pthread_t thread, const std::atomic<bool>& done);

}  // namespace rxbench::receivers
