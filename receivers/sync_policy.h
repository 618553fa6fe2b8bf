// How the receiver thread learns it must stop and publishes its statistics:
// the "sync" policy axis.
//
//   mutex   the original receiver: one GMutex per packet guards both the stop
//           flag and the statistics struct.
//   atomic  an atomic stop flag; the receiver thread is the only writer of its
//           statistics and publishes them under a sequence counter (seqlock), so
//           readers get consistent snapshots without ever blocking the writer.
#pragma once

#include <memory>

#include "receivers/receiver_stats.h"
#include "receivers/strategy.h"

namespace rxbench::receivers {

class SyncPolicy {
 public:
  virtual ~SyncPolicy() = default;

  // Any thread.
  virtual void RequestStop() = 0;
  // Receiver thread: adds `delta` to the published statistics and returns
  // whether stop was requested. Called once per packet, and once per idle wait.
  virtual bool PublishAndCheckStop(const ReceiverStats& delta) = 0;
  // Any thread: a consistent copy of the statistics.
  virtual ReceiverStats Snapshot() const = 0;
};

std::unique_ptr<SyncPolicy> MakeSyncPolicy(SyncKind kind);

}  // namespace rxbench::receivers
