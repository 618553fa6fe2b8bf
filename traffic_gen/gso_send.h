// UDP GSO (UDP_SEGMENT): up to 64 datagrams of one size handed to the kernel
// in one sendmsg. The kernel builds one large packet and splits it late (on
// loopback: at the receiving socket, unless that socket takes it whole with
// UDP_GRO), so the per-datagram cost of the send path is paid once per call.
//
// Where the kernel refuses GSO, and what this does about it:
//   - more than UDP_MAX_SEGMENTS segments (64 before Linux 6.10, 128 since):
//     EINVAL. Calls are cut at kMaxGsoSegments, which every kernel takes.
//   - more than a UDP datagram holds (65 507 bytes of payload over IPv4):
//     EMSGSIZE. Calls are cut at kMaxGsoBytes.
//   - a segment plus headers longer than the route's MTU, no checksum offload
//     or SO_NO_CHECK on the socket, a kernel without UDP_SEGMENT (before
//     4.18): EINVAL or EIO. That is the path, not the call: the sender falls
//     back to one datagram per packet (sendmmsg) for these packets and every
//     later one, and says why in refusal().
// Any other error (ECONNREFUSED, ENOBUFS, ...) is the network's, not GSO's:
// that call's packets are sent again one by one, so that each datagram is
// accounted as UdpSender accounts it (one failed packet costs one packet).
//
// Not thread-safe: the one sender thread uses it.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "traffic_gen/udp_sender.h"

namespace rxbench::traffic_gen {

// The most segments per call every kernel with UDP_SEGMENT accepts.
inline constexpr unsigned kMaxGsoSegments = 64;
// The most bytes of payload in one UDP datagram over IPv4 (65 535 - 20 - 8),
// which a GSO call may not exceed either.
inline constexpr std::size_t kMaxGsoBytes = 65507;

// Segments per GSO call for packets of `packet_bytes` when `wanted` are asked
// for: at most kMaxGsoSegments and at most kMaxGsoBytes in all; at least 1.
unsigned GsoSegmentsPerCall(std::size_t packet_bytes, unsigned wanted);

class GsoSender {
 public:
  // `sender` must be open and outlive this. max_segments caps each call
  // (GsoSegmentsPerCall's result); a larger value than the kernel takes is
  // refused by it, which the tests use to see the fallback.
  GsoSender(UdpSender* sender, unsigned max_segments);

  // Sends the packets laid out back to back in data[0..length): every
  // segment_size bytes but the last, which may be shorter. Cut into calls of
  // at most max_segments and kMaxGsoBytes. Accounts per packet.
  SendOutcome Send(const std::uint8_t* data, std::size_t segment_size, std::size_t length);

  // "" while GSO is used; once the kernel refused it, why ("UDP_SEGMENT
  // refused: Invalid argument ..."), and every packet goes one by one.
  const std::string& refusal() const { return refusal_; }
  bool refused() const { return !refusal_.empty(); }
  std::uint64_t gso_calls() const { return gso_calls_; }  // sendmsg calls with UDP_SEGMENT accepted
  // Packets of multi-packet calls sent one by one instead: GSO refused, or a
  // call failed and was retried per packet.
  std::uint64_t fallback_packets() const { return fallback_packets_; }

 private:
  SendOutcome SendOneByOne(const std::uint8_t* data, std::size_t segment_size, std::size_t length);
  // One call of at most max_segments_ segments.
  SendOutcome SendCall(const std::uint8_t* data, std::size_t segment_size, std::size_t length);

  UdpSender* const sender_;
  const unsigned max_segments_;
  std::string refusal_;
  std::uint64_t gso_calls_ = 0;
  std::uint64_t fallback_packets_ = 0;
  // The one-by-one path's headers, reused.
  std::vector<iovec> iovecs_;
  std::vector<mmsghdr> messages_;
};

}  // namespace rxbench::traffic_gen
