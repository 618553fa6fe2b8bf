// The /proc/net parsers on text as the kernel writes it, and the host count
// on a real IPv6 socket that overflows.
#include "platform/udp_counters.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

namespace rxbench::platform {
namespace {

TEST(UdpCountersTest, SocketDropsByInode) {
  const char* udp =
      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
      "  120: 0100007F:9C41 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 81234 2 000000001 17\n"
      "  121: 0100007F:9C42 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 81235 2 000000002 0\n";
  EXPECT_EQ(UdpCounters::ParseSocketDrops(udp, 81234), 17u);
  EXPECT_EQ(UdpCounters::ParseSocketDrops(udp, 81235), 0u);
  EXPECT_FALSE(UdpCounters::ParseSocketDrops(udp, 99999).has_value());
  EXPECT_FALSE(UdpCounters::ParseSocketDrops("", 81234).has_value());
}

TEST(UdpCountersTest, RcvbufErrorsFromTheUdpPair) {
  const char* snmp =
      "Ip: Forwarding DefaultTTL\nIp: 1 64\n"
      "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
      "Udp: 1000 2 30 900 28 0 0 0 0\n"
      "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
      "UdpLite: 0 0 0 0 5 0 0 0 0\n";
  EXPECT_EQ(UdpCounters::ParseRcvbufErrors(snmp), 28u);
  EXPECT_FALSE(UdpCounters::ParseRcvbufErrors("Ip: A\nIp: 1\n").has_value());
}

TEST(UdpCountersTest, Udp6RcvbufErrorsFromSnmp6) {
  // As the kernel writes it: name, spaces and a tab, value.
  const char* snmp6 =
      "Ip6InReceives                   \t1200\n"
      "Udp6InDatagrams                 \t900\n"
      "Udp6NoPorts                     \t0\n"
      "Udp6InErrors                    \t31\n"
      "Udp6OutDatagrams                \t900\n"
      "Udp6RcvbufErrors                \t31\n"
      "Udp6SndbufErrors                \t0\n"
      "UdpLite6RcvbufErrors            \t7\n";
  EXPECT_EQ(UdpCounters::ParseUdp6RcvbufErrors(snmp6), 31u);
  EXPECT_FALSE(UdpCounters::ParseUdp6RcvbufErrors("Udp6InDatagrams 5\n").has_value());
  EXPECT_FALSE(UdpCounters::ParseUdp6RcvbufErrors("").has_value());
}

// A socket bound to ::1 that overflows: the kernel counts its drops in
// Udp6RcvbufErrors, which the host's count must include. (Other tests may
// drop IPv4 datagrams meanwhile: the host's count is at least the socket's.)
TEST(UdpCountersTest, HostRcvbufErrorsCountsAnIpv6SocketsDrops) {
  const int rx = socket(AF_INET6, SOCK_DGRAM, 0);
  ASSERT_GE(rx, 0);
  const int small = 4096;  // the kernel's minimum, doubled: a few datagrams
  ASSERT_EQ(setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  if (bind(rx, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(rx);
    GTEST_SKIP() << "no ::1 here: " << std::strerror(errno);
  }
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(rx, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int tx = socket(AF_INET6, SOCK_DGRAM, 0);
  ASSERT_GE(tx, 0);

  const std::optional<std::uint64_t> before = UdpCounters::HostRcvbufErrors();
  ASSERT_TRUE(before.has_value());
  const std::vector<char> payload(1000, 'x');
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(sendto(tx, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr),
              static_cast<ssize_t>(payload.size()));
  }
  const std::optional<std::uint64_t> drops = UdpCounters::SocketDrops(rx);
  const std::optional<std::uint64_t> after = UdpCounters::HostRcvbufErrors();
  close(tx);
  close(rx);
  ASSERT_TRUE(drops.has_value()) << "the socket is not in /proc/net/udp6";
  ASSERT_GT(*drops, 0u) << "200 datagrams did not overflow a " << small << "-byte buffer";
  ASSERT_TRUE(after.has_value());
  EXPECT_GE(*after - *before, *drops);
}

TEST(UdpCountersTest, ReadsTheRealFiles) {
  EXPECT_TRUE(UdpCounters::HostRcvbufErrors().has_value());
  EXPECT_FALSE(UdpCounters::SocketDrops(-1).has_value());
}

}  // namespace
}  // namespace rxbench::platform
