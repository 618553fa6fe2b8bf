// How long a warm-up takes by its schedule, and the two limits that follow
// from it: the longest warm-up the command line accepts (a longer one is
// almost always a low --rate meeting the default packet count, and would make
// a person wait minutes for nothing), and how long a one-process run waits
// for the sender to finish its warm-up before it gives up on it.
#pragma once

#include "traffic_gen/traffic_spec.h"

namespace rxbench::harness {

inline constexpr double kMaxWarmupS = 60;

// Seconds from the stream's start until its warm-up is out, by the schedule
// (the warm-up's packets at the stream's rate; for the burst shape within one
// frame of it).
double ScheduledWarmupS(const traffic_gen::TrafficSpec& spec);

// How long the runner waits for the generator's warm-up. The generator is
// never ahead of its schedule but may fall behind it on a loaded machine, and
// a generator that ends early is noticed at once anyway: the wait only bounds
// a sender that hangs, so it can afford to be generous.
double WarmupWaitS(double scheduled_s);

}  // namespace rxbench::harness
