#include "receivers/thread_measurement.h"

#include <pthread.h>
#include <sched.h>

namespace rxbench::receivers {
namespace {

void SetUpThread(const char* name, int cpu) {
  pthread_setname_np(pthread_self(), name);
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);  // CPU validated by the CLI
  }
}

}  // namespace

ThreadMeasurement::ThreadMeasurement(const char* thread_name, const ReceiverConfig& config) {
  SetUpThread(thread_name, config.cpu);
  counters_ = metrics::PerfCounters::OpenWithFallback(config.counters);
  start_ = metrics::SampleCallingThread();
  counters_.Start();
}

void ThreadMeasurement::Finish(const SyncPolicy& sync, const ReceiveCall& call, ReceiverResult* result) {
  counters_.Stop();
  result->usage = metrics::SampleCallingThread() - start_;
  result->counters = counters_.Read();
  result->counters_available = counters_.available();
  result->counters_unavailable = counters_.unavailable();
  result->counters_user_only = counters_.user_only();
  result->stats = sync.Snapshot();
  result->socket_drops_seen = call.socket_drops_seen();
  result->kernel_timestamps = call.kernel_timestamps();
}

}  // namespace rxbench::receivers
