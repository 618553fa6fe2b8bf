// The results file is a data contract (Google Benchmark's JSON format plus
// rxbench's fields): two real repetitions of `baseline` through RunOnce, turned
// into JSON by ResultsJson and parsed back, must carry every documented field
// with the right types and values. Also: `--measure minimal` still counts, and
// says nothing about a measuring cost it did not have.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "receivers/strategy.h"
#include "results/results_json.h"
#include "run/runner.h"

namespace rxbench::harness {
namespace {

spec::RunSpec BaselineConfig() {
  spec::RunSpec config;
  const auto spec = receivers::FindPreset("baseline");
  EXPECT_TRUE(spec.has_value());
  if (spec) config.receive.receiver.strategy = *spec;
  config.scenario = "json-test";
  config.traffic.rate_pps = 2000;
  config.traffic.duration_s = 1;
  config.traffic.payload_bytes = 1200;
  config.traffic.shape = traffic_gen::Shape::kCbr;
  return config;
}

const char* const kIterationNumbers[] = {
    "packets_sent",
    "packets_received",
    "packets_delivered",
    "warmup_packets",
    "window_packets",
    "window_s",
    "cpu_ns_per_packet_receiver",
    "latency_p50_ns",
    "cpu_ns_per_packet_pipeline",
    "cpu_ns_per_packet_process",
    "unattributed_cpu_ns_per_packet",
    "ctx_switches_per_packet",
    "syscalls_per_packet",
    "receive_calls_per_packet",
    "latency_p90_ns",
    "latency_p99_ns",
    "latency_p999_ns",
    "latency_max_ns",
    "jitter_rfc3550_us",
    "jitter_rfc3550_mean_us",
    "jitter_rfc3550_p50_us",
    "jitter_rfc3550_p99_us",
    "jitter_rfc3550_max_us",
    "jitter_d_abs_mean_us",
    "jitter_d_abs_p50_us",
    "jitter_d_abs_p99_us",
    "jitter_d_abs_max_us",
    "kernel_drops",
    "malformed",
    "truncated",
    "pipeline_drops",
    "seq_gaps",
    "duplicates",
    "reordered",
    "unexplained_packets",
    "generator_cpu_ns_per_packet",
    "offered_pps",
    "achieved_pps",
};

TEST(RunnerJsonTest, TwoRepetitionsMakeGoogleBenchmarkJson) {
  spec::RunSpec config = BaselineConfig();
  config.traffic.warmup_packets = 300;
  config.receive.measurement.count_syscalls = true;
  std::vector<RunResult> runs;
  for (int i = 0; i < 2; ++i) {
    RunResult r = RunOnce(config);
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.packets_sent, 2300u);
    ASSERT_EQ(r.packets_delivered, r.packets_sent);
    r.repetition_index = i;
    r.repetitions = 2;
    runs.push_back(r);
  }

  // Through text and back, as a reader of the file would see it.
  const nlohmann::json written = ResultsJson(SettingsJson(config), runs);
  const nlohmann::json json = nlohmann::json::parse(written.dump(2));
  ASSERT_TRUE(json.is_object());

  // --- context ---------------------------------------------------------------
  ASSERT_TRUE(json.contains("context"));
  const nlohmann::json& c = json["context"];
  for (const char* key : {"date", "host_name", "cpu_model", "kernel_release", "gstreamer_version", "rxbench_version"}) {
    ASSERT_TRUE(c.contains(key)) << key;
    EXPECT_TRUE(c[key].is_string()) << key;
    EXPECT_FALSE(c[key].get<std::string>().empty()) << key;
  }
  ASSERT_TRUE(c.contains("num_cpus"));
  EXPECT_TRUE(c["num_cpus"].is_number_integer());
  EXPECT_GE(c["num_cpus"].get<int>(), 1);
  ASSERT_TRUE(c.contains("scenario"));
  const nlohmann::json& scenario = c["scenario"];
  ASSERT_TRUE(scenario.is_object());
  EXPECT_EQ(scenario.value("name", ""), "json-test");
  EXPECT_EQ(scenario.value("rate_pps", 0.0), 2000.0);
  EXPECT_EQ(scenario.value("payload_bytes", 0), 1200);
  EXPECT_EQ(scenario.value("shape", ""), "cbr");
  EXPECT_EQ(c.value("warmup_packets", 0), 300);
  ASSERT_TRUE(c.contains("counters_available"));
  EXPECT_TRUE(c["counters_available"].is_array());
  ASSERT_TRUE(c.contains("counters_unavailable"));
  EXPECT_TRUE(c["counters_unavailable"].is_object());

