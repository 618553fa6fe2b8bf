#include "netpath/scoped_netns.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rxbench::netpath {

ScopedNetns::ScopedNetns(const std::string& name) {
  if (name.empty()) return;
  original_ = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (original_ < 0) {
    error_ = std::string("cannot open this thread's network namespace: ") + std::strerror(errno);
    return;
  }
  const std::string path = "/run/netns/" + name;
  const int target = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (target < 0 || setns(target, CLONE_NEWNET) != 0) {
    error_ = "cannot enter network namespace " + name + ": " + std::strerror(errno);
    close(original_);
    original_ = -1;
  }
  if (target >= 0) close(target);
}

ScopedNetns::~ScopedNetns() {
  if (original_ < 0) return;
  if (setns(original_, CLONE_NEWNET) != 0) {
    // A thread left in the wrong namespace would create the next sockets
    // there, silently: no way on from here.
    std::fprintf(stderr, "rxbench: cannot return to the original network namespace: %s\n", std::strerror(errno));
    std::abort();
  }
  close(original_);
}

}  // namespace rxbench::netpath
