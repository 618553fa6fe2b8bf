// The names and addresses of the veth path one rxbench process creates
// (`--path veth`, veth_path.h), and how a later process tells which of them a
// run that no longer runs left behind. Pure: no system calls, so that it is
// tested on made-up names and an injected "is this pid alive".
//
// The owner's pid is in every name: that is the whole record of who created
// what (nothing else to write, nothing to go stale when a run is killed).
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rxbench::netpath {

struct VethNames {
  std::string sender_netns;    // "rxbv<pid>-snd": the generator's namespace
  std::string receiver_netns;  // "rxbv<pid>-rcv": the receive side's namespace
  std::string sender_dev;      // "rxbv<pid>s", in sender_netns
  std::string receiver_dev;    // "rxbv<pid>r", in receiver_netns
};

// A /30 inside namespaces only this run sees: the same addresses in two runs
// at once do not meet.
inline constexpr char kSenderAddress[] = "10.201.0.1";
inline constexpr char kReceiverAddress[] = "10.201.0.2";
inline constexpr int kPrefixLength = 30;

VethNames NamesFor(pid_t owner);

// The pid a namespace or device name of NamesFor carries; nullopt for any
// other name (another tool's, a test's "rxb..." names, a user's).
std::optional<pid_t> OwnerOf(std::string_view name);

// Of `names` (namespaces or devices), those whose owner no longer runs, in
// their order. A name carrying `self` is left behind too: this process has
// not created its own yet, so it is an earlier run's with a reused pid.
std::vector<std::string> LeftBehind(const std::vector<std::string>& names, pid_t self,
                                    const std::function<bool(pid_t)>& alive);

}  // namespace rxbench::netpath