  // --- iterations ------------------------------------------------------------
  ASSERT_TRUE(json.contains("benchmarks"));
  const nlohmann::json& benchmarks = json["benchmarks"];
  ASSERT_TRUE(benchmarks.is_array());
  const std::string name = "baseline/json-test";
  std::vector<nlohmann::json> iterations, aggregates;
  for (const nlohmann::json& b : benchmarks) {
    ASSERT_TRUE(b.contains("run_type"));
    if (b["run_type"] == "iteration") iterations.push_back(b);
    else if (b["run_type"] == "aggregate") aggregates.push_back(b);
    else ADD_FAILURE() << "unknown run_type " << b["run_type"];
  }
  ASSERT_EQ(iterations.size(), 2u);
  for (std::size_t i = 0; i < iterations.size(); ++i) {
    SCOPED_TRACE("iteration " + std::to_string(i));
    const nlohmann::json& it = iterations[i];
    const RunResult& r = runs[i];
    EXPECT_EQ(it.value("name", ""), name);
    EXPECT_EQ(it.value("run_name", ""), name);
    EXPECT_EQ(it.value("repetitions", -1), 2);
    EXPECT_EQ(it.value("repetition_index", -1), static_cast<int>(i));
    EXPECT_EQ(it.value("threads", -1), 1);
    EXPECT_EQ(it.value("time_unit", ""), "ns");
    for (const char* key : kIterationNumbers) {
      ASSERT_TRUE(it.contains(key)) << key;
      EXPECT_TRUE(it[key].is_number()) << key << " = " << it[key];
    }
    // The warm-up went through before the window opened: the window holds
    // exactly the measured stream, and `iterations` counts it.
    EXPECT_EQ(it["warmup_packets"].get<std::uint64_t>(), 300u);
    EXPECT_EQ(it["window_packets"].get<std::uint64_t>(), 2000u);
    EXPECT_EQ(it["iterations"].get<std::uint64_t>(), 2000u);
    EXPECT_EQ(it["latency_detail"]["send_to_sink"]["count"].get<std::uint64_t>(), 2000u);
    EXPECT_GT(it["window_s"].get<double>(), 0.9);  // 2000 packets at 2 kpps
    // recvfrom reads no kernel timestamp: receive -> push is not measured, and
    // the JSON says so with null rather than a zero.
    for (const char* key : {"processing_latency_p50_ns", "processing_latency_p99_ns", "processing_jitter_ns"}) {
      ASSERT_TRUE(it.contains(key)) << key;
      EXPECT_TRUE(it[key].is_null()) << key << " = " << it[key];
    }
    EXPECT_GT(it["cpu_time"].get<double>(), 0.0);
    EXPECT_DOUBLE_EQ(it["cpu_time"].get<double>(), it["cpu_ns_per_packet_receive_path"].get<double>());
    // real_time: the window's wall time per packet (schema_version 1).
    EXPECT_DOUBLE_EQ(it["real_time"].get<double>(), it["window_s"].get<double>() * 1e9 / 2000);
    EXPECT_DOUBLE_EQ(it["latency_p50_ns"].get<double>(), r.latency.p50);
    EXPECT_EQ(it["unexplained_packets"].get<std::int64_t>(), 0);
    EXPECT_DOUBLE_EQ(it["offered_pps"].get<double>(), 2000.0);
    // Whether the generator kept up is the machine's doing, not the JSON's:
    // only that it was measured (run_summary_test checks the rule on numbers).
    EXPECT_GT(it["achieved_pps"].get<double>(), 0.0);
    EXPECT_TRUE(it["generator_fell_behind"].is_boolean());
    // The jitter distribution over the run is ordered, and J's last value is
    // one of its samples.
    const double p50 = it["jitter_rfc3550_p50_us"], p99 = it["jitter_rfc3550_p99_us"],
                 max = it["jitter_rfc3550_max_us"];
    EXPECT_LE(p50, p99);
    EXPECT_LE(p99, max);
    EXPECT_LE(it["jitter_rfc3550_us"].get<double>(), max * 1.01 + 0.01);
    EXPECT_LE(it["jitter_d_abs_p50_us"].get<double>(), it["jitter_d_abs_max_us"].get<double>());
    // Every thread over one window: the census saw every thread that worked,
    // so they add up to the process clock (read on its own) within 1 %.
    ASSERT_TRUE(it["thread_cpu"].is_object());
    const nlohmann::json& threads = it["thread_cpu"];
    // Named the same in every repetition (element_names.h).
    for (const char* thread : {"receiver", "generator", "harness", "src", "queue", "rtpjitterbuffer"}) {
      ASSERT_TRUE(threads.contains(thread)) << thread << " in " << threads;
    }
    EXPECT_EQ(threads["receiver"]["role"], "receiver");
    EXPECT_EQ(threads["generator"]["role"], "generator");
    EXPECT_EQ(threads["queue"]["role"], "pipeline");
    const double process = it["cpu_ns_per_packet_process"];
    EXPECT_LE(std::abs(it["unattributed_cpu_ns_per_packet"].get<double>()), 0.01 * process) << "threads: " << threads;
    // What measuring cost, timed in place: something, and a part of the path.
    for (const char* key : {"measure_ns_per_packet_sink", "measure_ns_per_packet_receiver", "measure_overhead_pct"}) {
      ASSERT_TRUE(it.contains(key)) << key;
      EXPECT_GT(it[key].get<double>(), 0.0) << key;
    }
    // Every syscall of the receiver thread, counted by the kernel: recvfrom
    // once per packet, plus the futex wake-ups of its pushes. As root (this
    // test runs outside Bazel's sandbox, whose user namespace forbids
    // tracepoints) it must work; otherwise it must say why.
    EXPECT_NEAR(it["receive_calls_per_packet"].get<double>(), 1.0, 0.05);
    if (geteuid() == 0) {
      EXPECT_EQ(it["syscalls_counted"], "all") << it.value("syscalls_unavailable", "");
      EXPECT_GT(it["syscalls_per_packet"].get<double>(), it["receive_calls_per_packet"].get<double>());
      EXPECT_GT(it["futex_calls_per_packet"].get<double>(), 0.0);
    } else {
      EXPECT_EQ(it["syscalls_counted"], "strategy");
      EXPECT_FALSE(it.value("syscalls_unavailable", "").empty());
    }
  }

