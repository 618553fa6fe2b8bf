// `--media h264` checked against GStreamer's own RFC 6184 depayloader: what
// the generator sends over a real loopback socket, fed to rtph264depay (and
// avdec_h264), must give back every access unit of the clip byte for byte.
//
// The clip is //media:default_clip, made by tools/make_h264_clip.py; its
// per-access-unit index (.au.csv) is computed by that script on its own, so
// its packet counts and byte sizes are an independent account of what the
// C++ packetiser and the depayloader must agree with.
//
// The generator runs in lock-step (rounds drained by the test before the next
// is sent), so no datagram is lost to the socket buffer on a busy machine:
// every check is exact.
#include <arpa/inet.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "media/annex_b.h"
#include "media/h264_clip.h"
#include "media/rtp_h264.h"
#include "rtp/datagram_check.h"
#include "rtp/probe_extension.h"
#include "rtp/rtp_packet.h"
#include "traffic_gen/generator.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr char kClip[] = "media/zoneplate-1920x1080-30fps-5000k-gop30-4s.h264";
constexpr char kRtpCaps[] = "application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=96";

// One row of the script's .au.csv.
struct IndexRow {
  std::uint64_t rtp_offset = 0, nals = 0, bytes = 0, packets = 0;
  bool keyframe = false;
};

std::vector<IndexRow> ReadIndex(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<IndexRow> rows;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string field;
    std::vector<std::uint64_t> v;
    while (std::getline(s, field, ',')) v.push_back(std::stoull(field));
    if (v.size() == 6) rows.push_back(IndexRow{v[1], v[2], v[3], v[4], v[5] == 1});
  }
  return rows;
}

Bytes ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// What rtph264depay emits for an access unit in byte-stream form: every NAL
// unit behind a 4-byte start code.
Bytes ByteStream(const media::AccessUnit& unit) {
  Bytes out;
  for (const media::NalUnit& nal : unit) {
    out.insert(out.end(), {0, 0, 0, 1});
    out.insert(out.end(), nal.data, nal.data + nal.size);
  }
  return out;
}

