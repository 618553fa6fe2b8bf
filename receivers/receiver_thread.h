// What every receiver thread does first, on itself: take its name (what the
// thread census, perf and top -H show), its CPU (when pinned) and tell the
// harness its kernel thread id, so its CPU time, syscalls and counters can be
// measured from outside over the harness's window.
#pragma once

#include "receivers/receiver.h"

namespace rxbench::receivers {

void SetUpReceiverThread(const char* name, const ReceiverConfig& config);

}  // namespace rxbench::receivers
