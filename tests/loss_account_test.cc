// The loss account on hand-made counts: every stage's share, and an
// unexplained remainder exactly when the stages do not add up.
#include "results/loss_account.h"

#include <gtest/gtest.h>

namespace rxbench::harness {
namespace {

TEST(LossAccountTest, EveryStageOfAnAppsrcPipeline) {
  LossInputs in;
  in.sent = 1000;
  in.kernel_drops = 40;  // the socket overflowed
  in.received = 955;     // taken off the socket; 5 still queued there at stop
  in.left_in_socket = 5;
  in.malformed = 3;
  in.truncated = 2;
  in.pushed = 948;
  in.push_errors = 2;            // appsrc refused two
  in.pipeline.source_out = 930;  // appsrc let 930 through, holds 8: 10 dropped (leaky)
  in.pipeline.source_level = 8;
  in.pipeline.downstream = {{"queue0", 930, 925, 4}, {"rtpjitterbuffer0", 925, 920, 0}};  // 1 and 5 dropped
  in.sink_delivered = 920;
  const LossAccount a = AccountForPackets(in);
  EXPECT_EQ(a.received, 955u);
  EXPECT_EQ(a.delivered, 920u);
  EXPECT_EQ(a.pipeline_drops, 10u + 2u + 1u + 5u);
  EXPECT_EQ(a.pipeline_drops_by_element.at("appsrc"), 10u);
  EXPECT_EQ(a.pipeline_drops_by_element.at("queue0"), 1u);
  EXPECT_EQ(a.pipeline_drops_by_element.at("rtpjitterbuffer0"), 5u);
  EXPECT_EQ(a.in_flight_at_stop, 5u + 8u + 4u);
  // 920 + 40 + 3 + 2 + 18 + 17 = 1000
  EXPECT_EQ(a.unexplained, 0);
}

// io_uring's kernel takes datagrams off the socket into its ring on its own:
// those whose completions the receiver had not reaped when it stopped are in
// neither the receiver's count nor the socket, and are in flight.
TEST(LossAccountTest, UnreapedCompletionsAreInFlight) {
  LossInputs in;
  in.sent = 300;
  in.received = 200;
  in.pushed = 200;
  in.pipeline.source_out = 200;
  in.sink_delivered = 200;
  in.left_in_socket = 60;
  in.left_in_receive_call = 40;
  const LossAccount a = AccountForPackets(in);
  EXPECT_EQ(a.in_flight_at_stop, 100u);
  EXPECT_EQ(a.unexplained, 0);
  in.delivery = DeliveryPoint::kReceiver;
  EXPECT_EQ(AccountForPackets(in).in_flight_at_stop, 100u);
  EXPECT_EQ(AccountForPackets(in).unexplained, 0);
}

TEST(LossAccountTest, WhatTheStagesMissIsUnexplained) {
  LossInputs in;
  in.sent = 100;
  in.received = 100;
  in.pushed = 100;
  in.pipeline.source_out = 100;
  in.sink_delivered = 97;  // three vanished between appsrc and the sink, uncounted
  const LossAccount a = AccountForPackets(in);
  EXPECT_EQ(a.unexplained, 3);
  in.sink_delivered = 101;  // a packet delivered twice, or counted twice
  EXPECT_EQ(AccountForPackets(in).unexplained, -1);
}

TEST(LossAccountTest, UdpsrcCountsWhatLeftIt) {
  LossInputs in;
  in.delivery = DeliveryPoint::kUdpsrcSink;
  in.sent = 500;
  in.kernel_drops = 20;
  in.pipeline.source_out = 480;
  in.pipeline.downstream = {{"queue0", 480, 478, 0}};
  in.sink_delivered = 478;
  const LossAccount a = AccountForPackets(in);
  EXPECT_EQ(a.received, 480u);
  EXPECT_EQ(a.pipeline_drops_by_element.at("udpsrc"), 0u);
  EXPECT_EQ(a.pipeline_drops, 2u);
  EXPECT_EQ(a.unexplained, 0);
}

TEST(LossAccountTest, NullDeliversWhatItTakesOff) {
  LossInputs in;
  in.delivery = DeliveryPoint::kReceiver;
  in.sent = 300;
  in.kernel_drops = 10;
  in.received = 288;
  in.truncated = 4;
  in.left_in_socket = 2;
  const LossAccount a = AccountForPackets(in);
  EXPECT_EQ(a.delivered, 284u);
  EXPECT_EQ(a.in_flight_at_stop, 2u);
  EXPECT_EQ(a.pipeline_drops, 0u);
  EXPECT_EQ(a.unexplained, 0);
}

// A UDP_GRO socket fed by a GSO sender drops a coalesced datagram whole and
// counts it once: 3 datagrams of up to 32 packets can explain 3..96 packets.
TEST(LossAccountTest, CoalescedDropsExplainWhatTheirDatagramCountAllows) {
  LossInputs in;
  in.delivery = DeliveryPoint::kReceiver;
  in.sent = 1000;
  in.received = 920;
  in.kernel_drops = 3;  // datagrams
  in.packets_per_kernel_drop = 32;
  LossAccount a = AccountForPackets(in);
  EXPECT_EQ(a.kernel_drops, 80u);  // packets
  EXPECT_EQ(a.kernel_drop_datagrams, 3u);
  EXPECT_EQ(a.unexplained, 0);
  // More missing than 3 datagrams can hold: the rest is unexplained.
  in.received = 900;
  a = AccountForPackets(in);
  EXPECT_EQ(a.kernel_drops, 96u);
  EXPECT_EQ(a.unexplained, 4);
  // Fewer missing than 3 drops: a drop of nothing cannot be.
  in.received = 999;
  a = AccountForPackets(in);
  EXPECT_EQ(a.kernel_drops, 3u);
  EXPECT_EQ(a.unexplained, -2);
  // No drop: exact, as without GRO.
  in.kernel_drops = 0;
  in.received = 990;
  EXPECT_EQ(AccountForPackets(in).unexplained, 10);
}

}  // namespace
}  // namespace rxbench::harness
