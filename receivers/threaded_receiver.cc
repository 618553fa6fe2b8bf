#include "receivers/threaded_receiver.h"

#include "receivers/thread_wake.h"

namespace rxbench::receivers {

ThreadedReceiver::ThreadedReceiver(const ReceiverConfig& config, SyncKind sync)
    : config_(config), sync_(MakeSyncPolicy(sync)) {}

ThreadedReceiver::~ThreadedReceiver() { Stop(); }

void ThreadedReceiver::Launch() {
  thread_ = std::thread([this] {
    Run();
    run_returned_.store(true, std::memory_order_release);
  });
}

void ThreadedReceiver::FinishResult() {
  result_.stats = sync_->Snapshot();
  result_.socket_drops_seen = call_->socket_drops_seen();
  result_.kernel_timestamps = call_->kernel_timestamps();
}

void ThreadedReceiver::Stop() {
  if (!thread_.joinable()) return;
  sync_->RequestStop();
  // Out of its receive call's idle wait now rather than within kIdleWaitMs.
  WakeUntil(thread_.native_handle(), run_returned_);
  thread_.join();
}

}  // namespace rxbench::receivers
