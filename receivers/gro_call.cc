#include "receivers/gro_call.h"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "receivers/recvmmsg_call.h"

namespace rxbench::receivers {

void SetSegments(std::size_t real_length, std::size_t segment_size, std::size_t segment_limit,
                 pools::PacketSlot* slot) {
  slot->segment_size = segment_size;
  slot->segments = SegmentCount(real_length, segment_size);
  slot->length = real_length < slot->capacity ? real_length : slot->capacity;
  const std::size_t longest = segment_size != 0 && segment_size < real_length ? segment_size : real_length;
  slot->truncated = real_length > slot->capacity || longest > segment_limit;
}

bool EnableGro(int fd, std::string* error) {
  const int one = 1;
  if (setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof one) != 0) {
    *error = std::string("recv=gro: setsockopt(UDP_GRO): ") + std::strerror(errno) + " (needs Linux 5.0 or later)";
    return false;
  }
  return true;
}

std::unique_ptr<ReceiveCall> MakeGroCall(int fd, int batch, const spec::ReceiverSpec& receiver, std::string* error) {
  if (!EnableGro(fd, error)) return nullptr;
  auto call = std::make_unique<RecvmmsgCall>(fd, batch, /*segmented=*/true, receiver.buffer_size);
  if (!call->BusyPollWhenIdle(receiver.strategy.wait, receiver.busy_poll_us, error)) return nullptr;
  return call;
}

}  // namespace rxbench::receivers
