// Kernel tracepoint ids, for counting events (every syscall of a thread)
// through perf_event_open. The ids live in tracefs, which Debian does not
// always mount: as root, rxbench mounts it at /sys/kernel/tracing, the
// kernel's standard place, once, and says so (tracefs_mounted_by_us()).
#pragma once

#include <optional>
#include <string>

namespace rxbench::platform {

// The id of tracepoint `category:name` (e.g. "raw_syscalls", "sys_enter");
// nullopt with a one-line reason in *why when it cannot be had here.
std::optional<int> TracepointId(const std::string& category, const std::string& name, std::string* why);

// True once this process mounted tracefs itself.
bool TracefsMountedByUs();

}  // namespace rxbench::platform
