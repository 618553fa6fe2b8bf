// Steal time: what the hypervisor gave to other guests while this machine's
// virtual CPUs had work to run. A covariate of the wall-clock tier
// (docs/metrics.md): on a shared VM a repetition can be slower only because
// a neighbour took the host's cores.
//
// The kernel counts it for the whole machine, summed over its CPUs, in the
// `steal` field of /proc/stat's `cpu` line, in USER_HZ ticks (10 ms): coarse,
// so it is a figure for a window of seconds, not for a packet's path. It is
// unknown (nullopt, never 0) where the file or the field is missing.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace rxbench::platform {

// The 8th number of the `cpu` line of /proc/stat text, in ticks.
std::optional<std::uint64_t> ParseProcStatStealTicks(std::string_view text);

// The machine's steal time since boot, in ns (ticks * 1e9 / sysconf(_SC_CLK_TCK)).
std::optional<std::uint64_t> MachineStealNs();

}  // namespace rxbench::platform
