// Puts the calling thread into a named network namespace (/run/netns/NAME)
// for a scope, and back into the one it was in on the way out.
//
// A network namespace belongs to a thread, not to the process (setns with
// CLONE_NEWNET moves only the caller), and a socket belongs for good to the
// namespace it was created in. So one process can create the receive side's
// socket inside one namespace and the generator's inside another, and use
// both from any thread: this is how `run --path veth` stays one process.
// Threads created inside the scope start in the namespace too.
#pragma once

#include <string>

namespace rxbench::netpath {

class ScopedNetns {
 public:
  // "" stays where the thread is (loopback: no namespace to enter).
  explicit ScopedNetns(const std::string& name);
  ~ScopedNetns();
  ScopedNetns(const ScopedNetns&) = delete;
  ScopedNetns& operator=(const ScopedNetns&) = delete;

  // False with a one-line error when the namespace could not be entered
  // (the thread then stayed where it was).
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  int original_ = -1;  // the thread's namespace before, to return to
  std::string error_;
};

}  // namespace rxbench::netpath