  // --- aggregates ------------------------------------------------------------
  std::set<std::string> seen;
  for (const nlohmann::json& a : aggregates) {
    ASSERT_TRUE(a.contains("aggregate_name"));
    const std::string aggregate = a["aggregate_name"];
    SCOPED_TRACE("aggregate " + aggregate);
    EXPECT_TRUE(seen.insert(aggregate).second) << "twice";
    EXPECT_EQ(a.value("name", ""), name + "_" + aggregate);
    EXPECT_EQ(a.value("run_name", ""), name);
    EXPECT_EQ(a.value("repetitions", -1), 2);
    EXPECT_EQ(a.value("time_unit", ""), "ns");
    EXPECT_TRUE(a.contains("cpu_time"));
    EXPECT_TRUE(a.contains("real_time"));
    // A count is not a measurement to average.
    EXPECT_FALSE(a.contains("packets_delivered"));
    EXPECT_EQ(a["aggregate_counts"]["cpu_time"], 2);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"mean", "median", "stddev", "cv"}));
  for (const nlohmann::json& a : aggregates) {
    const std::string aggregate = a["aggregate_name"];
    if (aggregate == "mean" || aggregate == "median") {
      EXPECT_DOUBLE_EQ(a["cpu_time"].get<double>(),
                       (runs[0].cpu_ns_per_packet_receive_path + runs[1].cpu_ns_per_packet_receive_path) / 2)
          << aggregate;
    }
  }
}

