// libFuzzer target: receivers::ReadControlMessages over an arbitrary control
// buffer (msg_control = the fuzz bytes, msg_controllen = their length), as if
// the kernel had written garbage. It must read nothing outside the buffer and
// the drop counter must never go down.
#include <sys/socket.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "receivers/control_messages.h"

using namespace rxbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An exact-size heap copy: malloc's alignment suits cmsghdr (as the kernel's
  // buffers do), and ASan's redzone starts right at the end.
  std::unique_ptr<std::uint8_t[]> control(new std::uint8_t[size == 0 ? 1 : size]);
  if (size > 0) std::memcpy(control.get(), data, size);
  msghdr header{};
  header.msg_control = size == 0 ? nullptr : control.get();
  header.msg_controllen = size;
  std::uint64_t rx_ns = 0;
  const std::int64_t initial_drops = 7;
  std::int64_t drops = initial_drops;
  std::size_t segment_size = 0;  // UDP_GRO's, read only when asked for
  receivers::ReadControlMessages(&header, 123456789, &rx_ns, &drops, &segment_size);
  if (drops < initial_drops) std::abort();
  return 0;
}
