#include "platform/run_queue_wait.h"

#include <fstream>
#include <sstream>
#include <string>

namespace rxbench::platform {

std::optional<std::uint64_t> ParseSchedstatRunQueueWait(std::string_view text) {
  // "<runtime ns> <run-queue wait ns> <timeslices>"
  std::istringstream in{std::string(text)};
  std::uint64_t runtime_ns = 0, wait_ns = 0, timeslices = 0;
  if (!(in >> runtime_ns >> wait_ns >> timeslices)) return std::nullopt;
  if (runtime_ns == 0 && wait_ns == 0 && timeslices == 0) return std::nullopt;
  return wait_ns;
}

std::optional<std::uint64_t> RunQueueWaitNs(pid_t tid) {
  const std::string path =
      tid == 0 ? "/proc/thread-self/schedstat" : "/proc/self/task/" + std::to_string(tid) + "/schedstat";
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return ParseSchedstatRunQueueWait(text.str());
}

}  // namespace rxbench::platform
