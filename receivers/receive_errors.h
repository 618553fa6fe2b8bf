// The receive call's errors, counted by errno, and the rule that ends a
// receiver on one that persists. Before it, every failed call was taken as an
// idle wait: a socket that fails every call (EBADF, ENOTSOCK, ...) made the
// loop spin, silently, for the rest of the run.
//
// EAGAIN and EINTR are not errors (an empty socket, the stop's wake-up
// signal): the calls never report them. ENOMEM and ENOBUFS are counted but
// never end the loop: they pass when memory does. Any other errno that comes
// kPersistent times in a row, with no datagram between, will not pass.
//
// Receiver thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace rxbench::receivers {

class ReceiveErrors {
 public:
  static constexpr int kPersistent = 64;

  // One failed call with `error` (an errno). True when it now persists.
  bool Count(int error);
  // A call returned datagrams: the streak is broken.
  void Received() { streak_ = 0; }

  // By errno name ("EBADF"), every errno seen.
  std::map<std::string, std::uint64_t> ByName() const;
  // Why the receiver stopped, in one line, once Count() returned true.
  std::string Reason(const char* call) const;

 private:
  std::map<int, std::uint64_t> counts_;
  int last_ = 0;
  int streak_ = 0;
};

// "EBADF"; "errno 4242" for a number without a name.
std::string ErrnoName(int error);

}  // namespace rxbench::receivers
