#include "receivers/threaded_receiver.h"

namespace rxbench::receivers {

ThreadedReceiver::ThreadedReceiver(const ReceiverConfig& config, SyncKind sync)
    : config_(config), sync_(MakeSyncPolicy(sync)) {}

ThreadedReceiver::~ThreadedReceiver() { Stop(); }

void ThreadedReceiver::Launch() {
  thread_ = std::thread([this] { Run(); });
}

void ThreadedReceiver::Stop() {
  if (!thread_.joinable()) return;
  sync_->RequestStop();
  thread_.join();
}

}  // namespace rxbench::receivers
