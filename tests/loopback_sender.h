// A plain sender of hand-made rxbench RTP packets to a port of 127.0.0.1, for
// tests that drive a receiver or a receive side without the generator.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

#include "rtp/rtp_packet.h"

namespace rxbench::testing_support {

class LoopbackSender {
 public:
  explicit LoopbackSender(std::uint16_t port) {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0;
  }
  ~LoopbackSender() {
    if (fd_ >= 0) close(fd_);
  }
  LoopbackSender(const LoopbackSender&) = delete;
  LoopbackSender& operator=(const LoopbackSender&) = delete;
  bool ok() const { return connected_; }

  // One valid rxbench RTP packet of kHeaderBytes + payload bytes.
  bool Send(std::uint64_t index, std::size_t payload) {
    std::vector<std::uint8_t> packet(rtp::kHeaderBytes + payload);
    rtp::Header header;
    header.sequence = static_cast<std::uint16_t>(index);
    header.timestamp = static_cast<std::uint32_t>(index * 3000);
    header.ssrc = 0x52584243;
    const std::size_t n = rtp::WritePacket(header, rtp::Probe{1, index}, payload, packet.data());
    return send(fd_, packet.data(), n, 0) == static_cast<ssize_t>(n);
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace rxbench::testing_support
