// recv=gro: recvmmsg on a socket with UDP_GRO on, so that one datagram read may
// be many of the sender's, coalesced by the kernel (a GSO send on loopback; on
// a NIC, consecutive datagrams of one flow). The UDP_GRO control message gives
// their size: every segment but the last has exactly that many bytes. A
// datagram without it is a plain one: one segment.
//
// The call only says what each slot holds (PacketSlot::segment_size and
// segments); the receive loop splits a slot into one GstBuffer per segment
// (pools/segment_views.h), each validated and counted on its own. The call
// counts the datagrams it read (ReceiverStats::gro_datagrams, a coalesced one
// once) and those that held more than one segment (gro_coalesced): how much
// the kernel coalesced, beside `packets`, the segments.
//
// Buffer size: the kernel coalesces at most 64 segments (UDP_GRO_CNT_MAX) and
// never more than a UDP datagram holds (65 535 bytes with the header, so
// 65 507 of payload over IPv4), and a GSO send is held to the same length, so
// a 64 KiB buffer takes any coalesced datagram whole. The run's --buffer-size
// keeps its meaning, the longest datagram accepted whole: a segment (or plain
// datagram) longer than that is truncated, as with every other call.
//
// Truncation: recvmmsg is called with MSG_TRUNC, so a datagram's real length
// is known even when it did not fit; a truncated datagram counts as all the
// segments it held, ceil(real length / segment size), and none of it is pushed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "pools/packet_slot.h"
#include "receivers/gro_segments.h"
#include "receivers/receive_call.h"

namespace rxbench::receivers {

// Bytes per buffer for recv=gro: the largest UDP payload, rounded up.
inline constexpr std::size_t kGroBufferBytes = 65536;

// The buffer size a gro receiver uses for a run whose longest accepted
// datagram is `max_datagram` bytes.
inline std::size_t GroBufferBytes(std::size_t max_datagram) {
  return max_datagram > kGroBufferBytes ? max_datagram : kGroBufferBytes;
}

// Fills what the gro call reports in a received slot: segment_size, segments,
// length (what was written, at most slot->capacity) and truncated (it did not
// fit, or a segment is longer than segment_limit).
void SetSegments(std::size_t real_length, std::size_t segment_size, std::size_t segment_limit, pools::PacketSlot* slot);

// Turns UDP_GRO on for `fd`; false with *error when the kernel refuses it.
bool EnableGro(int fd, std::string* error);

// The gro receive call: `batch` datagrams per recvmmsg, segments longer than
// receiver.buffer_size truncated. Turns UDP_GRO on.
std::unique_ptr<ReceiveCall> MakeGroCall(int fd, int batch, const spec::ReceiverSpec& receiver, std::string* error);

}  // namespace rxbench::receivers
