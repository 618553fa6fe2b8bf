// The measurement window as callgrind sees it: instructions, syscalls and
// calls are counted only between OpenCallgrindWindow() and
// CloseCallgrindWindow(), in every thread of the process.
//
// Outside valgrind each call is a few instructions (the client-request
// preamble, a no-op on real hardware), so the harness may call them always.
//
// Why instrumentation and not zero/dump or the collection state: with
// --separate-threads=yes (one profile per thread, which the exact tier needs
// to map threads to roles), CALLGRIND_ZERO_STATS and CALLGRIND_DUMP_STATS
// act on the calling thread only, and CALLGRIND_TOGGLE_COLLECT flips the
// calling thread's collection state only (callgrind's main.c:
// zero_all_cost(True), dump_profile(..., True), current_state.collect). The
// thread that opens the window is the harness's, not the receiver or a
// streaming thread. The instrumentation state is the one switch that is
// process-wide, so the window is that state, and the run must start with it
// off (--instr-atstart=no): then nothing before the window is counted, and
// nothing after it.
//
// What that costs: callgrind tracks calls only while instrumenting, so frames
// already on a thread's stack when the window opens (its loop function, say)
// get their own instructions but not their callees' as inclusive cost; calls
// made inside the window are complete. Each switch flushes valgrind's
// translation cache once (time, not counted instructions).
//
// The close dumps the closing thread's profile as "Client Request: window":
// its presence tells the reader that the window was closed. The other
// threads' window profiles are written when the process ends (nothing is
// counted after the close), so a thread's window is the sum of its dumps.
#pragma once

#include <valgrind/callgrind.h>

namespace rxbench::metrics {

// The trigger text of the dump the close writes ("Client Request: window").
inline constexpr char kCallgrindWindowDump[] = "window";

inline void OpenCallgrindWindow() { CALLGRIND_START_INSTRUMENTATION; }

inline void CloseCallgrindWindow() {
  // Stop first: the dump then holds exactly what the other threads' final
  // profiles hold, the window and nothing after it.
  CALLGRIND_STOP_INSTRUMENTATION;
  CALLGRIND_DUMP_STATS_AT(kCallgrindWindowDump);
}

// True under valgrind (any tool): a run that asked for counting can check it
// is being counted.
inline bool UnderValgrind() { return RUNNING_ON_VALGRIND != 0; }

}  // namespace rxbench::metrics
