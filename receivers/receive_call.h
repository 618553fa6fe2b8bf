// How datagrams come off the socket: the "receive call" policy axis.
//
//   recvfrom  one datagram per call on a blocking socket with a receive timeout
//             (the original receiver). No control messages, so no kernel
//             timestamp: the receive time is read in user space after the call.
//   recvmmsg  up to `batch` datagrams per call on a non-blocking socket; when the
//             socket is empty the thread waits in ppoll(). Reads SO_TIMESTAMPNS
//             (kernel receive time) and SO_RXQ_OVFL (socket drop count).
//   iouring   multishot recvmsg with a provided buffer ring (liburing); the
//             ring's memory backs the GstBuffers, so nothing is copied.
//   gro       recvmmsg with UDP_GRO on: a datagram may be many of the sender's,
//             coalesced; the loop splits it into one buffer each (gro_call.h).
//
// Every call returns within kIdleWaitMs when the socket stays empty, so that the
// loop notices stop within 100 ms; a failed call returns its errno, so that
// the loop counts it and stops on one that persists.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pools/packet_slot.h"
#include "receivers/receiver_stats.h"
#include "receivers/strategy.h"
#include "spec/run_spec.h"

namespace rxbench::pools {
class BufferSource;
}  // namespace rxbench::pools

namespace rxbench::receivers {

inline constexpr int kIdleWaitMs = 20;

class ReceiveCall {
 public:
  virtual ~ReceiveCall() = default;

  // The buffer source a call brings with it, when it receives into memory of
  // its own (io_uring's provided-buffer ring); nullptr when the loop's buffer
  // source fills the slots. Owned by the call.
  virtual pools::BufferSource* provided_buffers() { return nullptr; }

  // Receives up to `max` datagrams into slots[0..). Returns how many; 0 after an
  // idle wait (EAGAIN and EINTR are idle waits); -errno when the call failed
  // (receive_errors.h), nothing received. Counts its syscalls, waits and
  // batches into *stats.
  virtual int Receive(pools::PacketSlot* slots, int max, ReceiverStats* stats) = 0;

  // Largest socket drop count (SO_RXQ_OVFL) seen in control messages; -1 when the
  // call does not read control messages.
  virtual std::int64_t socket_drops_seen() const { return -1; }

  // Whether slots get kernel receive timestamps.
  virtual bool kernel_timestamps() const { return false; }

  // Called once by the receiver thread when it stops: the call takes nothing
  // more off the socket after it returns. Returns how many datagrams it had
  // taken off the socket without ever returning them from Receive(): they are
  // in flight at stop, neither received nor left in the socket. 0 for the
  // calls that read the socket only inside Receive().
  virtual std::uint64_t StopReceiving() { return 0; }

  // Several sockets (multi_socket_call.h): datagrams of the sender taken off
  // each, in the order given. Empty for a call on one socket: the loop's own
  // count is that socket's.
  virtual std::vector<std::uint64_t> received_per_socket() const { return {}; }
};

// The call for `kind` on the bound socket `fd` (not owned), taking up to
// `batch` datagrams per call. From `receiver`: buffer_size (iouring: the
// payload room of each ring buffer; gro: the longest segment accepted) and
// pool_size (iouring: the buffers in its ring). Returns nullptr with *error
// set when the call cannot be set up here.
std::unique_ptr<ReceiveCall> MakeReceiveCall(RecvKind kind, int fd, int batch, const spec::ReceiverSpec& receiver,
                                             std::string* error);

}  // namespace rxbench::receivers
