// SO_INCOMING_NAPI_ID of a socket: which NAPI instance (a driver's receive
// poll) its last packet came through. 0 means none: loopback, or a veth
// without GRO. It tells a NAPI path from loopback, and busy polling needs one.
#pragma once

#include <optional>

namespace rxbench::platform {

// nullopt when the kernel does not say (an old kernel, not a socket).
std::optional<unsigned> IncomingNapiId(int fd);

}  // namespace rxbench::platform
