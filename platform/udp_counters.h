// The kernel's own UDP drop counters, read from /proc/net.
//
// A benchmark that loses packets must say where: the socket's drop counter
// (sk_drops, the value SO_RXQ_OVFL reports) is exact for one socket, and the
// host-wide RcvbufErrors counter cross-checks it when only rxbench sends.
// Both are files of text; parsing is separate from reading so it can be
// tested on hand-made text.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace rxbench::platform {

class UdpCounters {
 public:
  // The drop counter of the UDP socket `fd` (/proc/net/udp and udp6, found by
  // the socket's inode); nullopt when the socket is not listed there.
  static std::optional<std::uint64_t> SocketDrops(int fd);

  // Udp RcvbufErrors of the whole host (/proc/net/snmp); nullopt if unreadable.
  static std::optional<std::uint64_t> HostRcvbufErrors();

  // The parsers, on the files' text.
  static std::optional<std::uint64_t> ParseSocketDrops(std::string_view proc_net_udp, std::uint64_t inode);
  static std::optional<std::uint64_t> ParseRcvbufErrors(std::string_view proc_net_snmp);
};

}  // namespace rxbench::platform
