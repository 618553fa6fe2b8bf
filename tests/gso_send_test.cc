// Tests for traffic_gen/gso_send: packets handed to the kernel as GSO calls
// arrive as the datagrams they were, in order, with their lengths and bytes;
// calls are cut where the kernel would refuse them; and where it refuses GSO
// anyway, every packet still goes out, one by one, and the sender says why.
#include "traffic_gen/gso_send.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "traffic_gen/udp_sender.h"

namespace rxbench::traffic_gen {
namespace {

struct Datagram {
  std::vector<std::uint8_t> bytes;
  int segment_size = 0;  // UDP_GRO's, 0 when not coalesced
};

// A loopback receiver, optionally with UDP_GRO on.
class Receiver {
 public:
  explicit Receiver(bool gro) {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    const int big = 8 << 20;
    // FORCE needs CAP_NET_ADMIN, which a sandbox may not have.
    if (setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) != 0) {
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    }
    if (gro) {
      const int one = 1;
      EXPECT_EQ(setsockopt(fd_, SOL_UDP, UDP_GRO, &one, sizeof one), 0);
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~Receiver() { close(fd_); }
  std::uint16_t port() const { return port_; }

  // Everything that arrives until the socket stays empty for 200 ms.
  std::vector<Datagram> ReceiveAll() {
    std::vector<Datagram> out;
    for (int i = 0; i < 100000; ++i) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) break;
      std::vector<std::uint8_t> buffer(70000);
      iovec iov{buffer.data(), buffer.size()};
      alignas(cmsghdr) char control[64];
      msghdr h{};
      h.msg_iov = &iov;
      h.msg_iovlen = 1;
      h.msg_control = control;
      h.msg_controllen = sizeof control;
      const ssize_t n = recvmsg(fd_, &h, 0);
      if (n < 0) break;
      Datagram d;
      d.bytes.assign(buffer.begin(), buffer.begin() + n);
      for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
        if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO)
          std::memcpy(&d.segment_size, CMSG_DATA(c), sizeof(int));
      }
      out.push_back(std::move(d));
    }
    return out;
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// `count` packets of `size` bytes, the last `last` bytes; packet k's bytes all
// say k, so that order and cuts can be checked.
std::vector<std::uint8_t> Packets(std::size_t count, std::size_t size, std::size_t last) {
  std::vector<std::uint8_t> data;
  for (std::size_t k = 0; k < count; ++k)
    data.insert(data.end(), k + 1 == count ? last : size, static_cast<std::uint8_t>(k));
  return data;
}

void ExpectPackets(const std::vector<Datagram>& got, std::size_t count, std::size_t size, std::size_t last) {
  ASSERT_EQ(got.size(), count);
  for (std::size_t k = 0; k < count; ++k) {
    EXPECT_EQ(got[k].bytes.size(), k + 1 == count ? last : size) << "packet " << k;
    EXPECT_EQ(got[k].bytes, std::vector<std::uint8_t>(got[k].bytes.size(), static_cast<std::uint8_t>(k)))
        << "packet " << k;
  }
}

// A sender connected to a receiver.
struct Link {
  explicit Link(bool gro) : rx(gro) {
    std::string error;
    EXPECT_TRUE(sender.Open("127.0.0.1", rx.port(), &error)) << error;
  }
  Receiver rx;
  UdpSender sender;
};

TEST(GsoSegmentsPerCall, HeldToTheCountAndLengthEveryKernelTakes) {
  EXPECT_EQ(GsoSegmentsPerCall(1212, 32), 32u);
  EXPECT_EQ(GsoSegmentsPerCall(1212, 64), 54u);  // 54 * 1212 = 65 448 <= 65 507 < 55 * 1212
  EXPECT_EQ(GsoSegmentsPerCall(100, 200), 64u);  // UDP_MAX_SEGMENTS of older kernels
  EXPECT_EQ(GsoSegmentsPerCall(70000, 8), 1u);   // never 0
  EXPECT_EQ(GsoSegmentsPerCall(1212, 1), 1u);
}

TEST(GsoSender, PacketsArriveInOrderWithTheirLengthsAndAShortLastOne) {
  Link link(/*gro=*/false);
  GsoSender gso(&link.sender, 64);
  const std::vector<std::uint8_t> data = Packets(10, 100, 37);
  const SendOutcome out = gso.Send(data.data(), 100, data.size());
  EXPECT_EQ(out.sent, 10u);
  EXPECT_EQ(out.failed, 0u);
  EXPECT_EQ(out.calls, 1u);
  EXPECT_EQ(gso.gso_calls(), 1u);
  EXPECT_EQ(gso.fallback_packets(), 0u);
  EXPECT_EQ(gso.refusal(), "");
  // Without UDP_GRO the receiving socket gets the kernel's segments.
  ExpectPackets(link.rx.ReceiveAll(), 10, 100, 37);
}

TEST(GsoSender, AGroReceiverGetsOneCoalescedDatagramWithTheSegmentSize) {
  Link link(/*gro=*/true);
  GsoSender gso(&link.sender, 64);
  const std::vector<std::uint8_t> data = Packets(10, 100, 37);
  ASSERT_EQ(gso.Send(data.data(), 100, data.size()).sent, 10u);
  const std::vector<Datagram> got = link.rx.ReceiveAll();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].segment_size, 100);
  EXPECT_EQ(got[0].bytes, data);
}