// Each figure lands under its own name: a RunResult whose fields all differ
// is written, and every documented name carries its own value.
TEST(RunnerJsonTest, EveryFigureUnderItsOwnName) {
  RunResult r;
  r.strategy = "s";
  r.scenario = "x";
  r.packets_sent = 11;
  r.packets_received = 12;
  r.packets_delivered = 13;
  r.kernel_drops = 14;
  r.malformed = 15;
  r.truncated = 16;
  r.pipeline_drops = 17;
  r.in_flight_at_stop = 18;
  r.unexplained_packets = 19;
  r.window_packets = 20;
  r.warmup_packets = 21;
  r.window_s = 0.5;
  r.cpu_ns_per_packet_receiver = 101;
  r.cpu_ns_per_packet_pipeline = 102;
  r.cpu_ns_per_packet_receive_path = 203;
  r.cpu_ns_per_packet_process = 404;
  r.generator_cpu_ns_per_packet = 105;
  r.cpu.unattributed_ns_per_packet = 3.5;
  r.cpu.threads["queue0"] = ThreadCpu{ThreadRole::kPipeline, 60, 10.0, 50.0, 0.25, 0.5, 7.5};
  r.cpu.threads["pipeline:timer"] =
      ThreadCpu{ThreadRole::kPipeline, 42, std::nullopt, std::nullopt, 0, 0, std::nullopt};
  r.cpu.threads["generator"] = ThreadCpu{ThreadRole::kGenerator, 105, std::nullopt, std::nullopt, 0, 0, std::nullopt};
  r.latency.count = 5;
  r.latency.p50 = 1001;
  r.latency.p99 = 1002;
  r.jitter.count = 5;
  r.jitter.p50 = 2000;  // ns
  r.jitter.p99 = 3000;
  r.jitter.max = 4000;
  r.jitter.mean = 2500;
  r.jitter_rfc3550_us = 1.25;
  r.syscalls_per_packet = 1.5;
  r.futex_calls_per_packet = 0.5;
  r.receive_calls_per_packet = 1.0;
  r.syscalls_counted = "all";
  const nlohmann::json j = IterationJson(r);
  EXPECT_EQ(j["packets_sent"], 11);
  EXPECT_EQ(j["packets_received"], 12);
  EXPECT_EQ(j["packets_delivered"], 13);
  EXPECT_EQ(j["kernel_drops"], 14);
  EXPECT_EQ(j["malformed"], 15);
  EXPECT_EQ(j["truncated"], 16);
  EXPECT_EQ(j["pipeline_drops"], 17);
  EXPECT_EQ(j["in_flight_at_stop"], 18);
  EXPECT_EQ(j["unexplained_packets"], 19);
  EXPECT_EQ(j["window_packets"], 20);
  EXPECT_EQ(j["iterations"], 20);
  EXPECT_EQ(j["warmup_packets"], 21);
  EXPECT_EQ(j["cpu_ns_per_packet_receiver"], 101);
  EXPECT_EQ(j["cpu_ns_per_packet_pipeline"], 102);
  EXPECT_EQ(j["cpu_ns_per_packet_receive_path"], 203);
  EXPECT_EQ(j["cpu_time"], 203);
  EXPECT_EQ(j["cpu_ns_per_packet_process"], 404);
  EXPECT_EQ(j["generator_cpu_ns_per_packet"], 105);
  EXPECT_EQ(j["unattributed_cpu_ns_per_packet"], 3.5);
  EXPECT_EQ(j["thread_cpu"]["queue0"]["role"], "pipeline");
  EXPECT_EQ(j["thread_cpu"]["queue0"]["cpu_ns_per_packet"], 60);
  EXPECT_EQ(j["thread_cpu"]["queue0"]["user_ns_per_packet"], 10);
  EXPECT_EQ(j["thread_cpu"]["queue0"]["sys_ns_per_packet"], 50);
  EXPECT_EQ(j["thread_cpu"]["queue0"]["voluntary_switches_per_packet"], 0.25);
  EXPECT_TRUE(j["thread_cpu"]["pipeline:timer"]["user_ns_per_packet"].is_null());
  EXPECT_EQ(j["thread_cpu"]["generator"]["role"], "generator");
  // The pipeline's threads alone, as earlier versions reported them.
  EXPECT_EQ(j["pipeline_thread_cpu"].size(), 2u);
  EXPECT_EQ(j["pipeline_thread_cpu"]["pipeline:timer"]["cpu_ns_per_packet"], 42);
  EXPECT_EQ(j["latency_p50_ns"], 1001);
  EXPECT_EQ(j["latency_p99_ns"], 1002);
  EXPECT_DOUBLE_EQ(j["real_time"].get<double>(), 0.5e9 / 20);
  EXPECT_EQ(j["jitter_rfc3550_us"], 1.25);
  EXPECT_EQ(j["jitter_rfc3550_p50_us"], 2.0);
  EXPECT_EQ(j["jitter_rfc3550_p99_us"], 3.0);
  EXPECT_EQ(j["jitter_rfc3550_max_us"], 4.0);
  EXPECT_EQ(j["jitter_rfc3550_mean_us"], 2.5);
  EXPECT_TRUE(j["jitter_d_abs_p99_us"].is_null());  // count 0: not measured
  EXPECT_EQ(j["syscalls_per_packet"], 1.5);
  EXPECT_EQ(j["futex_calls_per_packet"], 0.5);
  EXPECT_EQ(j["receive_calls_per_packet"], 1.0);
  EXPECT_EQ(j["syscalls_counted"], "all");
  // Without --impair: null, not zeros that would read as "asked, none injected".
  EXPECT_TRUE(j["impairments_injected"].is_null());
  r.impairments_injected = traffic_gen::ImpairmentReport{31, 32, 33};
  const nlohmann::json impaired = IterationJson(r)["impairments_injected"];
  EXPECT_EQ(impaired["losses"], 31);
  EXPECT_EQ(impaired["duplicates"], 32);
  EXPECT_EQ(impaired["reorders"], 33);
}

