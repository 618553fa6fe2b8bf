#include "run/warmup_time.h"

#include "traffic_gen/packet_schedule.h"

namespace rxbench::harness {

double ScheduledWarmupS(const traffic_gen::TrafficSpec& spec) {
  return static_cast<double>(traffic_gen::PacketSchedule(spec).warmup_end()) / spec.rate_pps;
}

double WarmupWaitS(double scheduled_s) {
  // Twice the schedule (a sender at half speed still makes it) plus the
  // fixed wait that served every warm-up of well under a second before.
  constexpr double kFactor = 2, kSlackS = 10;
  return kFactor * scheduled_s + kSlackS;
}

}  // namespace rxbench::harness
