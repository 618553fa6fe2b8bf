// libFuzzer target: rtp::ParseHeader, rtp::Classify and rtp::FindProbe on one
// arbitrary datagram. Beyond "no crash, no out-of-bounds read", it checks that
// the first two agree and that an accepted header's payload offset lies
// inside the datagram; FindProbe walks the header extension of every valid
// datagram a receiver takes in.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "rtp/datagram_check.h"
#include "rtp/probe_extension.h"
#include "rtp/rtp_packet.h"

using namespace rxbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An exact-size copy, so ASan catches a read one byte past the datagram.
  std::vector<std::uint8_t> datagram(data, data + size);
  rtp::Header header;
  std::size_t offset = 0;
  const rtp::ParseError error = rtp::ParseHeader(datagram.data(), size, &header, &offset);
  if (error == rtp::ParseError::kNone && (offset < rtp::kHeaderBytes || offset > size)) std::abort();
  if (error == rtp::ParseError::kNone) {
    rtp::Probe probe;
    const bool found = rtp::FindProbe(datagram.data(), size, offset, &probe);
    // Without the X bit the probe is the payload's start whenever it fits.
    if ((datagram[0] & 0x10) == 0 && found != (size >= offset + rtp::kProbeBytes)) std::abort();
  }

  rtp::StreamLock lock;
  rtp::Header classified;
  std::size_t classified_offset = 0;
  const rtp::Malformed kind = rtp::Classify(datagram.data(), size, &lock, &classified, &classified_offset);
  // An unlocked stream accepts exactly what the parser accepts, and locks on it.
  if ((kind == rtp::Malformed::kNone) != (error == rtp::ParseError::kNone)) std::abort();
  if (kind == rtp::Malformed::kNone && (classified_offset != offset || lock.ssrc != header.ssrc)) std::abort();
  if (kind == rtp::Malformed::kForeignSsrc || kind == rtp::Malformed::kBadPayloadType) std::abort();
  return 0;
}