// Binds a UDP socket to 127.0.0.1:port (0: any); returns the bound port, or 0
// with errno set.
std::uint16_t TryBindLoopback(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  socklen_t len = sizeof addr;
  std::uint16_t bound = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    bound = ntohs(addr.sin_port);
  }
  const int saved = errno;
  close(fd);
  errno = saved;
  return bound;
}

// Whether some UDP socket is bound to 127.0.0.1:port, as the kernel's socket
// table says. Read, not probed by binding: a probe that binds the port for a
// moment can take it just when the run binds (CI once saw the run fail with
// "Address already in use" that way).
bool LoopbackPortBound(std::uint16_t port) {
  std::ifstream table("/proc/net/udp");
  char wanted[16];
  std::snprintf(wanted, sizeof wanted, "0100007F:%04X", port);
  std::string line;
  std::getline(table, line);  // the header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local;
    fields >> slot >> local;
    if (local == wanted) return true;
  }
  return false;
}

// --port: the run receives on the port it was given (the port is taken while
// it runs), not on one of its own choosing.
TEST(RunnerJsonTest, ReceivesOnTheChosenPort) {
  const std::uint16_t port = TryBindLoopback(0);
  ASSERT_NE(port, 0) << "no free port";
  spec::RunSpec config = BaselineConfig();
  config.traffic.duration_s = 0.5;
  config.receive.socket.port = port;
  std::atomic<bool> done{false};
  RunResult r;
  std::thread run([&] {
    r = RunOnce(config);
    done = true;
  });
  bool taken = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done && std::chrono::steady_clock::now() < deadline) {
    if (LoopbackPortBound(port)) taken = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  run.join();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(taken) << "nothing held port " << port << " during the run";
  EXPECT_EQ(r.unexplained_packets, 0);
}

