#include "platform/tracefs.h"

#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>

namespace rxbench::platform {
namespace {

constexpr const char* kRoots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

std::atomic<bool> mounted_by_us{false};

bool HasEvents(const char* root) { return access((std::string(root) + "/events").c_str(), F_OK) == 0; }

// Finds a mounted tracefs, mounting it once when none is and we may.
const char* TracefsRoot(std::string* why) {
  static std::once_flag once;
  static const char* root = nullptr;
  static std::string reason;
  std::call_once(once, [] {
    for (const char* candidate : kRoots) {
      if (HasEvents(candidate)) {
        root = candidate;
        return;
      }
    }
    if (geteuid() != 0) {
      reason = "tracefs is not mounted and only root may mount it";
      return;
    }
    if (mount("nodev", kRoots[0], "tracefs", 0, nullptr) != 0) {
      reason = std::string("tracefs is not mounted and mounting it failed: ") + std::strerror(errno);
      return;
    }
    mounted_by_us = true;
    root = kRoots[0];
  });
  if (root == nullptr) *why = reason;
  return root;
}

}  // namespace

std::optional<int> TracepointId(const std::string& category, const std::string& name, std::string* why) {
  const char* root = TracefsRoot(why);
  if (root == nullptr) return std::nullopt;
  std::ifstream in(std::string(root) + "/events/" + category + "/" + name + "/id");
  int id = -1;
  if (!(in >> id) || id < 0) {
    *why = "no tracepoint " + category + ":" + name + " in " + root;
    return std::nullopt;
  }
  return id;
}

bool TracefsMountedByUs() { return mounted_by_us; }

}  // namespace rxbench::platform
