// The kernel's own UDP drop counters, read from /proc/net.
//
// A benchmark that loses packets must say where: the socket's drop counter
// (sk_drops, the value SO_RXQ_OVFL reports) is exact for one socket, and the
// host-wide RcvbufErrors counters (IPv4 and IPv6) cross-check it when only
// rxbench sends.
// Both are read in the calling thread's network namespace
// (/proc/thread-self/net, not /proc/net: that is the main thread's), where a
// socket this thread made lives (netpath/scoped_netns.h).
// They are files of text; parsing is separate from reading so it can be
// tested on hand-made text.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace rxbench::platform {

class UdpCounters {
 public:
  // The drop counter of the UDP socket `fd` (/proc/net/udp and udp6, found by
  // the socket's inode); nullopt when the socket is not listed there.
  static std::optional<std::uint64_t> SocketDrops(int fd);
  // The same for many sockets, each file read once (many streams: hundreds
  // of sockets), in the order of `fds`.
  static std::vector<std::optional<std::uint64_t>> SocketsDrops(const std::vector<int>& fds);

  // RcvbufErrors of the whole host, IPv4 and IPv6: Udp RcvbufErrors
  // (/proc/net/snmp) plus Udp6RcvbufErrors (/proc/net/snmp6, where a socket
  // bound to an IPv6 address counts its drops); nullopt if unreadable.
  static std::optional<std::uint64_t> HostRcvbufErrors();

  // The parsers, on the files' text.
  static std::optional<std::uint64_t> ParseSocketDrops(std::string_view proc_net_udp, std::uint64_t inode);
  static std::optional<std::uint64_t> ParseRcvbufErrors(std::string_view proc_net_snmp);
  static std::optional<std::uint64_t> ParseUdp6RcvbufErrors(std::string_view proc_net_snmp6);
};

}  // namespace rxbench::platform
