// The /proc/net parsers on text as the kernel writes it.
#include "platform/udp_counters.h"

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

TEST(UdpCountersTest, ReadsTheRealFiles) {
  EXPECT_TRUE(UdpCounters::HostRcvbufErrors().has_value());
  EXPECT_FALSE(UdpCounters::SocketDrops(-1).has_value());
}

}  // namespace
}  // namespace rxbench::platform
