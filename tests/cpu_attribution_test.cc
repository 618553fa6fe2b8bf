// CPU attribution over a measurement window, on hand-made censuses: who is
// counted from where, what is left unattributed, how roles and names sum,
// when the user/kernel split is said at all, and the wall-clock tier's
// covariates (run-queue wait, steal), unknown wherever a part is.
#include "results/cpu_attribution.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace rxbench::harness {
namespace {

constexpr std::uint64_t kMs = 1'000'000;

platform::ThreadSample Thread(pid_t tid, const char* comm, std::uint64_t cpu_ns, std::uint64_t user_ns = 0,
                              std::uint64_t sys_ns = 0) {
  platform::ThreadSample t;
  t.tid = tid;
  t.comm = comm;
  t.cpu_ns = cpu_ns;
  t.user_ns = user_ns;
  t.sys_ns = sys_ns;
  return t;
}

// Identities by tid, as the harness would have announced them.
IdentifyThread Roles(std::map<pid_t, ThreadIdentity> known) {
  return [known](pid_t tid, const std::string& comm) {
    auto it = known.find(tid);
    return it != known.end() ? it->second : ThreadIdentity{ThreadRole::kOther, "other:" + comm};
  };
}

TEST(CpuAttributionTest, EveryThreadBetweenTheTwoInstants) {
  CpuWindow w;
  w.packets = 1000;
  w.generator_packets = 500;
  w.start.process_cpu_ns = 100 * kMs;
  w.start.threads = {Thread(1, "rxbench", 50 * kMs), Thread(2, "rxrecv", 10 * kMs), Thread(3, "queue0:src", 20 * kMs),
                     Thread(4, "rxgen", 5 * kMs), Thread(9, "gone", 1 * kMs)};
  // Thread 9 exits inside the window and leaves no sample; thread 5 is born
  // inside it; thread 4 (the generator) exits and leaves its final sample.
  w.end.process_cpu_ns = 100 * kMs + 20 * kMs;
  w.end.threads = {Thread(1, "rxbench", 51 * kMs), Thread(2, "rxrecv", 14 * kMs), Thread(3, "queue0:src", 26 * kMs),
                   Thread(5, "timer", 2 * kMs)};
  w.exited[4] = Thread(4, "rxgen", 10 * kMs);
  const CpuAttribution a = AttributeCpu(w, Roles({{1, {ThreadRole::kHarness, "harness"}},
                                                  {2, {ThreadRole::kReceiver, "receiver"}},
                                                  {3, {ThreadRole::kPipeline, "queue0"}},
                                                  {4, {ThreadRole::kGenerator, "generator"}},
                                                  {5, {ThreadRole::kPipeline, "pipeline:timer"}}}));

  ASSERT_EQ(a.threads.size(), 5u);                                             // thread 9 left nothing to list
  EXPECT_DOUBLE_EQ(a.threads.at("harness").cpu_ns_per_packet, 1000.0);         // 1 ms / 1000
  EXPECT_DOUBLE_EQ(a.threads.at("receiver").cpu_ns_per_packet, 4000.0);        // 4 ms / 1000
  EXPECT_DOUBLE_EQ(a.threads.at("queue0").cpu_ns_per_packet, 6000.0);          // 6 ms / 1000
  EXPECT_DOUBLE_EQ(a.threads.at("pipeline:timer").cpu_ns_per_packet, 2000.0);  // born: from 0
  EXPECT_DOUBLE_EQ(a.threads.at("generator").cpu_ns_per_packet, 10000.0);      // 5 ms / 500 sent
  EXPECT_EQ(a.threads.at("pipeline:timer").role, ThreadRole::kPipeline);
  EXPECT_DOUBLE_EQ(a.receiver.cpu_ns_per_packet, 4000.0);
  EXPECT_DOUBLE_EQ(a.pipeline.cpu_ns_per_packet, 8000.0);
  EXPECT_DOUBLE_EQ(a.generator.cpu_ns_per_packet, 10000.0);
  EXPECT_DOUBLE_EQ(a.receive_path_ns_per_packet, 12000.0);
  EXPECT_DOUBLE_EQ(a.process_ns_per_packet, 20000.0);
  // 20 ms of process time, 1 + 4 + 6 + 2 + 5 = 18 ms listed.
  EXPECT_DOUBLE_EQ(a.unattributed_ns_per_packet, 2000.0);
  EXPECT_DOUBLE_EQ(a.receive_share.value(), 4000.0 / 12000.0);
  EXPECT_DOUBLE_EQ(a.decoder.cpu_ns_per_packet, 0.0);  // no decoder
}

// The decoder's threads have their own sum and are the pipeline's too: the
// receive path, and the receiver's share of it, include decoding.
TEST(CpuAttributionTest, TheDecoderIsPartOfThePipeline) {
  CpuWindow w;
  w.packets = 1000;
  w.start.threads = {Thread(2, "rxrecv", 0), Thread(3, "queue0:src", 0), Thread(4, "queue1:src", 0)};
  w.end.threads = {Thread(2, "rxrecv", 1 * kMs), Thread(3, "queue0:src", 2 * kMs), Thread(4, "queue1:src", 6 * kMs),
                   Thread(5, "queue1:src", 1 * kMs)};
  const CpuAttribution a = AttributeCpu(w, Roles({{2, {ThreadRole::kReceiver, "receiver"}},
                                                  {3, {ThreadRole::kPipeline, "queue0"}},
                                                  {4, {ThreadRole::kDecoder, "decoder"}},
                                                  {5, {ThreadRole::kDecoder, "decoder"}}}));
  EXPECT_DOUBLE_EQ(a.threads.at("decoder").cpu_ns_per_packet, 7000.0);
  EXPECT_EQ(a.threads.at("decoder").role, ThreadRole::kDecoder);
  EXPECT_DOUBLE_EQ(a.decoder.cpu_ns_per_packet, 7000.0);
  EXPECT_DOUBLE_EQ(a.pipeline.cpu_ns_per_packet, 9000.0);
  EXPECT_DOUBLE_EQ(a.receive_path_ns_per_packet, 10000.0);
  EXPECT_DOUBLE_EQ(a.receive_share.value(), 0.1);
}

TEST(CpuAttributionTest, ThreadsOfOneNameAreSummed) {
  CpuWindow w;
  w.packets = 10;
  w.end.threads = {Thread(7, "iou-wrk-2", 3 * kMs), Thread(8, "iou-wrk-2", 4 * kMs)};
  w.end.process_cpu_ns = 7 * kMs;
  const CpuAttribution a = AttributeCpu(w, [](pid_t, const std::string&) {
    return ThreadIdentity{ThreadRole::kReceiver, "receiver:iou-wrk"};
  });
  ASSERT_EQ(a.threads.size(), 1u);
  EXPECT_DOUBLE_EQ(a.threads.at("receiver:iou-wrk").cpu_ns_per_packet, 700000.0);
  EXPECT_DOUBLE_EQ(a.receiver.cpu_ns_per_packet, 700000.0);
  EXPECT_DOUBLE_EQ(a.unattributed_ns_per_packet, 0.0);
}

// The split comes from 10 ms ticks: said only when the ticks behind it cover
// kMinSampledSplitNs, and then as the exact time in the ticks' proportion.
TEST(CpuAttributionTest, UserSystemSplitOnlyFromEnoughTicks) {
  CpuWindow w;
  w.packets = 1;
  w.end.threads = {Thread(2, "rxrecv", 200 * kMs, 30 * kMs, 90 * kMs),      // 12 ticks: 1/4 user
                   Thread(3, "queue0:src", 50 * kMs, 40 * kMs, 50 * kMs)};  // 9 ticks: too few
  w.end.process_cpu_ns = 250 * kMs;
  const CpuAttribution a =
      AttributeCpu(w, Roles({{2, {ThreadRole::kReceiver, "receiver"}}, {3, {ThreadRole::kPipeline, "queue0"}}}));
  const ThreadCpu& receiver = a.threads.at("receiver");
  ASSERT_TRUE(receiver.user_ns_per_packet.has_value());
  EXPECT_DOUBLE_EQ(*receiver.user_ns_per_packet, 50.0 * kMs);
  EXPECT_DOUBLE_EQ(*receiver.sys_ns_per_packet, 150.0 * kMs);
  EXPECT_FALSE(a.threads.at("queue0").user_ns_per_packet.has_value());
  EXPECT_FALSE(a.threads.at("queue0").sys_ns_per_packet.has_value());
  EXPECT_FALSE(a.generator.user_ns_per_packet.has_value());  // nothing at all
}

TEST(CpuAttributionTest, NoPacketsMeansNoPerPacketFigures) {
  CpuWindow w;
  w.end.threads = {Thread(2, "rxrecv", 5 * kMs)};
  w.end.process_cpu_ns = 5 * kMs;
  const CpuAttribution a = AttributeCpu(w, Roles({{2, {ThreadRole::kReceiver, "receiver"}}}));
  EXPECT_DOUBLE_EQ(a.receiver.cpu_ns_per_packet, 0.0);
  EXPECT_DOUBLE_EQ(a.process_ns_per_packet, 0.0);
}

platform::ThreadSample Waited(platform::ThreadSample t, std::optional<std::uint64_t> wait_ns) {
  t.run_queue_wait_ns = wait_ns;
  return t;
}

TEST(CpuAttributionTest, RunQueueWaitPerThreadAndReceiveSide) {
  CpuWindow w;
  w.packets = 1000;
  w.generator_packets = 500;
  w.start.threads = {Waited(Thread(2, "rxrecv", 0), 10 * kMs), Waited(Thread(3, "queue0:src", 0), 20 * kMs),
                     Waited(Thread(4, "rxgen", 0), 1 * kMs)};
  w.end.threads = {Waited(Thread(2, "rxrecv", 0), 13 * kMs), Waited(Thread(3, "queue0:src", 0), 21 * kMs),
                   Waited(Thread(5, "timer", 0), 2 * kMs)};
  w.exited[4] = Waited(Thread(4, "rxgen", 0), 6 * kMs);
  w.start.machine_steal_ns = 500 * kMs;
  w.end.machine_steal_ns = 530 * kMs;
  const CpuAttribution a = AttributeCpu(w, Roles({{2, {ThreadRole::kReceiver, "receiver"}},
                                                  {3, {ThreadRole::kPipeline, "queue0"}},
                                                  {4, {ThreadRole::kGenerator, "generator"}},
                                                  {5, {ThreadRole::kPipeline, "pipeline:timer"}}}));
  EXPECT_EQ(a.threads.at("receiver").run_queue_wait_ns_per_packet, 3000.0);        // 3 ms / 1000
  EXPECT_EQ(a.threads.at("queue0").run_queue_wait_ns_per_packet, 1000.0);          // 1 ms / 1000
  EXPECT_EQ(a.threads.at("pipeline:timer").run_queue_wait_ns_per_packet, 2000.0);  // born: from 0
  EXPECT_EQ(a.threads.at("generator").run_queue_wait_ns_per_packet, 10000.0);      // 5 ms / 500 sent
  EXPECT_EQ(a.receiver.run_queue_wait_ns_per_packet, 3000.0);
  EXPECT_EQ(a.pipeline.run_queue_wait_ns_per_packet, 3000.0);
  EXPECT_EQ(a.run_queue_wait_ns_per_packet_receive_side, 6000.0);  // the generator is not in it
  EXPECT_EQ(a.machine_steal_ns, 30 * kMs);
  EXPECT_EQ(a.machine_steal_ns_per_packet, 30000.0);
}

// A kernel without schedstats, or one thread whose file could not be read:
// the figures it is part of are unknown, never a smaller number or 0.
TEST(CpuAttributionTest, RunQueueWaitUnknownWhereAnyPartIs) {
  CpuWindow w;
  w.packets = 10;
  w.start.threads = {Waited(Thread(2, "rxrecv", 0), 10 * kMs), Waited(Thread(3, "queue0:src", 0), std::nullopt),
                     Waited(Thread(6, "queue1:src", 0), 10 * kMs)};
  w.end.threads = {Waited(Thread(2, "rxrecv", 0), 11 * kMs), Waited(Thread(3, "queue0:src", 0), 20 * kMs),
                   Waited(Thread(6, "queue1:src", 0), 12 * kMs)};
  w.start.machine_steal_ns = std::nullopt;
  w.end.machine_steal_ns = 30 * kMs;
  const CpuAttribution a = AttributeCpu(w, Roles({{2, {ThreadRole::kReceiver, "receiver"}},
                                                  {3, {ThreadRole::kPipeline, "queue0"}},
                                                  {6, {ThreadRole::kPipeline, "queue1"}}}));
  EXPECT_EQ(a.threads.at("receiver").run_queue_wait_ns_per_packet, 100000.0);
  EXPECT_EQ(a.threads.at("queue1").run_queue_wait_ns_per_packet, 200000.0);
  EXPECT_FALSE(a.threads.at("queue0").run_queue_wait_ns_per_packet.has_value());  // unknown at the start
  EXPECT_FALSE(a.pipeline.run_queue_wait_ns_per_packet.has_value());              // queue1's alone would be less
  EXPECT_FALSE(a.run_queue_wait_ns_per_packet_receive_side.has_value());
  EXPECT_FALSE(a.generator.run_queue_wait_ns_per_packet.has_value());  // no generator thread at all
  EXPECT_FALSE(a.machine_steal_ns.has_value());
  EXPECT_FALSE(a.machine_steal_ns_per_packet.has_value());
}

}  // namespace
}  // namespace rxbench::harness
