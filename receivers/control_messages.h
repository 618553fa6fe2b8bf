// The ancillary data a receive call asks the kernel for, and how it is read.
//
// Every receive call that can take control messages (recvmmsg, io_uring's
// recvmsg) asks for the same two: SO_TIMESTAMPNS (the kernel's receive time)
// and SO_RXQ_OVFL (the socket's drop counter). The gro call also gets UDP_GRO
// (the size of the segments a coalesced datagram is made of). Kept apart from the calls so it
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
// The same plus UDP_GRO's segment size, for a socket with UDP_GRO on.
std::size_t ControlBytesPerGroMessage();

// Extracts the kernel timestamp (as CLOCK_MONOTONIC ns) into *rx_ns and raises
// *drops to the drop counter. Reads only within header->msg_control
// [0, msg_controllen); a message whose length is short or runs past the buffer
// ends the walk, one too short for its type is skipped. With gro_segment_size
// given, a UDP_GRO message's segment size goes there (untouched when there is
// none: the datagram was not coalesced).
void ReadControlMessages(msghdr* header, std::int64_t realtime_minus_monotonic_ns, std::uint64_t* rx_ns,
                         std::int64_t* drops, std::size_t* gro_segment_size = nullptr);

// CLOCK_REALTIME - CLOCK_MONOTONIC now, to turn SO_TIMESTAMPNS into monotonic.
std::int64_t RealtimeMinusMonotonicNs();

}  // namespace rxbench::receivers
