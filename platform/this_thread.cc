#include "platform/this_thread.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rxbench::platform {

pid_t CurrentTid() { return gettid(); }

void NameCurrentThread(const char* name) {
  char truncated[16];
  std::strncpy(truncated, name, sizeof truncated - 1);
  truncated[sizeof truncated - 1] = '\0';
  pthread_setname_np(pthread_self(), truncated);
}

std::string CurrentThreadName() {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

std::string PinThread(pid_t tid, int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) return "cpu " + std::to_string(cpu) + " out of range";
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(tid, sizeof set, &set) != 0) {
    return "cannot pin thread to cpu " + std::to_string(cpu) + ": " + std::strerror(errno);
  }
  return "";
}

}  // namespace rxbench::platform
