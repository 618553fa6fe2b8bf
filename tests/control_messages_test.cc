#include "receivers/control_messages.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <time.h>

#include <cstring>
#include <vector>

namespace rxbench::receivers {
namespace {

// Builds the control buffer the kernel would: SO_TIMESTAMPNS then SO_RXQ_OVFL.
std::vector<std::uint64_t> KernelLike(timespec ts, std::uint32_t drops) {
  std::vector<std::uint64_t> storage(ControlBytesPerMessage() / 8 + 1, 0);
  msghdr h{};
  h.msg_control = storage.data();
  h.msg_controllen = ControlBytesPerMessage();
  cmsghdr* c = CMSG_FIRSTHDR(&h);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SO_TIMESTAMPNS;
  c->cmsg_len = CMSG_LEN(sizeof ts);
  std::memcpy(CMSG_DATA(c), &ts, sizeof ts);
  c = CMSG_NXTHDR(&h, c);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SO_RXQ_OVFL;
  c->cmsg_len = CMSG_LEN(sizeof drops);
  std::memcpy(CMSG_DATA(c), &drops, sizeof drops);
  return storage;
}

TEST(ControlMessages, ReadsTimestampAndDrops) {
  auto storage = KernelLike(timespec{5, 7}, 42);
  msghdr h{};
  h.msg_control = storage.data();
  h.msg_controllen = ControlBytesPerMessage();
  std::uint64_t rx_ns = 0;
  std::int64_t drops = 3;
  ReadControlMessages(&h, 1000000000, &rx_ns, &drops);
  EXPECT_EQ(rx_ns, 4000000007u);  // realtime 5.000000007 s minus 1 s
  EXPECT_EQ(drops, 42);
  auto lower = KernelLike(timespec{5, 7}, 2);
  h.msg_control = lower.data();
  ReadControlMessages(&h, 0, &rx_ns, &drops);
  EXPECT_EQ(drops, 42);  // the counter only rises
}

TEST(ControlMessages, LengthPastTheBufferEndsTheWalk) {
  auto storage = KernelLike(timespec{5, 7}, 42);
  msghdr h{};
  h.msg_control = storage.data();
  // The buffer ends inside the first message's timestamp.
  h.msg_controllen = CMSG_LEN(sizeof(timespec)) - 1;
  std::uint64_t rx_ns = 0;
  std::int64_t drops = 0;
  ReadControlMessages(&h, 0, &rx_ns, &drops);
  EXPECT_EQ(rx_ns, 0u);
  EXPECT_EQ(drops, 0);
}

TEST(ControlMessages, MessageTooShortForItsTypeIsSkipped) {
  auto storage = KernelLike(timespec{5, 7}, 42);
  msghdr h{};
  h.msg_control = storage.data();
  h.msg_controllen = ControlBytesPerMessage();
  cmsghdr* first = CMSG_FIRSTHDR(&h);
  // A timestamp message claiming 4 data bytes, followed (at its aligned end) by
  // nothing the walk should trust as a timestamp.
  first->cmsg_len = CMSG_LEN(4);
  std::uint64_t rx_ns = 0;
  std::int64_t drops = 0;
  ReadControlMessages(&h, 0, &rx_ns, &drops);
  EXPECT_EQ(rx_ns, 0u);
  h.msg_control = nullptr;
  ReadControlMessages(&h, 0, &rx_ns, &drops);  // no buffer at all: nothing read
  EXPECT_EQ(rx_ns, 0u);
}

// recv=gro: UDP_GRO's segment size after the other two, as the kernel writes
// it (an int).
TEST(ControlMessages, ReadsTheGroSegmentSize) {
  std::vector<std::uint64_t> storage(ControlBytesPerGroMessage() / 8 + 1, 0);
  msghdr h{};
  h.msg_control = storage.data();
  h.msg_controllen = ControlBytesPerGroMessage();
  cmsghdr* c = CMSG_FIRSTHDR(&h);
  const timespec ts{5, 7};
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SO_TIMESTAMPNS;
  c->cmsg_len = CMSG_LEN(sizeof ts);
  std::memcpy(CMSG_DATA(c), &ts, sizeof ts);
  c = CMSG_NXTHDR(&h, c);
  c->cmsg_level = SOL_UDP;
  c->cmsg_type = UDP_GRO;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  const int size = 1212;
  std::memcpy(CMSG_DATA(c), &size, sizeof size);
  std::uint64_t rx_ns = 0;
  std::int64_t drops = 0;
  std::size_t segment = 0;
  ReadControlMessages(&h, 0, &rx_ns, &drops, &segment);
  EXPECT_EQ(segment, 1212u);
  EXPECT_EQ(rx_ns, 5000000007u);
  // A size of 0 makes no segments: left as it was (not coalesced).
  const int zero = 0;
  std::memcpy(CMSG_DATA(c), &zero, sizeof zero);
  segment = 0;
  ReadControlMessages(&h, 0, &rx_ns, &drops, &segment);
  EXPECT_EQ(segment, 0u);
  // Cut short inside the int: not read.
  std::memcpy(CMSG_DATA(c), &size, sizeof size);
  c->cmsg_len = CMSG_LEN(2);
  ReadControlMessages(&h, 0, &rx_ns, &drops, &segment);
  EXPECT_EQ(segment, 0u);
}

}  // namespace
}  // namespace rxbench::receivers
