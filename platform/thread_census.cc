#include "platform/thread_census.h"

#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "platform/cpu_steal.h"
#include "platform/run_queue_wait.h"

namespace rxbench::platform {
namespace {

std::uint64_t ToNs(const timespec& ts) {
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

// The kernel's encoding of another thread's scheduler clock (what glibc's
// pthread_getcpuclockid builds): CPUCLOCK_SCHED | CPUCLOCK_PERTHREAD, tid
// complemented in the upper bits.
clockid_t ThreadClock(pid_t tid) { return static_cast<clockid_t>((~static_cast<unsigned>(tid) << 3) | 6); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::vector<pid_t> ListThreads() {
  std::vector<pid_t> tids;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return tids;
  while (dirent* entry = readdir(dir)) {
    const pid_t tid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (tid > 0) tids.push_back(tid);
  }
  closedir(dir);
  std::sort(tids.begin(), tids.end());
  return tids;
}

std::optional<std::uint64_t> ThreadCpuNs(pid_t tid) {
  timespec ts;
  if (clock_gettime(ThreadClock(tid), &ts) != 0) return std::nullopt;
  return ToNs(ts);
}

std::optional<StatFields> ParseTaskStat(std::string_view text) {
  // "tid (comm) state ppid ...": comm may hold spaces and parentheses, so it
  // ends at the last ')'. utime and stime are fields 14 and 15 of the line.
  const std::size_t open = text.find('(');
  const std::size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
  StatFields fields;
  fields.comm = std::string(text.substr(open + 1, close - open - 1));
  std::istringstream rest{std::string(text.substr(close + 1))};
  std::string field;
  for (int index = 3; rest >> field; ++index) {
    if (index == 14) fields.utime_ticks = std::strtoull(field.c_str(), nullptr, 10);
    if (index == 15) {
      fields.stime_ticks = std::strtoull(field.c_str(), nullptr, 10);
      return fields;
    }
  }
  return std::nullopt;
}

SwitchCounts ParseTaskStatus(std::string_view text) {
  SwitchCounts counts;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon);
    const std::uint64_t value = std::strtoull(line.c_str() + colon + 1, nullptr, 10);
    if (key == "voluntary_ctxt_switches") counts.voluntary = value;
    if (key == "nonvoluntary_ctxt_switches") counts.involuntary = value;
  }
  return counts;
}

ThreadCensus TakeThreadCensus() {
  ThreadCensus census;
  const std::vector<pid_t> tids = ListThreads();
  census.threads.reserve(tids.size());
  for (const pid_t tid : tids) {
    if (auto cpu = ThreadCpuNs(tid)) {
      ThreadSample sample;
      sample.tid = tid;
      sample.cpu_ns = *cpu;
      census.threads.push_back(sample);
    }
  }
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  census.process_cpu_ns = ToNs(ts);
  clock_gettime(CLOCK_MONOTONIC, &ts);
  census.monotonic_ns = ToNs(ts);

  static const std::uint64_t ns_per_tick = 1000000000u / static_cast<std::uint64_t>(sysconf(_SC_CLK_TCK));
  for (ThreadSample& sample : census.threads) {
    const std::string dir = "/proc/self/task/" + std::to_string(sample.tid) + "/";
    if (auto stat = ParseTaskStat(ReadFile(dir + "stat"))) {
      sample.comm = stat->comm;
      sample.user_ns = stat->utime_ticks * ns_per_tick;
      sample.sys_ns = stat->stime_ticks * ns_per_tick;
    }
    const SwitchCounts switches = ParseTaskStatus(ReadFile(dir + "status"));
    sample.voluntary_switches = switches.voluntary;
    sample.involuntary_switches = switches.involuntary;
    sample.run_queue_wait_ns = RunQueueWaitNs(sample.tid);
  }
  census.machine_steal_ns = MachineStealNs();
  return census;
}

}  // namespace rxbench::platform
