#include "receivers/control_messages.h"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <time.h>

#include <cstring>

namespace rxbench::receivers {

std::size_t ControlBytesPerMessage() { return CMSG_SPACE(sizeof(timespec)) + CMSG_SPACE(sizeof(std::uint32_t)); }

std::int64_t RealtimeMinusMonotonicNs() {
  timespec rt, mono;
  clock_gettime(CLOCK_REALTIME, &rt);
  clock_gettime(CLOCK_MONOTONIC, &mono);
  return (static_cast<std::int64_t>(rt.tv_sec) - mono.tv_sec) * 1000000000 + (rt.tv_nsec - mono.tv_nsec);
}

std::size_t ControlBytesPerGroMessage() { return ControlBytesPerMessage() + CMSG_SPACE(sizeof(int)); }

void ReadControlMessages(msghdr* header, std::int64_t realtime_minus_monotonic_ns, std::uint64_t* rx_ns,
                         std::int64_t* drops, std::size_t* gro_segment_size) {
  // The walk is written out rather than CMSG_FIRSTHDR/CMSG_NXTHDR: those check
  // that the next header starts inside the buffer, not that the current one's
  // cmsg_len fits in it, and glibc's advance can overflow the pointer on a
  // huge cmsg_len.
  const auto* base = static_cast<const unsigned char*>(header->msg_control);
  const std::size_t total = base == nullptr ? 0 : header->msg_controllen;
  std::size_t offset = 0;
  while (total - offset >= sizeof(cmsghdr)) {
    cmsghdr c;
    std::memcpy(&c, base + offset, sizeof c);
    if (c.cmsg_len < CMSG_LEN(0) || c.cmsg_len > total - offset) break;
    const unsigned char* data = base + offset + CMSG_LEN(0);
    const std::size_t data_len = c.cmsg_len - CMSG_LEN(0);
    if (c.cmsg_level == SOL_SOCKET) {
      if (c.cmsg_type == SO_TIMESTAMPNS && data_len >= sizeof(timespec)) {
        timespec ts;
        std::memcpy(&ts, data, sizeof ts);
        // SO_TIMESTAMPNS is CLOCK_REALTIME; the packets' send stamps are monotonic.
        // Unsigned arithmetic: a garbage timestamp wraps instead of overflowing.
        *rx_ns = static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec) -
                 static_cast<std::uint64_t>(realtime_minus_monotonic_ns);
      } else if (c.cmsg_type == SO_RXQ_OVFL && data_len >= sizeof(std::uint32_t)) {
        std::uint32_t count;
        std::memcpy(&count, data, sizeof count);
        if (count > *drops) *drops = count;
      }
    } else if (c.cmsg_level == SOL_UDP && c.cmsg_type == UDP_GRO && gro_segment_size != nullptr &&
               data_len >= sizeof(int)) {
      // The kernel writes gso_size as an int (udp_cmsg_recv). A size of 0 or
      // less would make no segments: the datagram is then taken as one.
      int size;
      std::memcpy(&size, data, sizeof size);
      if (size > 0) *gro_segment_size = static_cast<std::size_t>(size);
    }
    const std::size_t step = CMSG_ALIGN(c.cmsg_len);
    if (step >= total - offset) break;
    offset += step;
  }
}

}  // namespace rxbench::receivers
