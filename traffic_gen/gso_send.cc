#include "traffic_gen/gso_send.h"

#include <netinet/in.h>
#include <netinet/udp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace rxbench::traffic_gen {

unsigned GsoSegmentsPerCall(std::size_t packet_bytes, unsigned wanted) {
  unsigned n = std::min(wanted, kMaxGsoSegments);
  if (packet_bytes > 0) n = static_cast<unsigned>(std::min<std::size_t>(n, kMaxGsoBytes / packet_bytes));
  return std::max(n, 1u);
}

GsoSender::GsoSender(UdpSender* sender, unsigned max_segments)
    : sender_(sender), max_segments_(std::max(max_segments, 1u)) {}

SendOutcome GsoSender::Send(const std::uint8_t* data, std::size_t segment_size, std::size_t length) {
  SendOutcome total;
  if (segment_size == 0) return total;
  const std::size_t per_call =
      std::min<std::size_t>(max_segments_, std::max<std::size_t>(kMaxGsoBytes / segment_size, 1)) * segment_size;
  for (std::size_t offset = 0; offset < length; offset += per_call) {
    const std::size_t chunk = std::min(per_call, length - offset);
    const SendOutcome o = SendCall(data + offset, segment_size, chunk);
    total.sent += o.sent;
    total.failed += o.failed;
    total.calls += o.calls;
    if (o.failed != 0) total.last_errno = o.last_errno;
  }
  return total;
}

SendOutcome GsoSender::SendCall(const std::uint8_t* data, std::size_t segment_size, std::size_t length) {
  // One packet needs no GSO, and a refused path gets none.
  if (length <= segment_size) return SendOneByOne(data, segment_size, length);
  if (refused()) {
    fallback_packets_ += (length + segment_size - 1) / segment_size;
    return SendOneByOne(data, segment_size, length);
  }
  iovec iov{const_cast<std::uint8_t*>(data), length};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(std::uint16_t))] = {};
  msghdr h{};
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  h.msg_control = control;
  h.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&h);
  c->cmsg_level = SOL_UDP;
  c->cmsg_type = UDP_SEGMENT;
  c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
  const auto size = static_cast<std::uint16_t>(segment_size);
  std::memcpy(CMSG_DATA(c), &size, sizeof size);

  SendOutcome out;
  ssize_t rc;
  do {
    rc = sendmsg(sender_->fd(), &h, 0);
    ++out.calls;
  } while (rc < 0 && errno == EINTR);
  if (rc >= 0) {
    ++gso_calls_;
    out.sent = (length + segment_size - 1) / segment_size;
    return out;
  }
  const int error = errno;
  const std::size_t count = (length + segment_size - 1) / segment_size;
  if (error == EINVAL || error == EIO || error == EOPNOTSUPP || error == ENOPROTOOPT || error == EMSGSIZE) {
    refusal_ = std::string("UDP_SEGMENT refused: ") + std::strerror(error) + " (" + std::to_string(count) +
               " segments of " + std::to_string(segment_size) + " bytes); sending one datagram per packet";
  }
  // Nothing of this call was sent: its packets go one by one, each accounted.
  fallback_packets_ += count;
  const SendOutcome again = SendOneByOne(data, segment_size, length);
  out.sent = again.sent;
  out.failed = again.failed;
  out.calls += again.calls;
  out.last_errno = again.last_errno;
  return out;
}

SendOutcome GsoSender::SendOneByOne(const std::uint8_t* data, std::size_t segment_size, std::size_t length) {
  const std::size_t count = (length + segment_size - 1) / segment_size;
  if (count == 0) return {};
  if (iovecs_.size() < count) {
    iovecs_.resize(count);
    messages_.resize(count);
  }
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t offset = k * segment_size;
    iovecs_[k] = iovec{const_cast<std::uint8_t*>(data + offset), std::min(segment_size, length - offset)};
    messages_[k] = mmsghdr{};
    messages_[k].msg_hdr.msg_iov = &iovecs_[k];
    messages_[k].msg_hdr.msg_iovlen = 1;
  }
  return sender_->Send(messages_.data(), static_cast<unsigned>(count));
}

}  // namespace rxbench::traffic_gen
