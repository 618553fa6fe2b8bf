// The ancillary data a receive call asks the kernel for, and how it is read.
//
// Every receive call that can take control messages (recvmmsg, io_uring's
// recvmsg) asks for the same two: SO_TIMESTAMPNS (the kernel's receive time)
// and SO_RXQ_OVFL (the socket's drop counter). Kept apart from the calls so it
// can be fuzzed alone: the buffer is written by the kernel, but a parser that
// trusts lengths it has not checked is one bad kernel or one bad test away
// from reading past it.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>

namespace rxbench::receivers {

// Control-message space each datagram needs for SO_TIMESTAMPNS + SO_RXQ_OVFL.
std::size_t ControlBytesPerMessage();

// Extracts the kernel timestamp (as CLOCK_MONOTONIC ns) into *rx_ns and raises
// *drops to the drop counter. Reads only within header->msg_control
// [0, msg_controllen); a message whose length is short or runs past the buffer
// ends the walk, one too short for its type is skipped.
void ReadControlMessages(msghdr* header, std::int64_t realtime_minus_monotonic_ns,
                         std::uint64_t* rx_ns, std::int64_t* drops);

// CLOCK_REALTIME - CLOCK_MONOTONIC now, to turn SO_TIMESTAMPNS into monotonic.
std::int64_t RealtimeMinusMonotonicNs();

}  // namespace rxbench::receivers
