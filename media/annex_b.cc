#include "media/annex_b.h"

namespace rxbench::media {
namespace {

constexpr unsigned kSei = 6, kSps = 7, kPps = 8, kAud = 9;

}  // namespace

std::vector<NalUnit> SplitNalUnits(const std::uint8_t* data, std::size_t size) {
  std::vector<std::size_t> starts;  // first byte after each start code
  for (std::size_t i = 0; i + 3 <= size; ++i) {
    if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
      starts.push_back(i + 3);
      i += 2;
    }
  }
  std::vector<NalUnit> nals;
  nals.reserve(starts.size());
  for (std::size_t k = 0; k < starts.size(); ++k) {
    std::size_t end = size;
    if (k + 1 < starts.size()) {
      end = starts[k + 1] - 3;
      while (end > starts[k] && data[end - 1] == 0) --end;
    }
    if (end > starts[k]) nals.push_back(NalUnit{data + starts[k], end - starts[k]});
  }
  return nals;
}

std::vector<AccessUnit> SplitAccessUnits(const std::vector<NalUnit>& nals) {
  std::vector<AccessUnit> units;
  bool seen_vcl = false;
  for (const NalUnit& nal : nals) {
    const unsigned type = nal.type();
    // first_mb_in_slice is ue(v), the first field of the slice header: 0 is
    // coded as a single 1 bit.
    const bool first_slice = nal.vcl() && nal.size > 1 && (nal.data[1] & 0x80) != 0;
    const bool starts =
        units.empty() || (seen_vcl && (type == kAud || type == kSei || type == kSps || type == kPps || first_slice));
    if (starts) {
      units.emplace_back();
      seen_vcl = false;
    }
    units.back().push_back(nal);
    seen_vcl = seen_vcl || nal.vcl();
  }
  return units;
}

}  // namespace rxbench::media
