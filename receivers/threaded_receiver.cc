#include "receivers/threaded_receiver.h"

#include "receivers/read_gate.h"
#include "receivers/thread_wake.h"

#include <chrono>
#include <cstdio>

namespace rxbench::receivers {

ThreadedReceiver::ThreadedReceiver(const ReceiverConfig& config, SyncKind sync)
    : config_(config), sync_(MakeSyncPolicy(sync)) {}

ThreadedReceiver::~ThreadedReceiver() { Stop(); }

bool ThreadedReceiver::Launch(std::string* error) {
  if (!ClaimWakeSignal(error)) return false;
  thread_ = std::thread([this] {
    Run();
    run_returned_.store(true, std::memory_order_release);
  });
  return true;
}

void ThreadedReceiver::FinishResult() {
  result_.stats = sync_->Snapshot();
  result_.socket_drops_seen = call_->socket_drops_seen();
  result_.kernel_timestamps = call_->kernel_timestamps();
  result_.receive_errors = errors_.ByName();
}

bool ThreadedReceiver::EndsOnError(int received, const char* call) {
  if (received > 0) errors_.Received();
  if (received >= 0 || !errors_.Count(-received)) return false;
  result_.error = errors_.Reason(call);
  failed_.store(true, std::memory_order_release);
  return true;
}

void ThreadedReceiver::Stop() {
  if (!thread_.joinable()) return;
  sync_->RequestStop();
  // Out of a lock-step wait for the next round, which may never come.
  if (config_.read_gate != nullptr) config_.read_gate->Close();
  // Out of its receive call's idle wait now rather than within kIdleWaitMs.
  if (WakeUntil(thread_.native_handle(), run_returned_) == WakeOutcome::kStalled) {
    // The thread runs this object's code: it can only be waited for. Said
    // once, so that a run that hangs here says why.
    std::fprintf(stderr,
                 "rxbench: the receiver thread has not stopped %lld s after it was asked to: it is stuck outside "
                 "its receive call (a push into a full appsrc whose sink takes nothing?); still waiting\n",
                 static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(kWakeStallBound).count()));
    while (WakeUntil(thread_.native_handle(), run_returned_) == WakeOutcome::kStalled) {
    }
  }
  thread_.join();
}

}  // namespace rxbench::receivers