TEST(GsoSender, CallsAreCutAtTheLengthAUdpDatagramHolds) {
  Link link(/*gro=*/false);
  GsoSender gso(&link.sender, GsoSegmentsPerCall(1212, 64));
  const std::vector<std::uint8_t> data = Packets(100, 1212, 1212);
  const SendOutcome out = gso.Send(data.data(), 1212, data.size());
  EXPECT_EQ(out.sent, 100u);
  EXPECT_EQ(gso.gso_calls(), 2u);  // 54 + 46
  EXPECT_EQ(gso.refusal(), "");
  ExpectPackets(link.rx.ReceiveAll(), 100, 1212, 1212);
}

// SO_NO_CHECK (no UDP checksum) is one of the kernel's reasons to refuse GSO.
TEST(GsoSender, FallsBackToOneDatagramPerPacketWhenTheKernelRefuses) {
  Link link(/*gro=*/false);
  const int one = 1;
  ASSERT_EQ(setsockopt(link.sender.fd(), SOL_SOCKET, SO_NO_CHECK, &one, sizeof one), 0);
  GsoSender gso(&link.sender, 64);
  const std::vector<std::uint8_t> data = Packets(10, 100, 37);
  const SendOutcome out = gso.Send(data.data(), 100, data.size());
  EXPECT_EQ(out.sent, 10u);
  EXPECT_EQ(out.failed, 0u);
  EXPECT_EQ(gso.gso_calls(), 0u);
  EXPECT_EQ(gso.fallback_packets(), 10u);
  EXPECT_NE(gso.refusal().find("UDP_SEGMENT refused: Invalid argument"), std::string::npos) << gso.refusal();
  // Later calls do not try again.
  const SendOutcome later = gso.Send(data.data(), 100, data.size());
  EXPECT_EQ(later.sent, 10u);
  EXPECT_EQ(later.calls, 1u);  // one sendmmsg, no refused sendmsg first
  EXPECT_EQ(gso.fallback_packets(), 20u);
  std::vector<Datagram> got = link.rx.ReceiveAll();
  ASSERT_EQ(got.size(), 20u);
  got.resize(10);
  ExpectPackets(got, 10, 100, 37);
}

// More segments than UDP_MAX_SEGMENTS (64, or 128 since Linux 6.10): refused.
TEST(GsoSender, TooManySegmentsAreRefusedByTheKernelAndStillSent) {
  Link link(/*gro=*/false);
  // Past what any kernel takes, on purpose; few enough that the receiving
  // socket's default buffer holds them all.
  GsoSender gso(&link.sender, 130);
  const std::vector<std::uint8_t> data = Packets(130, 10, 10);
  const SendOutcome out = gso.Send(data.data(), 10, data.size());
  EXPECT_EQ(out.sent, 130u);
  EXPECT_EQ(out.failed, 0u);
  EXPECT_EQ(gso.gso_calls(), 0u);
  EXPECT_EQ(gso.fallback_packets(), 130u);
  EXPECT_NE(gso.refusal().find("130 segments of 10 bytes"), std::string::npos) << gso.refusal();
  ExpectPackets(link.rx.ReceiveAll(), 130, 10, 10);
}

}  // namespace
}  // namespace rxbench::traffic_gen
