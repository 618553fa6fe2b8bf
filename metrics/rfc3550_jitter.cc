#include "metrics/rfc3550_jitter.h"

namespace rxbench::metrics {

InterarrivalJitter::InterarrivalJitter(std::uint32_t clock_rate)
    : clock_rate_(clock_rate), units_per_ns_(static_cast<double>(clock_rate) / 1e9) {}

}  // namespace rxbench::metrics
