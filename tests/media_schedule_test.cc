// PacketSchedule with media frames (--media h264): exact arithmetic on a
// made-up clip of three access units, no clock and no socket; and what
// Validate() refuses of a media spec.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "traffic_gen/packet_schedule.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::traffic_gen {
namespace {

// Packets per access unit: a keyframe of 4, then 1 and 2; 7 a loop.
const std::vector<std::uint32_t> kUnits = {4, 1, 2};
constexpr std::int64_t kFrameNs = 40'000'000;  // 25 fps

TrafficSpec MediaSpec(Shape shape, std::uint64_t packets) {
  TrafficSpec spec;
  spec.media = Media::kH264;
  spec.shape = shape;
  spec.fps = 25;
  spec.packet_count = packets;
  spec.dest_port = 9;
  return spec;
}

struct Row {
  std::int64_t due_ns;
  std::uint32_t timestamp;
  bool marker;
};

std::vector<Row> Rows(const TrafficSpec& spec) {
  std::vector<Row> rows;
  for (PacketSchedule s(spec, &kUnits); !s.done(); s.Advance()) {
    rows.push_back({s.due_ns(), s.header().timestamp, s.header().marker});
  }
  return rows;
}

TEST(MediaSchedule, BurstSendsEachAccessUnitAtItsFrameTimeAcrossLoops) {
  const std::vector<Row> rows = Rows(MediaSpec(Shape::kBurst, 14));  // two loops
  ASSERT_EQ(rows.size(), 14u);
  // Access unit (over both loops) of each packet, and its last packets.
  const std::vector<int> unit = {0, 0, 0, 0, 1, 2, 2, 3, 3, 3, 3, 4, 5, 5};
  const std::vector<bool> last = {false, false, false, true, true, false, true,
                                  false, false, false, true, true, false, true};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].due_ns, unit[i] * kFrameNs) << i;
    EXPECT_EQ(rows[i].timestamp, static_cast<std::uint32_t>(unit[i] * 3600)) << i;
    EXPECT_EQ(rows[i].marker, last[i]) << i;
  }
}

TEST(MediaSchedule, CbrSpreadsEachAccessUnitOverItsFrame) {
  const std::vector<Row> rows = Rows(MediaSpec(Shape::kCbr, 7));
  ASSERT_EQ(rows.size(), 7u);
  const std::vector<std::int64_t> due = {0, 10'000'000, 20'000'000, 30'000'000, 40'000'000, 80'000'000, 100'000'000};
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].due_ns, due[i]) << i;
  // Timestamps and markers stay per access unit.
  EXPECT_EQ(rows[3].timestamp, 0u);
  EXPECT_TRUE(rows[3].marker);
  EXPECT_EQ(rows[6].timestamp, 7200u);
}

TEST(MediaSchedule, WarmupEndsOnAnAccessUnit) {
  TrafficSpec spec = MediaSpec(Shape::kBurst, 3);
  spec.warmup_packets = 6;  // inside the third access unit (packets 5, 6)
  const PacketSchedule s(spec, &kUnits);
  EXPECT_EQ(s.warmup_end(), 7u);
  // 3 measured packets end inside the next loop's 4-packet access unit: the
  // stream ends with that unit whole.
  EXPECT_EQ(s.total(), 11u);
}

TEST(MediaSchedule, EndsOnAWholeAccessUnitWithItsMarker) {
  const std::vector<Row> rows = Rows(MediaSpec(Shape::kBurst, 6));  // ends inside the third of units {4, 1, 2}
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_TRUE(rows.back().marker);
  EXPECT_FALSE(rows[5].marker);  // the third unit's first packet: mid-unit, as sent
}

TEST(MediaSpec, ValidateRejectsWhatMediaPacketsCannotDo) {
  TrafficSpec spec = MediaSpec(Shape::kBurst, 10);
  EXPECT_EQ(Validate(spec), "");
  TrafficSpec gso = spec;
  gso.gso_segments = 4;
  EXPECT_NE(Validate(gso).find("gso_segments"), std::string::npos);
  TrafficSpec pattern = spec;
  pattern.fill_pattern = true;
  EXPECT_NE(Validate(pattern).find("fill_pattern"), std::string::npos);
  TrafficSpec tiny = spec;
  tiny.payload_bytes = 26;  // the 24-byte extension and 2 bytes: no FU-A fragment fits
  EXPECT_NE(Validate(tiny).find("payload_bytes"), std::string::npos);
  tiny.payload_bytes = 27;
  EXPECT_EQ(Validate(tiny), "");
  EXPECT_EQ(ParseMedia("h264"), Media::kH264);
  EXPECT_EQ(ParseMedia("filler"), Media::kFiller);
  EXPECT_EQ(ParseMedia("vp8"), std::nullopt);
}

}  // namespace
}  // namespace rxbench::traffic_gen
