// The calling thread's identity and placement: its kernel thread id (what
// /proc and perf_event_open know it by), its name (what top -H, perf and the
// thread census show) and the CPU it may run on.
#pragma once

#include <sys/types.h>

#include <string>

namespace rxbench::platform {

pid_t CurrentTid();

// At most 15 characters are kept (the kernel's limit).
void NameCurrentThread(const char* name);

// The calling thread's name, as the kernel has it (a thread inherits its
// creator's: how threads an element starts are told apart).
std::string CurrentThreadName();

// Pins thread `tid` (0: the calling thread) to `cpu`; "" or why it failed.
std::string PinThread(pid_t tid, int cpu);

}  // namespace rxbench::platform
