// One receiver thread reading several sockets (many streams, per-stream
// sockets: spec::StreamsSpec): the strategy's own receive call on each
// socket, and one epoll wait across them in place of each call's own idle
// wait. It is a way of waiting, not a policy: every strategy's receive call
// runs unchanged on a socket epoll says is readable, where it finds a
// datagram at once.
//
// Level-triggered: a socket a call did not empty is reported again by the
// next wait. A Receive() reads the sockets the last wait reported, in turn,
// each with the strategy's call, until its slots are full; the thread waits
// again only when every one of them has been read, so that no socket starves
// the others.
//
// recv=iouring is refused: its multishot receive takes datagrams off its
// socket into its own ring as they arrive, so epoll on the socket says
// nothing of what the ring holds (give one socket per thread instead).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "receivers/receive_call.h"

namespace rxbench::receivers {

// The call for `kind` on every socket of `fds` (not owned; at least one): the
// plain call (MakeReceiveCall) for one socket, the epoll reader for more.
// nullptr with *error when it cannot be set up.
std::unique_ptr<ReceiveCall> MakeSocketsCall(RecvKind kind, const std::vector<int>& fds, int batch,
                                             const spec::ReceiverSpec& receiver, std::string* error);

}  // namespace rxbench::receivers
