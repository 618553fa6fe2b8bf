#include "platform/napi_id.h"

#include <sys/socket.h>

#ifndef SO_INCOMING_NAPI_ID
#define SO_INCOMING_NAPI_ID 56  // asm-generic/socket.h, Linux 4.12
#endif

namespace rxbench::platform {

std::optional<unsigned> IncomingNapiId(int fd) {
  unsigned id = 0;
  socklen_t size = sizeof id;
  if (getsockopt(fd, SOL_SOCKET, SO_INCOMING_NAPI_ID, &id, &size) != 0) return std::nullopt;
  return id;
}

}  // namespace rxbench::platform
