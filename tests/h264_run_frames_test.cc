// `run --media h264 --pipeline-preset h264` in one process, on the default
// clip (//media:default_clip, 120 frames of 1080p): one pass of the clip in
// lock-step rounds, so nothing is lost on a busy machine and every count is
// exact. Every access unit the generator sent is depayloaded and decoded, and
// every decoded frame is the one the loss-free reference decode gives.
#include <gtest/gtest.h>

#include "media/h264_clip.h"
#include "pipeline/pipeline_description.h"
#include "receivers/strategy.h"
#include "rtp/probe_extension.h"
#include "run/runner.h"

namespace rxbench::harness {
namespace {

constexpr char kClip[] = "media/zoneplate-1920x1080-30fps-5000k-gop30-4s.h264";

TEST(H264RunFramesTest, OnePassOfTheClipDecodedUndamaged) {
  media::H264Clip clip;
  std::string error;
  ASSERT_TRUE(media::LoadH264Clip(kClip, 1200 - rtp::kProbeExtensionBytes, &clip, &error)) << error;
  spec::RunSpec spec;
  spec.receive.receiver.strategy = *receivers::FindPreset("combined");
  spec.receive.pipeline.description = PresetDescription("h264");
  spec.traffic.media = traffic_gen::Media::kH264;
  spec.traffic.media_clip = kClip;
  spec.traffic.shape = traffic_gen::Shape::kBurst;
  spec.traffic.packet_count = clip.payloads.size();
  spec.traffic.warmup_packets = 0;
  spec.traffic.lock_step_packets = 64;
  spec.drain_timeout_s = 20;
  const RunResult r = RunOnce(spec);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.packets_delivered, clip.payloads.size());
  ASSERT_TRUE(r.frames.has_value());
  const std::uint64_t units = clip.packets_per_unit.size();
  EXPECT_EQ(r.frames->sent, units);
  EXPECT_EQ(r.frames->depayloaded, units);
  EXPECT_EQ(r.frames->decoded, units);
  EXPECT_EQ(r.frames->damaged, 0u);
  EXPECT_EQ(r.frames->unjudged, 0u);
  EXPECT_GT(r.frames->latency.count, 0u);  // the header extension's send times reach the frames
  EXPECT_TRUE(r.receive_share.has_value());
}

}  // namespace
}  // namespace rxbench::harness
