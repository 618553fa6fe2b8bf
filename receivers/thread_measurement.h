// What every receiver thread measures about itself, from its first packet to
// stop: its CPU time and context switches, and its counters (libpfm4 /
// perf_event_open, which count the calling thread, so they are opened on it).
// Shared by the receive loop and the null receiver.
#pragma once

#include "metrics/perf_counters.h"
#include "metrics/thread_usage.h"
#include "receivers/receive_call.h"
#include "receivers/receiver.h"
#include "receivers/sync_policy.h"

namespace rxbench::receivers {

class ThreadMeasurement {
 public:
  // On the receiver thread, before its loop: names and pins it, opens the
  // counters and starts the clocks.
  ThreadMeasurement(const char* thread_name, const ReceiverConfig& config);

  // On the receiver thread, after its loop: fills what the thread measured
  // about itself into *result.
  void Finish(const SyncPolicy& sync, const ReceiveCall& call, ReceiverResult* result);

 private:
  metrics::PerfCounters counters_;
  metrics::ThreadUsage start_;
};

}  // namespace rxbench::receivers
