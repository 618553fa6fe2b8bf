#include "traffic_gen/payload_source.h"

#include <cstring>

#include "rtp/probe_extension.h"

namespace rxbench::traffic_gen {

std::string PayloadSource::Open(const TrafficSpec& spec) {
  media_ = spec.media == Media::kH264;
  fill_pattern_ = spec.fill_pattern;
  payload_bytes_ = spec.payload_bytes;
  fps_ = spec.fps;
  if (!media_) return "";
  probe_offset_ = rtp::kHeaderBytes + rtp::kProbeInExtension;
  const std::string path = spec.media_clip.empty() ? media::DefaultH264ClipPath() : spec.media_clip;
  std::string error;
  if (!media::LoadH264Clip(path, spec.payload_bytes - rtp::kProbeExtensionBytes, &clip_, &error)) return error;
  return "";
}

std::size_t PayloadSource::Write(std::uint64_t index, const rtp::Header& header, std::uint8_t* out) const {
  rtp::WriteHeader(header, out);
  if (!media_) {
    if (fill_pattern_) rtp::FillPattern(index, out + rtp::kHeaderBytes, payload_bytes_);
    return rtp::kHeaderBytes + payload_bytes_;
  }
  rtp::WriteProbeExtension(out, out + rtp::kHeaderBytes);
  const media::RtpPayload& p = clip_.payloads[index % clip_.payloads.size()];
  std::memcpy(out + rtp::kHeaderBytes + rtp::kProbeExtensionBytes, clip_.bytes.data() + p.offset, p.size);
  return rtp::kHeaderBytes + rtp::kProbeExtensionBytes + p.size;
}

double PayloadSource::media_pps() const {
  if (!media_) return 0;
  return static_cast<double>(clip_.payloads.size()) * fps_ / static_cast<double>(clip_.packets_per_unit.size());
}

}  // namespace rxbench::traffic_gen
