// io_uring receive call: one multishot recvmsg on the socket, receiving into a
// provided buffer ring whose memory backs the GstBuffers handed to the loop.
//
// Why: recvmmsg copies each datagram into a buffer the loop acquired first, and
// costs one syscall per batch even when busy. Here the kernel picks a free ring
// buffer itself and posts a completion per datagram; while packets keep coming
// the receiver only reads the completion queue (no syscall), and the payload is
// never copied in user space: the GstBuffer wraps the ring buffer in place.
//
// Each ring buffer holds, as the kernel writes it:
//   io_uring_recvmsg_out (16 B) | control messages (ControlBytesPerMessage()) | payload
// and is sized so that the payload room is receiver.buffer_size, as for every
// other receive call; longer datagrams are cut and flagged `truncated`. The
// source address is not requested.
//
// Ownership and recycling. The call provides the loop's buffer source
// (provided_buffers(): BufferKind::kRing, the ring's own counts); Receive() fills every slot
// with a new GstBuffer (one reference, owned by the caller, truncated slots
// included) that wraps the payload in its ring buffer: slot.buffer is already
// sized to the datagram, slot.data points into the ring, slot.mapped is false.
// When the last user of that memory lets go (any thread), its buffer id is
// pushed onto a lock-free stack; the next Receive() gives it back to the kernel.
// The ring memory lives in a reference-counted block: the call holds one
// reference and every GstBuffer it handed out holds one, so buffers may outlive
// the call (pools/ring_buffers.h owns that memory and the source; this call
// owns the kernel's side: mapping, registration, giving buffers back). The destructor cancels the multishot and waits
// (bounded) for its last completion before dropping the call's reference, so the kernel never writes into memory that
// may be freed.
//
// Allocation per datagram: the GstBuffer and the GstMemory wrapper that
// gst_buffer_new_wrapped_full() creates; nothing else, and no byte is copied.
//
// Thread-safety: Receive() and destruction on one thread at a time; GstBuffers
// may be released on any thread.
#pragma once

#include <memory>
#include <string>

#include "receivers/receive_call.h"

namespace rxbench::receivers {

// Returns nullptr with a one-line *error when io_uring, provided buffer rings or
// multishot recvmsg are not available here (kernel older than 6.0, io_uring
// disabled by sysctl or seccomp, bad config).
std::unique_ptr<ReceiveCall> MakeIoUringCall(int fd, int batch, const spec::ReceiverSpec& receiver, std::string* error);

}  // namespace rxbench::receivers
