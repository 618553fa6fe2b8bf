// What the receive loop and the null receiver share: a thread of their own
// that runs until stop, a sync policy through which it learns to stop and
// publishes its statistics, a receive call, and the result the thread fills in
// before it exits.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "receivers/receive_call.h"
#include "receivers/receive_errors.h"
#include "receivers/receiver.h"
#include "receivers/sync_policy.h"

namespace rxbench::receivers {

class ThreadedReceiver : public Receiver {
 public:
  ~ThreadedReceiver() override;

  void Stop() override;
  ReceiverStats Snapshot() const override { return sync_->Snapshot(); }
  const ReceiverResult& Result() const override { return result_; }
  bool Failed() const override { return failed_.load(std::memory_order_acquire); }

 protected:
  ThreadedReceiver(const ReceiverConfig& config, SyncKind sync);
  // Runs Run() on the receiver thread. Derived destructors must Stop() first:
  // the thread runs their code. False with a one-line *error when the thread
  // could not be woken at its stop (thread_wake.h): it is not started then.
  bool Launch(std::string* error);
  virtual void Run() = 0;
  // On the receiver thread, after its loop: what the sync policy and the
  // receive call counted, into result_.
  void FinishResult();
  // On the receiver thread, after a call of `call` (its name) returned
  // `received`: counts an error (< 0). True when the loop must end: the
  // error persists (result_.error says so).
  bool EndsOnError(int received, const char* call);

  ReceiverConfig config_;
  std::unique_ptr<SyncPolicy> sync_;
  std::unique_ptr<ReceiveCall> call_;
  ReceiverResult result_;
  ReceiveErrors errors_;  // receiver thread only

 private:
  std::atomic<bool> failed_{false};
  std::thread thread_;
  std::atomic<bool> run_returned_{false};  // set by the thread as it exits
};

}  // namespace rxbench::receivers
