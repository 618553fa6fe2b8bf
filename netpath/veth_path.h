// `--path veth`: a NIC-like path for one rxbench process. Two network
// namespaces, the generator's and the receive side's, joined by a veth pair
// with GRO and rx-udp-gro-forwarding on at the receiving end, so that packets
// arrive through a NAPI poll and kernel GRO as a NIC's would (a veth has a
// NAPI instance only with GRO on: SO_INCOMING_NAPI_ID is then non-zero; on
// loopback it is 0). With threaded NAPI (the default) that poll runs in a
// kernel thread of its own, and only then does GRO coalesce a plain sender's
// datagrams for a UDP_GRO socket; without it, it runs in the sender's softirq
// after every packet and coalesces nothing (spec::VethNapi). The run's sockets are created inside them
// (scoped_netns.h); all traffic stays inside namespaces this process created.
//
// Removed on every way out: the destructor (a normal end, an error), SIGINT,
// SIGTERM and SIGHUP (removed, then the process dies of the signal as it did
// before), and a kill -9: the names carry the owner's pid (veth_names.h), and
// the next Create removes what a run that no longer runs left behind, saying
// so on stderr.
#pragma once

#include <memory>
#include <string>

#include "netpath/veth_names.h"

namespace rxbench::netpath {

class VethPath {
 public:
  // Why this process cannot create the path (not root; ip or ethtool
  // missing), in one line; "" when it can.
  static std::string CheckCanCreate();

  // Removes what dead runs left behind, then creates this process's
  // namespaces and pair (NamesFor(getpid())). One per process; nullptr with
  // a one-line *error (anything half made is removed again). threaded_napi:
  // the receiving end's NAPI poll in a thread of its own (sysfs `threaded`).
  static std::unique_ptr<VethPath> Create(bool threaded_napi, std::string* error);

  ~VethPath();
  VethPath(const VethPath&) = delete;
  VethPath& operator=(const VethPath&) = delete;

  const VethNames& names() const { return names_; }

 private:
  explicit VethPath(VethNames names) : names_(std::move(names)) {}
  const VethNames names_;
};

// What runs that no longer run left behind (namespaces in /run/netns, veth
// devices in this namespace): removed, each named on stderr. Create does it
// first; needs root.
void RemoveLeftBehind();

}  // namespace rxbench::netpath