TEST(RunnerJsonTest, MinimalMeasureStillCounts) {
  spec::RunSpec config = BaselineConfig();
  config.receive.measurement.per_packet = false;
  const RunResult r = RunOnce(config);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.measure, "minimal");
  EXPECT_EQ(r.packets_sent, 2000u);
  EXPECT_EQ(r.packets_delivered, r.packets_sent);
  EXPECT_EQ(r.unexplained_packets, 0);
  const nlohmann::json it = IterationJson(r);
  EXPECT_EQ(it.value("measure", ""), "minimal");
  // Latency and jitter were not measured: null, never a zero.
  for (const char* key : {"latency_p50_ns", "latency_p99_ns", "latency_max_ns", "jitter_rfc3550_us",
                          "jitter_rfc3550_p99_us", "jitter_d_abs_p99_us"}) {
    ASSERT_TRUE(it.contains(key)) << key;
    EXPECT_TRUE(it[key].is_null()) << key << " = " << it[key];
  }
  // Nothing per packet was measured, so nothing is said about its cost.
  for (const char* key : {"measure_ns_per_packet_sink", "measure_ns_per_packet_receiver", "measure_overhead_pct"}) {
    EXPECT_FALSE(it.contains(key)) << key;
  }
  EXPECT_EQ(it["iterations"].get<std::uint64_t>(), r.window_packets);
}

// recv=gro over loopback with a GSO sender in lock-step rounds of its
// segments: every send call carries exactly 8 packets (the warm-up and the
// stream are whole rounds), loopback hands each over as one datagram and
// coalesces nothing else, so the counts are exact. A strategy that does not
// read with UDP_GRO says null.
TEST(RunnerJsonTest, GroCountsEachGsoCallAsOneCoalescedDatagram) {
  for (const char* strategy : {"gro", "null+gro", "combined-list"}) {
    SCOPED_TRACE(strategy);
    spec::RunSpec config = BaselineConfig();
    config.receive.receiver.strategy = *receivers::FindPreset(strategy);
    config.traffic.gso_segments = 8;
    config.traffic.lock_step_packets = 8;
    config.traffic.warmup_packets = 80;
    config.traffic.duration_s = 0.5;  // 1000 packets at 2000 pps
    const RunResult r = RunOnce(config);
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.packets_sent, 1080u);
    ASSERT_EQ(r.gso_calls, 135u) << r.gso_refusal;
    EXPECT_EQ(r.packets_received, 1080u);
    EXPECT_EQ(r.unexplained_packets, 0);
    const nlohmann::json j = nlohmann::json::parse(IterationJson(r).dump());
    if (std::string(strategy) == "combined-list") {
      EXPECT_TRUE(j["gro_datagrams"].is_null());
      EXPECT_TRUE(j["gro_coalesced_datagrams"].is_null());
      EXPECT_TRUE(j["gro_segments_per_datagram"].is_null());
      continue;
    }
    EXPECT_EQ(j["gro_datagrams"], 135);
    EXPECT_EQ(j["gro_coalesced_datagrams"], 135);
    EXPECT_EQ(j["gro_segments_per_datagram"], 8.0);
    EXPECT_TRUE(j["veth_napi"].is_null());  // loopback
  }
}

