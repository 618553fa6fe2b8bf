#include "metrics/syscall_counter.h"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "platform/tracefs.h"

namespace rxbench::metrics {
namespace {

int OpenTracepoint(int id, pid_t tid, int group_fd) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_TRACEPOINT;
  attr.config = static_cast<std::uint64_t>(id);
  attr.disabled = group_fd < 0 ? 1 : 0;
  attr.read_format = PERF_FORMAT_GROUP;
  return static_cast<int>(syscall(__NR_perf_event_open, &attr, tid, -1, group_fd, PERF_FLAG_FD_CLOEXEC));
}

}  // namespace

SyscallCounter SyscallCounter::Open(pid_t tid) {
  SyscallCounter counter;
  std::string why;
  const std::optional<int> all = platform::TracepointId("raw_syscalls", "sys_enter", &why);
  if (!all) {
    counter.why_ = why;
    return counter;
  }
  counter.all_fd_ = OpenTracepoint(*all, tid, -1);
  if (counter.all_fd_ < 0) {
    counter.why_ = std::string("raw_syscalls:sys_enter: perf_event_open: ") + std::strerror(errno);
    return counter;
  }
  // The futex count is a detail: without it the total still stands.
  if (const std::optional<int> futex = platform::TracepointId("syscalls", "sys_enter_futex", &why)) {
    counter.futex_fd_ = OpenTracepoint(*futex, tid, counter.all_fd_);
  }
  return counter;
}

void SyscallCounter::Start() {
  if (all_fd_ < 0) return;
  ioctl(all_fd_, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
  ioctl(all_fd_, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

std::optional<SyscallCounter::Counts> SyscallCounter::Read() const {
  if (all_fd_ < 0) return std::nullopt;
  // PERF_FORMAT_GROUP: nr, then one value per member, leader first.
  std::uint64_t values[3] = {};
  const ssize_t got = read(all_fd_, values, sizeof values);
  if (got < static_cast<ssize_t>(2 * sizeof(std::uint64_t))) return std::nullopt;
  Counts counts;
  counts.all = values[1];
  if (values[0] >= 2) counts.futex = values[2];
  return counts;
}

void SyscallCounter::Close() {
  if (futex_fd_ >= 0) close(futex_fd_);
  if (all_fd_ >= 0) close(all_fd_);
  futex_fd_ = all_fd_ = -1;
}

SyscallCounter::~SyscallCounter() { Close(); }

SyscallCounter::SyscallCounter(SyscallCounter&& other) noexcept
    : all_fd_(std::exchange(other.all_fd_, -1)),
      futex_fd_(std::exchange(other.futex_fd_, -1)),
      why_(std::move(other.why_)) {}

SyscallCounter& SyscallCounter::operator=(SyscallCounter&& other) noexcept {
  if (this != &other) {
    Close();
    all_fd_ = std::exchange(other.all_fd_, -1);
    futex_fd_ = std::exchange(other.futex_fd_, -1);
    why_ = std::move(other.why_);
  }
  return *this;
}

}  // namespace rxbench::metrics