// Pushes RTP packets through `tail` (after appsrc) and returns what reaches
// the appsink, buffer by buffer.
std::vector<Bytes> RunPipeline(const std::vector<Bytes>& packets, const std::string& tail) {
  const std::string description = std::string("appsrc name=src format=time caps=\"") + kRtpCaps + "\" ! " + tail +
                                  " ! appsink name=sink sync=false";
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(description.c_str(), &error);
  EXPECT_EQ(error, nullptr) << (error != nullptr ? error->message : "");
  if (pipeline == nullptr) return {};
  GstElement* src = gst_bin_get_by_name(GST_BIN(pipeline), "src");
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  g_object_set(src, "max-bytes", static_cast<guint64>(0), nullptr);  // take everything at once
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  for (const Bytes& p : packets) {
    GstBuffer* b = gst_buffer_new_memdup(p.data(), p.size());
    gst_app_src_push_buffer(GST_APP_SRC(src), b);
  }
  gst_app_src_end_of_stream(GST_APP_SRC(src));
  std::vector<Bytes> out;
  while (GstSample* sample = gst_app_sink_pull_sample(GST_APP_SINK(sink))) {
    GstBuffer* b = gst_sample_get_buffer(sample);
    GstMapInfo map;
    if (gst_buffer_map(b, &map, GST_MAP_READ)) {
      out.emplace_back(map.data, map.data + map.size);
      gst_buffer_unmap(b, &map);
    }
    gst_sample_unref(sample);
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(src);
  gst_object_unref(sink);
  gst_object_unref(pipeline);
  return out;
}

constexpr char kDepay[] = "rtph264depay ! video/x-h264,stream-format=byte-stream,alignment=au";
constexpr char kDecode[] = "rtph264depay ! avdec_h264 max-threads=1 ! video/x-raw";

Bytes RtpPacket(const rtp::Header& header, const Bytes& clip_bytes, const media::RtpPayload& p) {
  Bytes packet(rtp::kHeaderBytes + p.size);
  rtp::WriteHeader(header, packet.data());
  std::memcpy(packet.data() + rtp::kHeaderBytes, clip_bytes.data() + p.offset, p.size);
  return packet;
}

// A UDP socket on 127.0.0.1 that the generator's round hook drains.
class RoundReceiver {
 public:
  RoundReceiver() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    timeval timeout{5, 0};  // a lost datagram fails the test instead of hanging it
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~RoundReceiver() { close(fd_); }
  bool ok() const { return bound_; }
  std::uint16_t port() const { return port_; }

  // Receives until `count` datagrams have arrived in all.
  void DrainTo(std::uint64_t count) {
    Bytes buf(65536);
    while (datagrams.size() < count) {
      const ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
      if (n < 0) return;
      datagrams.emplace_back(buf.begin(), buf.begin() + n);
    }
  }

  std::vector<Bytes> datagrams;

 private:
  int fd_ = -1;
  bool bound_ = false;
  std::uint16_t port_ = 0;
};

// Runs a lock-step generator with `spec` (media h264, the test's clip) into
// a RoundReceiver; returns every datagram in arrival order.
std::vector<Bytes> Send(traffic_gen::TrafficSpec spec, traffic_gen::GeneratorReport* report) {
  RoundReceiver rx;
  EXPECT_TRUE(rx.ok()) << "bind 127.0.0.1";
  spec.media = traffic_gen::Media::kH264;
  spec.media_clip = kClip;
  spec.dest_port = rx.port();
  spec.lock_step_packets = 40;  // < 50 KB a round: fits any socket buffer
  traffic_gen::GeneratorHooks hooks;
  hooks.after_round = [&rx](const traffic_gen::GeneratorReport& so_far) { rx.DrainTo(so_far.packets_sent); };
  traffic_gen::Generator gen(spec, hooks);
  std::string error;
  EXPECT_TRUE(gen.Start(&error)) << error;
  gen.Wait();
  *report = gen.Report();
  return rx.datagrams;
}

class H264Rtp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { gst_init(nullptr, nullptr); }

  void SetUp() override {
    file_ = ReadFile(kClip);
    ASSERT_FALSE(file_.empty());
    units_ = media::SplitAccessUnits(media::SplitNalUnits(file_.data(), file_.size()));
    index_ = ReadIndex(std::string(kClip) + ".au.csv");
    ASSERT_EQ(units_.size(), index_.size()) << "the script and the C++ parser cut different access units";
  }

  Bytes file_;
  std::vector<media::AccessUnit> units_;
  std::vector<IndexRow> index_;
};