// Kernel receive timestamps are opt-in. With them, a control-message-reading
// strategy splits send -> sink at the kernel's receive time, which lies between
// the send and the sink; without them it says so instead of pretending.
TEST(RunnerKernelTimestamps, OptInSplitsLatencyAtTheKernel) {
  spec::RunSpec config = BaselineConfig();
  config.receive.receiver.strategy = *receivers::FindPreset("combined-list");
  RunResult off = RunOnce(config);
  ASSERT_TRUE(off.ok) << off.error;
  EXPECT_FALSE(off.kernel_timestamps);
  EXPECT_FALSE(off.socket_drops_rxq_ovfl.has_value());  // not read: the option is off

  config.receive.socket.kernel_timestamps = true;
  RunResult on = RunOnce(config);
  ASSERT_TRUE(on.ok) << on.error;
  EXPECT_TRUE(on.kernel_timestamps);
  // Every packet of the measurement window, and only those, is timed.
  EXPECT_EQ(on.network.count, on.window_packets);
  EXPECT_GT(on.network.p50, 0);
  EXPECT_LT(on.network.p50, on.latency.p50);
  EXPECT_EQ(on.processing.count, on.window_packets);  // kernel receive -> push
  EXPECT_EQ(on.unstamped_packets, 0u);                // stamps survived the pipeline
  EXPECT_EQ(on.pipeline.count, on.window_packets);
  EXPECT_EQ(off.processing.count, 0u);  // not measured without it
  EXPECT_EQ(on.unexplained_packets, 0);

  // recvfrom cannot read control messages: its receive time is user space.
  config.receive.receiver.strategy = *receivers::FindPreset("baseline");
  RunResult baseline = RunOnce(config);
  ASSERT_TRUE(baseline.ok) << baseline.error;
  EXPECT_FALSE(baseline.kernel_timestamps);
  EXPECT_EQ(baseline.pipeline.count, baseline.window_packets);  // push -> sink still measured
  EXPECT_EQ(baseline.unstamped_packets, 0u);
}

// A pipeline that fails while streaming: the run fails with the pipeline's own
// error (not a drain time-out), and everything is torn down before RunOnce
// returns (ASan/TSan runs would catch a probe called after it).
TEST(RunnerFailures, StreamingErrorIsReportedAsIs) {
  spec::RunSpec config = BaselineConfig();
  config.traffic.duration_s = 0.3;
  config.receive.pipeline.description = "appsrc name=src ! capsfilter caps=video/x-raw ! fakesink name=sink";
  const RunResult r = RunOnce(config);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.find("end-of-stream"), std::string::npos) << r.error;
  EXPECT_FALSE(r.error.empty());
}

// A sink that does not consume (it waits an hour for each buffer's time): the
// drain sees nothing delivered for Pipeline::kStallNs, flushes the pipeline and
// stops it, and the run still explains every packet: what the elements held is
// counted as their drops.
TEST(RunnerFailures, StalledPipelineIsFlushedAndAccounted) {
  spec::RunSpec config = BaselineConfig();
  config.traffic.rate_pps = 1000;
  config.traffic.duration_s = 0.3;
  config.traffic.warmup_packets = 0;
  config.receive.pipeline.description =
      "appsrc name=src is-live=true format=time do-timestamp=true ! queue "
      "! fakesink name=sink sync=true ts-offset=3600000000000 async=false enable-last-sample=false";
  const auto start = std::chrono::steady_clock::now();
  const RunResult r = RunOnce(config);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.pipeline_flushed);
  EXPECT_EQ(r.packets_sent, 300u);
  EXPECT_LE(r.packets_delivered, 2u);  // the first buffer reached the sink's pad, then it waited
  EXPECT_GE(r.pipeline_drops, 298u);
  EXPECT_EQ(r.unexplained_packets, 0);
  // The sink would wait an hour: 60 s catches that and holds on any machine.
  EXPECT_LT(seconds, 60.0) << "the drain waited for a sink that never consumes";
}

}  // namespace
}  // namespace rxbench::harness
