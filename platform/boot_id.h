// Which kernel this process runs on, as the kernel names its current boot
// (/proc/sys/kernel/random/boot_id, a random UUID per boot). Two processes
// with the same boot id read the same CLOCK_MONOTONIC, whatever network
// namespace each is in; on two hosts the clocks have nothing in common, and a
// send time from one cannot be subtracted from a receive time on the other.
#pragma once

#include <string>

namespace rxbench::platform {

// "" when it cannot be read (then no clock is known to be shared).
std::string BootId();

}  // namespace rxbench::platform