// RFC 6184 5.8: a NAL unit that fits the payload goes whole; one byte more
// and it is two FU-A fragments. The depayloader gives back the same bytes.
TEST_F(H264Rtp, FuABoundaries) {
  constexpr std::size_t kMax = 100;
  Bytes exact(kMax, 0x5a), over(kMax + 1, 0xa5), large(3 * kMax + 7);
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<std::uint8_t>(i * 7 + 3);
  exact[0] = 0x65;  // IDR slice, nal_ref_idc 3
  over[0] = 0x41;   // non-IDR slice, nal_ref_idc 2
  large[0] = 0x41;
  // All first_mb_in_slice 0 would make three access units: only the first starts one.
  exact[1] = 0x88;
  over[1] = large[1] = 0x08;
  const media::AccessUnit unit = {
      {exact.data(), exact.size()}, {over.data(), over.size()}, {large.data(), large.size()}};
  Bytes bytes;
  std::vector<media::RtpPayload> payloads;
  media::PacketizeAccessUnit(unit, kMax, &bytes, &payloads);

  // exact: 1 packet; over: 100 bytes after its header -> 98 + 2; large: 306 -> 98 x 3 + 12.
  ASSERT_EQ(payloads.size(), 1u + 2u + 4u);
  EXPECT_EQ(payloads[0].size, kMax);
  EXPECT_EQ(bytes[payloads[0].offset], 0x65);
  EXPECT_EQ(payloads[1].size, kMax);
  EXPECT_EQ(payloads[2].size, 2u + 2u);
  EXPECT_EQ(bytes[payloads[1].offset], 0x40 | media::kFuA);  // F, NRI of the NAL, type 28
  EXPECT_EQ(bytes[payloads[1].offset + 1], 0x80 | 1);        // S, type 1
  EXPECT_EQ(bytes[payloads[2].offset + 1], 0x40 | 1);        // E, type 1
  EXPECT_EQ(bytes[payloads[3].offset + 1], 0x80 | 1);
  EXPECT_EQ(bytes[payloads[4].offset + 1], 1);
  EXPECT_EQ(bytes[payloads[6].offset + 1], 0x40 | 1);
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    EXPECT_EQ(payloads[i].last_of_access_unit, i + 1 == payloads.size()) << i;
  }

  std::vector<Bytes> packets;
  rtp::Header h;
  h.ssrc = 7;
  for (const media::RtpPayload& p : payloads) {
    h.marker = p.last_of_access_unit;
    packets.push_back(RtpPacket(h, bytes, p));
    ++h.sequence;
  }
  const std::vector<Bytes> out = RunPipeline(packets, kDepay);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], ByteStream(unit));
}

// The generator's packets of one loop of the clip and a little of the next:
// RTP headers as RFC 6184 wants them, the probe in the extension, and every
// access unit reassembled by rtph264depay byte-identical to the clip's.
TEST_F(H264Rtp, GeneratorStreamReassemblesEveryAccessUnit) {
  std::uint64_t loop_packets = 0;
  for (const IndexRow& row : index_) loop_packets += row.packets;
  constexpr std::size_t kExtraUnits = 31;  // past the loop into the second GOP
  std::uint64_t extra = 0;
  for (std::size_t k = 0; k < kExtraUnits; ++k) extra += index_[k].packets;

  traffic_gen::TrafficSpec spec;  // payload_bytes 1200: the index's 1176 + the extension
  spec.packet_count = loop_packets + extra;
  traffic_gen::GeneratorReport report;
  const std::vector<Bytes> got = Send(spec, &report);
  ASSERT_EQ(got.size(), loop_packets + extra);

  // Headers: timestamps per access unit, counted on across the loop; the
  // marker on each access unit's last packet; the probe in the extension.
  const std::uint32_t ticks_per_frame = rtp::kVideoClockRate / 30;
  std::vector<Bytes> stripped;  // the same packets without the extension, for the depayloader
  std::size_t packet = 0;
  for (std::size_t au = 0; au < index_.size() + kExtraUnits; ++au) {
    const IndexRow& row = index_[au % index_.size()];
    EXPECT_EQ(row.rtp_offset, (au % index_.size()) * ticks_per_frame);
    for (std::uint64_t k = 0; k < row.packets; ++k, ++packet) {
      const Bytes& d = got[packet];
      rtp::Header h;
      std::size_t offset = 0;
      ASSERT_EQ(rtp::ParseHeader(d.data(), d.size(), &h, &offset), rtp::ParseError::kNone);
      EXPECT_EQ(h.timestamp, au * ticks_per_frame) << "packet " << packet;
      EXPECT_EQ(h.marker, k + 1 == row.packets) << "packet " << packet;
      EXPECT_EQ(h.sequence, static_cast<std::uint16_t>(packet));
      EXPECT_LE(d.size(), rtp::kHeaderBytes + spec.payload_bytes);
      EXPECT_EQ(offset, rtp::kHeaderBytes + rtp::kProbeExtensionBytes);
      rtp::Probe probe;
      ASSERT_TRUE(rtp::FindProbe(d.data(), d.size(), offset, &probe));
      EXPECT_EQ(probe.index, packet);
      EXPECT_NE(probe.send_ns, 0u);
      Bytes s(d.begin(), d.begin() + rtp::kHeaderBytes);
      s[0] &= static_cast<std::uint8_t>(~0x10);
      s.insert(s.end(), d.begin() + static_cast<std::ptrdiff_t>(offset), d.end());
      stripped.push_back(std::move(s));
    }
  }

  // The depayloader ignores the extension: both give every access unit back whole.
  for (const std::vector<Bytes>* packets : {&got, static_cast<const std::vector<Bytes>*>(&stripped)}) {
    const std::vector<Bytes> out = RunPipeline(*packets, kDepay);
    ASSERT_EQ(out.size(), index_.size() + kExtraUnits);
    for (std::size_t au = 0; au < out.size(); ++au) {
      const std::size_t k = au % index_.size();
      EXPECT_EQ(out[au].size(), index_[k].bytes + 4 * index_[k].nals) << "access unit " << au;
      EXPECT_TRUE(out[au] == ByteStream(units_[k])) << "access unit " << au << " differs from the clip's";
    }
  }
}

