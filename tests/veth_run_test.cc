// One run over the veth path (netpath/veth_path.h) through RunOnce on a
// thread that is not the process's main thread, overloaded on purpose: the
// loss account must still close (unexplained 0), with the drops read in the
// receiver's namespace, where the socket lives, not in the main thread's
// (/proc/net is the main thread's namespace; /proc/thread-self/net this
// thread's). The packets come through NAPI (napi_id != 0). Needs root.
#include <unistd.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "netpath/veth_names.h"
#include "netpath/veth_path.h"
#include "receivers/strategy.h"
#include "run/runner.h"

namespace rxbench::harness {
namespace {

TEST(VethRun, OverloadOnAnotherThreadIsAccountedInTheReceiversNamespace) {
  if (geteuid() != 0) GTEST_SKIP() << "--path veth needs root";
  std::string error;
  const std::unique_ptr<netpath::VethPath> path = netpath::VethPath::Create(/*threaded_napi=*/true, &error);
  ASSERT_TRUE(path) << error;

  spec::RunSpec config;
  config.receive.receiver.strategy = *receivers::FindPreset("baseline");
  config.path = spec::Path::kVeth;
  config.receive.socket.bind_host = netpath::kReceiverAddress;
  config.scenario = "veth-overload";
  config.traffic.rate_pps = 50000;
  config.traffic.shape = traffic_gen::Shape::kBurst;
  config.traffic.fps = 30;
  config.traffic.duration_s = 0.5;
  config.traffic.warmup_packets = 0;
  // A receiver held to at most 20 kpps behind a small buffer: drops at any
  // machine speed.
  config.receive.receiver.inject_cost_ns = 50000;
  config.receive.socket.rcvbuf_bytes = 64 * 1024;
  config.receive.socket.kernel_timestamps = true;

  RunResult r;
  std::thread([&] { r = RunOnce(config); }).join();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.path, "veth");
  ASSERT_TRUE(r.napi_id.has_value());
  EXPECT_NE(*r.napi_id, 0u) << "no NAPI instance: not the veth path";
  EXPECT_GT(r.packets_delivered, 0u);
  EXPECT_GT(r.kernel_drops, 0u) << "no overload: the test proves nothing";
  EXPECT_EQ(r.unexplained_packets, 0) << "sent " << r.packets_sent << " delivered " << r.packets_delivered
                                      << " kernel drops " << r.kernel_drops;
  // The receiver's namespace counts its sockets' drops: ours at least.
  ASSERT_TRUE(r.host_rcvbuf_errors.has_value());
  EXPECT_GE(*r.host_rcvbuf_errors, r.kernel_drop_datagrams);
}

}  // namespace
}  // namespace rxbench::harness
