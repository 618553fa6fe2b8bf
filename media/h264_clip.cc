#include "media/h264_clip.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "media/annex_b.h"

namespace rxbench::media {

bool LoadH264Clip(const std::string& path, std::size_t max_payload, H264Clip* clip, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read the H.264 clip " + path + " (make it with tools/make_h264_clip.py)";
    return false;
  }
  const std::vector<std::uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (max_payload < kMinRtpPayload) {
    *error = "an RTP payload of " + std::to_string(max_payload) + " bytes cannot carry H.264";
    return false;
  }
  const std::vector<AccessUnit> units = SplitAccessUnits(SplitNalUnits(file.data(), file.size()));
  if (units.empty()) {
    *error = path + " holds no H.264 access unit";
    return false;
  }
  H264Clip c;
  for (const AccessUnit& unit : units) {
    const std::size_t before = c.payloads.size();
    PacketizeAccessUnit(unit, max_payload, &c.bytes, &c.payloads);
    c.packets_per_unit.push_back(static_cast<std::uint32_t>(c.payloads.size() - before));
    bool idr = false;
    for (const NalUnit& nal : unit) idr = idr || nal.idr();
    c.keyframe.push_back(idr);
  }
  if (!c.keyframe.front()) {
    *error = path + " does not start with an IDR access unit, so it cannot be looped";
    return false;
  }
  *clip = std::move(c);
  return true;
}

std::string DefaultH264ClipPath() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const std::string cache = xdg != nullptr && *xdg != '\0' ? xdg : std::string(home != nullptr ? home : "") + "/.cache";
  return cache + "/rxbench/media/zoneplate-1920x1080-30fps-5000k-gop30-4s.h264";
}

}  // namespace rxbench::media