// sendmmsg batches (--send-batch) hold packets of different lengths: each
// datagram is its own packet, at its own length.
TEST_F(H264Rtp, BatchesSendEachPacketAtItsOwnLength) {
  media::H264Clip clip;
  std::string error;
  ASSERT_TRUE(media::LoadH264Clip(kClip, 1200 - rtp::kProbeExtensionBytes, &clip, &error)) << error;
  traffic_gen::TrafficSpec spec;
  spec.send_batch = 8;
  spec.packet_count = clip.payloads.size();
  traffic_gen::GeneratorReport report;
  const std::vector<Bytes> got = Send(spec, &report);
  ASSERT_EQ(got.size(), clip.payloads.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const media::RtpPayload& p = clip.payloads[i];
    ASSERT_EQ(got[i].size(), rtp::kHeaderBytes + rtp::kProbeExtensionBytes + p.size) << "packet " << i;
    EXPECT_EQ(std::memcmp(got[i].data() + rtp::kHeaderBytes + rtp::kProbeExtensionBytes, clip.bytes.data() + p.offset,
                          p.size),
              0)
        << "packet " << i;
  }
  EXPECT_EQ(RunPipeline(got, kDepay).size(), index_.size());
}

std::vector<std::string> FrameChecksums(const std::vector<Bytes>& frames) {
  std::vector<std::string> sums;
  for (const Bytes& f : frames) {
    gchar* sum = g_compute_checksum_for_data(G_CHECKSUM_MD5, f.data(), f.size());
    sums.emplace_back(sum);
    g_free(sum);
  }
  return sums;
}

// The probe's header extension leaves the decode alone: avdec_h264 makes the
// same frames of the generator's packets as of the same packets without it.
TEST_F(H264Rtp, ProbeExtensionDoesNotChangeTheDecode) {
  std::uint64_t two_gops = 0;
  for (std::size_t k = 0; k < 60; ++k) two_gops += index_[k].packets;
  traffic_gen::TrafficSpec spec;
  spec.packet_count = two_gops;
  traffic_gen::GeneratorReport report;
  const std::vector<Bytes> got = Send(spec, &report);
  ASSERT_EQ(got.size(), two_gops);
  std::vector<Bytes> stripped;
  for (const Bytes& d : got) {
    Bytes s(d.begin(), d.begin() + rtp::kHeaderBytes);
    s[0] &= static_cast<std::uint8_t>(~0x10);
    s.insert(s.end(), d.begin() + rtp::kHeaderBytes + rtp::kProbeExtensionBytes, d.end());
    stripped.push_back(std::move(s));
  }
  const std::vector<std::string> with = FrameChecksums(RunPipeline(got, kDecode));
  const std::vector<std::string> without = FrameChecksums(RunPipeline(stripped, kDecode));
  EXPECT_EQ(with.size(), 60u);
  EXPECT_EQ(with, without);
  EXPECT_EQ(std::set<std::string>(with.begin(), with.end()).size(), with.size()) << "the zone plate moves every frame";
}

