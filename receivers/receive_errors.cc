#include "receivers/receive_errors.h"

#include <errno.h>
#include <string.h>

namespace rxbench::receivers {

bool ReceiveErrors::Count(int error) {
  ++counts_[error];
  streak_ = error == last_ ? streak_ + 1 : 1;
  last_ = error;
  const bool transient = error == ENOMEM || error == ENOBUFS;
  return !transient && streak_ >= kPersistent;
}

std::map<std::string, std::uint64_t> ReceiveErrors::ByName() const {
  std::map<std::string, std::uint64_t> named;
  for (const auto& [error, count] : counts_) named[ErrnoName(error)] += count;
  return named;
}

std::string ReceiveErrors::Reason(const char* call) const {
  return std::string("the receiver stopped: ") + call + " failed with " + ErrnoName(last_) + " (" + strerror(last_) +
         ") " + std::to_string(streak_) + " times in a row, nothing received between";
}

std::string ErrnoName(int error) {
  const char* name = strerrorname_np(error);
  return name != nullptr ? name : "errno " + std::to_string(error);
}

}  // namespace rxbench::receivers
