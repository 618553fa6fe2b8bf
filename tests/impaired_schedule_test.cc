// ImpairedSchedule, exactly (no clock, no socket): the datagrams it gives are
// the warm-up in order, then the measured stream in ImpairmentPlan's
// SendOrder(), each with its own packet's header, and what it reports
// injected is the plan's tally.
#include "traffic_gen/impaired_schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "traffic_gen/packet_schedule.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::traffic_gen {
namespace {

struct Datagram {
  std::uint64_t index;
  std::uint16_t sequence;
  std::uint32_t timestamp;
  std::int64_t due_ns;
  bool repeated;
};

std::vector<Datagram> Walk(ImpairedSchedule* schedule) {
  std::vector<Datagram> out;
  for (; !schedule->done(); schedule->Advance()) {
    out.push_back({schedule->index(), schedule->header().sequence, schedule->header().timestamp, schedule->due_ns(),
                   schedule->repeated()});
  }
  return out;
}

TrafficSpec Spec(const std::string& impair, std::uint64_t warmup, Shape shape) {
  TrafficSpec spec;
  spec.dest_port = 9;
  spec.rate_pps = 9000;
  spec.shape = shape;
  spec.packet_count = 6000;
  spec.warmup_packets = warmup;
  spec.first_sequence = 65000;  // the stream crosses the 16-bit wrap
  spec.seed = 7;
  std::string error;
  EXPECT_TRUE(ParseImpairmentSpec(impair, &spec.impair, &error)) << error;
  EXPECT_EQ(Validate(spec), "");
  return spec;
}

TEST(ImpairedSchedule, WithoutImpairmentsItIsThePacketSchedule) {
  TrafficSpec spec = Spec("loss=0", 100, Shape::kBurst);
  ImpairedSchedule impaired(spec);
  PacketSchedule plain(spec);
  EXPECT_EQ(impaired.warmup_end(), plain.warmup_end());
  for (; !plain.done(); plain.Advance(), impaired.Advance()) {
    ASSERT_FALSE(impaired.done());
    ASSERT_EQ(impaired.index(), plain.index());
    ASSERT_EQ(impaired.due_ns(), plain.due_ns());
    ASSERT_EQ(impaired.header().sequence, plain.header().sequence);
    ASSERT_EQ(impaired.header().timestamp, plain.header().timestamp);
    ASSERT_EQ(impaired.header().marker, plain.header().marker);
    ASSERT_FALSE(impaired.repeated());
  }
  EXPECT_TRUE(impaired.done());
  EXPECT_EQ(impaired.injected().losses + impaired.injected().duplicates + impaired.injected().reorders, 0u);
}

void ExpectSendOrder(const std::string& impair, std::uint64_t warmup, Shape shape) {
  SCOPED_TRACE(impair + " warmup " + std::to_string(warmup) + " " + ToString(shape));
  const TrafficSpec spec = Spec(impair, warmup, shape);
  ImpairedSchedule schedule(spec);
  const std::uint64_t warmup_end = schedule.warmup_end();
  const ImpairmentPlan plan(spec.impair, spec.seed, schedule.total() - warmup_end);

  std::vector<std::uint64_t> expected;
  for (std::uint64_t i = 0; i < warmup_end; ++i) expected.push_back(i);
  for (std::uint64_t i : plan.SendOrder()) expected.push_back(warmup_end + i);

  // Every packet's own header and due time, from the plain schedule.
  std::vector<rtp::Header> headers;
  std::vector<std::int64_t> dues;
  for (PacketSchedule plain(spec); !plain.done(); plain.Advance()) {
    headers.push_back(plain.header());
    dues.push_back(plain.due_ns());
  }

  const std::vector<Datagram> sent = Walk(&schedule);
  std::vector<std::uint64_t> order;
  for (const Datagram& d : sent) order.push_back(d.index);
  ASSERT_EQ(order, expected);

  std::uint64_t repeats = 0;
  for (std::size_t k = 0; k < sent.size(); ++k) {
    const Datagram& d = sent[k];
    ASSERT_EQ(d.sequence, headers[d.index].sequence) << "datagram " << k;
    ASSERT_EQ(d.timestamp, headers[d.index].timestamp) << "datagram " << k;
    // Due when its packet is, or (the held one of a swap) when its successor is.
    const bool held = k > 0 && sent[k - 1].index == d.index + 1;
    ASSERT_EQ(d.due_ns, dues[held ? d.index + 1 : d.index]) << "datagram " << k;
    if (k > 0) {
      ASSERT_GE(d.due_ns, sent[k - 1].due_ns) << "due times go back at datagram " << k;
    }
    ASSERT_EQ(d.repeated, k > 0 && sent[k - 1].index == d.index) << "datagram " << k;
    repeats += d.repeated;
  }

  const ImpairmentReport tally = plan.Tally();
  EXPECT_EQ(schedule.injected().losses, tally.losses);
  EXPECT_EQ(schedule.injected().duplicates, tally.duplicates);
  EXPECT_EQ(schedule.injected().reorders, tally.reorders);
  EXPECT_EQ(repeats, tally.duplicates);
  EXPECT_GT(tally.losses, 0u);
  EXPECT_GT(tally.duplicates, 0u);
  EXPECT_GT(tally.reorders, 0u);
  EXPECT_EQ(sent.size(), schedule.total() - tally.losses + tally.duplicates);
}

TEST(ImpairedSchedule, SendsTheWarmupAsIsThenThePlansSendOrder) {
  ExpectSendOrder("loss=1%,dup=0.5%,reorder=1%", 0, Shape::kCbr);
  ExpectSendOrder("loss=1%,dup=0.5%,reorder=1%", 300, Shape::kCbr);
  ExpectSendOrder("loss=10%,dup=10%,reorder=10%", 150, Shape::kBurst);  // warm-up rounded to a frame
  ExpectSendOrder("loss=0.1,dup=0.1,reorder=0.1", 1, Shape::kCbr);
}

// What is counted is what has been passed: a sender stopped part-way reports
// only the impairments a receiver can see in what it sent.
TEST(ImpairedSchedule, CountsOnlyWhatHasBeenPassed) {
  const TrafficSpec spec = Spec("loss=5%,dup=5%,reorder=5%", 0, Shape::kCbr);
  ImpairedSchedule schedule(spec);
  const ImpairmentPlan plan(spec.impair, spec.seed, schedule.total());
  ImpairmentReport seen;
  std::uint64_t highest = 0;
  for (int k = 0; k < 500; ++k) {
    highest = std::max(highest, schedule.index());
    schedule.Advance();
  }
  for (std::uint64_t i = 0; i <= highest; ++i) seen.Add(plan.At(i));
  // A swap whose held packet is still to come is not yet a reorder.
  const bool holding = plan.At(highest - 1) == Impairment::kSwapWithNext && schedule.index() == highest - 1;
  EXPECT_EQ(schedule.injected().losses, seen.losses);
  EXPECT_EQ(schedule.injected().duplicates + (schedule.repeated() ? 1 : 0), seen.duplicates);
  EXPECT_EQ(schedule.injected().reorders + (holding ? 1 : 0), seen.reorders);
  EXPECT_GT(seen.losses + seen.duplicates + seen.reorders, 0u);
}

}  // namespace
}  // namespace rxbench::traffic_gen