// --impair and --malformed act on whole media packets: every valid datagram
// is the clip's packet for its index, untouched; the drops, duplicates and
// swaps the generator reports are what arrives; a malformed datagram is made
// from the packet before it, at that packet's length.
TEST_F(H264Rtp, ImpairmentsAndMalformedDatagramsOnMediaPackets) {
  media::H264Clip clip;
  std::string error;
  ASSERT_TRUE(media::LoadH264Clip(kClip, 1200 - rtp::kProbeExtensionBytes, &clip, &error)) << error;
  traffic_gen::TrafficSpec spec;
  spec.packet_count = 1500;
  spec.seed = 5;
  ASSERT_TRUE(traffic_gen::ParseImpairmentSpec("loss=2%,dup=2%,reorder=2%", &spec.impair, &error)) << error;
  ASSERT_TRUE(traffic_gen::ParseMalformedSpec("foreign-ssrc:3%,short:2%", &spec.malformed, &error)) << error;
  traffic_gen::GeneratorReport report;
  const std::vector<Bytes> got = Send(spec, &report);
  ASSERT_EQ(got.size(), report.packets_sent);
  ASSERT_TRUE(report.impairments.has_value());

  rtp::StreamLock lock;
  std::map<rtp::Malformed, std::uint64_t> malformed;
  std::set<std::uint64_t> seen;
  std::uint64_t duplicates = 0, late = 0, highest = 0;
  const Bytes* previous_valid = nullptr;
  for (const Bytes& d : got) {
    rtp::Header h;
    std::size_t offset = 0;
    const rtp::Malformed kind = rtp::Classify(d.data(), d.size(), &lock, &h, &offset);
    if (kind != rtp::Malformed::kNone) {
      ++malformed[kind];
      if (kind == rtp::Malformed::kForeignSsrc) {
        ASSERT_NE(previous_valid, nullptr);
        EXPECT_EQ(d.size(), previous_valid->size());
        EXPECT_TRUE(std::equal(d.begin() + 12, d.end(), previous_valid->begin() + 12));
      }
      continue;
    }
    previous_valid = &d;
    rtp::Probe probe;
    ASSERT_TRUE(rtp::FindProbe(d.data(), d.size(), offset, &probe));
    const media::RtpPayload& p = clip.payloads[probe.index % clip.payloads.size()];
    ASSERT_EQ(d.size() - offset, p.size) << "packet " << probe.index;
    EXPECT_EQ(std::memcmp(d.data() + offset, clip.bytes.data() + p.offset, p.size), 0) << "packet " << probe.index;
    // The stream ends on a whole access unit: every marker is its unit's last.
    EXPECT_EQ(h.marker, p.last_of_access_unit) << probe.index;
    if (!seen.insert(probe.index).second) ++duplicates;
    if (probe.index < highest) ++late;
    highest = std::max(highest, probe.index);
  }
  const traffic_gen::ImpairmentReport& injected = *report.impairments;
  EXPECT_GT(injected.losses, 0u);
  // 1500 packets end inside an access unit: the stream sends it whole.
  std::uint64_t scheduled = 1500;
  while (!clip.payloads[(scheduled - 1) % clip.payloads.size()].last_of_access_unit) ++scheduled;
  EXPECT_GT(scheduled, 1500u) << "the count ends on a unit: the test no longer checks the rounding";
  EXPECT_EQ(seen.size(), scheduled - injected.losses);
  EXPECT_EQ(duplicates, injected.duplicates);
  EXPECT_EQ(late, injected.reorders);
  using K = rtp::Malformed;
  EXPECT_EQ(malformed[K::kForeignSsrc], report.malformed_sent[static_cast<std::size_t>(K::kForeignSsrc)]);
  EXPECT_EQ(malformed[K::kShort], report.malformed_sent[static_cast<std::size_t>(K::kShort)]);
  EXPECT_GT(malformed[K::kForeignSsrc], 0u);
}

}  // namespace
}  // namespace rxbench
