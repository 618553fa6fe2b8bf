#include "metrics/perf_counters.h"

// libpfm4 ships its own copy of <linux/perf_event.h>; including both clashes.
#include <perfmon/pfmlib_perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <mutex>
#include <utility>

namespace rxbench::metrics {
namespace {

// pfm_initialize() is not thread-safe and must run once per process.
int InitializeLibpfm() {
  static std::once_flag once;
  static int result = PFM_ERR_NOINIT;
  std::call_once(once, [] { result = pfm_initialize(); });
  return result;
}

int PerfEventOpen(perf_event_attr* attr, pid_t tid, int group_fd, unsigned long flags) {
  // cpu -1: the thread, on whichever CPU it runs (tid 0: the calling thread).
  return static_cast<int>(syscall(__NR_perf_event_open, attr, tid, -1, group_fd, flags));
}

std::string ErrnoName(int error) {
  const char* name = strerrorname_np(error);
  return name != nullptr ? name : "errno " + std::to_string(error);
}

std::string ParanoidLevel() {
  std::ifstream file("/proc/sys/kernel/perf_event_paranoid");
  std::string level;
  if (!(file >> level)) level = "?";
  return level;
}

// Whether the kernel registered a core (CPU) PMU, which is what serves
// PERF_TYPE_HARDWARE events. VMs without PMU passthrough have none.
bool HasCorePmu() {
  for (const char* name : {"cpu", "cpu_core", "cpu_atom", "armv8_pmuv3", "armv8_pmuv3_0"}) {
    if (access((std::string("/sys/bus/event_source/devices/") + name).c_str(), F_OK) == 0) {
      return true;
    }
  }
  return false;
}

std::string OpenFailureReason(int error, const perf_event_attr& attr, bool joining_group) {
  const std::string call = "(perf_event_open: " + ErrnoName(error) + ")";
  const bool hardware = attr.type != PERF_TYPE_SOFTWARE;
  switch (error) {
    case ENOENT:
    case EOPNOTSUPP:
      if (hardware) {
        return (HasCorePmu() ? "not supported by this CPU's PMU " : "no hardware PMU ") + call;
      }
      return "not supported by this kernel " + call;
    case EACCES:
    case EPERM: return "permission denied (perf_event_paranoid=" + ParanoidLevel() + ") " + call;
    case ENOSYS: return "perf_event_open not available (kernel without perf events, or seccomp) " + call;
    case EINVAL:
      return joining_group ? "rejected by the kernel, possibly more events than the PMU has counters " + call
                           : "rejected by the kernel " + call;
    case EMFILE:
    case ENFILE: return "out of file descriptors " + call;
    case ENODEV: return "not supported on this CPU " + call;
    default: return std::string(strerror(error)) + " " + call;
  }
}

// Software events the kernel raises from its own context (the scheduler), so
// with exclude_kernel they stay at 0 forever: `perf stat` as an unprivileged
// user prints "0 context-switches:u". A user-only copy would be a silent zero.
bool OnlyHappensInKernel(const perf_event_attr& attr) {
  return attr.type == PERF_TYPE_SOFTWARE &&
         (attr.config == PERF_COUNT_SW_CONTEXT_SWITCHES || attr.config == PERF_COUNT_SW_CPU_MIGRATIONS ||
          attr.config == PERF_COUNT_SW_CGROUP_SWITCHES);
}

}  // namespace

std::vector<std::string> PerfCounters::DefaultSoftwareFallback() {
  return {"task-clock", "context-switches", "cpu-migrations", "page-faults"};
}

PerfCounters PerfCounters::Open(const std::vector<std::string>& names, pid_t tid) {
  PerfCounters counters;
  counters.tid_ = tid;
  for (const std::string& name : names) counters.Add(name);
  return counters;
}

PerfCounters PerfCounters::OpenWithFallback(const std::vector<std::string>& names, pid_t tid) {
  PerfCounters counters = Open(names, tid);
  const bool hardware_missing = counters.hardware_requested_ && counters.hardware_.leader_fd < 0;
  if (hardware_missing || !counters.IsValid()) {
    for (const std::string& name : DefaultSoftwareFallback()) {
      if (!counters.Has(name)) counters.Add(name);
    }
    counters.fallback_used_ = true;
  }
  return counters;
}

bool PerfCounters::Has(const std::string& name) const {
  for (const std::string& available : available_) {
    if (available == name) return true;
  }
  return unavailable_.count(name) != 0;
}

void PerfCounters::Add(const std::string& name) {
  if (Has(name)) return;  // asked twice: one counter answers both

  const int init = InitializeLibpfm();
  if (init != PFM_SUCCESS) {
    unavailable_[name] = std::string("libpfm initialisation failed (") + pfm_strerror(init) + ")";
    return;
  }

  perf_event_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  pfm_perf_encode_arg_t arg;
  std::memset(&arg, 0, sizeof(arg));
  arg.attr = &attr;
  arg.size = sizeof(arg);
  // PLM0 | PLM3: kernel and user mode, like `perf stat` without modifiers.
  const int encoded = pfm_get_os_event_encoding(name.c_str(), PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
  if (encoded != PFM_SUCCESS) {
    unavailable_[name] = encoded == PFM_ERR_NOTFOUND
                             ? "unknown event name (libpfm: " + std::string(pfm_strerror(encoded)) + ")"
                             : "cannot be encoded (libpfm: " + std::string(pfm_strerror(encoded)) + ")";
    return;
  }

  const bool software = attr.type == PERF_TYPE_SOFTWARE;
  if (!software) hardware_requested_ = true;
  Group& group = software ? software_ : hardware_;
  const bool joining = group.leader_fd >= 0;

  attr.size = sizeof(attr);
  // The leader starts disabled and members follow it, so Start() switches the
  // whole group on at one instant.
  attr.disabled = joining ? 0 : 1;
  attr.inherit = 0;
  attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  const unsigned long flags = static_cast<unsigned long>(arg.flags) | PERF_FLAG_FD_CLOEXEC;

  int fd = PerfEventOpen(&attr, tid_, group.leader_fd, flags);
  bool user_only = false;
  if (fd < 0 && (errno == EACCES || errno == EPERM) && attr.exclude_kernel == 0) {
    // perf_event_paranoid >= 2 forbids kernel-mode counting for unprivileged
    // users (and for root inside a user namespace, e.g. Bazel's sandbox);
    // user-mode counts are still worth having, flagged as such.
    if (OnlyHappensInKernel(attr)) {
      unavailable_[name] = "counted only in kernel mode, which is denied (perf_event_paranoid=" + ParanoidLevel() +
                           ") (perf_event_open: " + ErrnoName(errno) + ")";
      return;
    }
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    fd = PerfEventOpen(&attr, tid_, group.leader_fd, flags);
    user_only = fd >= 0;
  }
  if (fd < 0) {
    unavailable_[name] = OpenFailureReason(errno, attr, joining);
    return;
  }

  if (!joining) group.leader_fd = fd;
  group.fds.push_back(fd);
  group.names.push_back(name);
  available_.push_back(name);
  if (user_only) user_only_.push_back(name);
}

void PerfCounters::Start() {
  for (const Group* group : {&hardware_, &software_}) {
    if (group->leader_fd < 0) continue;
    ioctl(group->leader_fd, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
    ioctl(group->leader_fd, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
  }
}

void PerfCounters::Stop() {
  for (const Group* group : {&hardware_, &software_}) {
    if (group->leader_fd < 0) continue;
    ioctl(group->leader_fd, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
  }
}

std::map<std::string, double> PerfCounters::Read() const {
  std::map<std::string, double> values;
  for (const Group* group : {&hardware_, &software_}) {
    if (group->leader_fd < 0) continue;
    // PERF_FORMAT_GROUP layout: nr, time_enabled, time_running, value[nr].
    std::vector<std::uint64_t> buffer(3 + group->fds.size());
    const ssize_t want = static_cast<ssize_t>(buffer.size() * sizeof(std::uint64_t));
    if (read(group->leader_fd, buffer.data(), static_cast<std::size_t>(want)) != want) continue;
    if (buffer[0] != group->fds.size()) continue;
    const std::uint64_t enabled = buffer[1];
    const std::uint64_t running = buffer[2];
    // Enabled but never scheduled: the count is unknown, not zero.
    if (enabled > 0 && running == 0) continue;
    const double scale = running < enabled ? static_cast<double>(enabled) / static_cast<double>(running) : 1.0;
    for (std::size_t i = 0; i < group->fds.size(); ++i) {
      values[group->names[i]] = static_cast<double>(buffer[3 + i]) * scale;
    }
  }
  return values;
}

std::string PerfCounters::Describe() const {
  std::string line = "counters: ";
  if (available_.empty()) line += "none";
  for (std::size_t i = 0; i < available_.size(); ++i) {
    if (i > 0) line += ", ";
    line += available_[i];
  }
  if (!user_only_.empty()) {
    line += " [user mode only:";
    for (const std::string& name : user_only_) line += " " + name;
    line += "]";
  }
  if (fallback_used_) line += " [software fallback]";
  if (!unavailable_.empty()) {
    // Names sharing a reason (typically every hardware event on a VM) are
    // listed once, so the line stays readable.
    std::vector<std::pair<std::string, std::string>> by_reason;  // reason, names
    for (const auto& [name, reason] : unavailable_) {
      bool merged = false;
      for (auto& entry : by_reason) {
        if (entry.first == reason) {
          entry.second += ", " + name;
          merged = true;
          break;
        }
      }
      if (!merged) by_reason.emplace_back(reason, name);
    }
    line += " (unavailable: ";
    for (std::size_t i = 0; i < by_reason.size(); ++i) {
      if (i > 0) line += "; ";
      line += by_reason[i].second + ": " + by_reason[i].first;
    }
    line += ")";
  }
  return line;
}

void PerfCounters::Close() {
  for (Group* group : {&hardware_, &software_}) {
    for (const int fd : group->fds) close(fd);
    *group = Group{};
  }
}

PerfCounters::~PerfCounters() { Close(); }

PerfCounters::PerfCounters(PerfCounters&& other) noexcept
    : hardware_(std::exchange(other.hardware_, Group{})),
      software_(std::exchange(other.software_, Group{})),
      available_(std::exchange(other.available_, {})),
      unavailable_(std::exchange(other.unavailable_, {})),
      user_only_(std::exchange(other.user_only_, {})),
      fallback_used_(std::exchange(other.fallback_used_, false)),
      hardware_requested_(std::exchange(other.hardware_requested_, false)),
      tid_(std::exchange(other.tid_, 0)) {}

PerfCounters& PerfCounters::operator=(PerfCounters&& other) noexcept {
  if (this != &other) {
    PerfCounters taken(std::move(other));
    std::swap(hardware_, taken.hardware_);
    std::swap(software_, taken.software_);
    std::swap(available_, taken.available_);
    std::swap(unavailable_, taken.unavailable_);
    std::swap(user_only_, taken.user_only_);
    std::swap(fallback_used_, taken.fallback_used_);
    std::swap(hardware_requested_, taken.hardware_requested_);
    std::swap(tid_, taken.tid_);
  }  // taken closes what *this held before
  return *this;
}

}  // namespace rxbench::metrics
