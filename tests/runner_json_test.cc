// The results file is a data contract (Google Benchmark's JSON format plus
// rxbench's fields): two real repetitions of `baseline` through RunOnce, turned
// into JSON by ResultsJson and parsed back, must carry every documented field
// with the right types and values. Also: `--measure minimal` still counts, and
// says nothing about a measuring cost it did not have.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

#include "harness/results_json.h"
#include "harness/runner.h"
#include "receivers/strategy.h"

namespace rxbench::harness {
namespace {

RunConfig BaselineConfig() {
  RunConfig config;
  const auto spec = receivers::FindPreset("baseline");
  EXPECT_TRUE(spec.has_value());
  if (spec) config.strategy = *spec;
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
    "cpu_ns_per_packet_receiver",
    "latency_p50_ns",
    "cpu_ns_per_packet_pipeline",
    "cpu_ns_per_packet_process",
    "user_ns_per_packet_receiver",
    "sys_ns_per_packet_receiver",
    "ctx_switches_per_packet",
    "syscalls_per_packet",
    "latency_p90_ns",
    "latency_p99_ns",
    "latency_p999_ns",
    "latency_max_ns",
    "jitter_rfc3550_us",
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
  const RunConfig config = BaselineConfig();
  std::vector<RunResult> runs;
  for (int i = 0; i < 2; ++i) {
    RunResult r = RunOnce(config);
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.packets_sent, 2000u);
    ASSERT_EQ(r.packets_delivered, r.packets_sent);
    r.repetition_index = i;
    r.repetitions = 2;
    runs.push_back(r);
  }

  // Through text and back, as a reader of the file would see it.
  const nlohmann::json written = ResultsJson(config, runs);
  const nlohmann::json json = nlohmann::json::parse(written.dump(2));
  ASSERT_TRUE(json.is_object());

  // --- context ---------------------------------------------------------------
  ASSERT_TRUE(json.contains("context"));
  const nlohmann::json& c = json["context"];
  for (const char* key : {"date", "host_name", "kernel_release", "gstreamer_version", "rxbench_version"}) {
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
  for (const char* key : {"name", "rate_pps", "payload_bytes", "shape"}) {
    EXPECT_TRUE(scenario.contains(key)) << key;
  }
  EXPECT_EQ(scenario.value("name", ""), "json-test");
  EXPECT_EQ(scenario.value("rate_pps", 0.0), 2000.0);
  EXPECT_EQ(scenario.value("payload_bytes", 0), 1200);
  EXPECT_EQ(scenario.value("shape", ""), "cbr");
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
    ASSERT_TRUE(it.contains("iterations"));
    EXPECT_TRUE(it["iterations"].is_number_integer());
    EXPECT_EQ(it["iterations"].get<std::uint64_t>(), it["packets_delivered"].get<std::uint64_t>());
    EXPECT_EQ(it["iterations"].get<std::uint64_t>(), r.packets_delivered);
    for (const char* key : kIterationNumbers) {
      ASSERT_TRUE(it.contains(key)) << key;
      EXPECT_TRUE(it[key].is_number()) << key << " = " << it[key];
    }
    // recvfrom reads no kernel timestamp: receive -> push is not measured, and
    // the JSON says so with null rather than a zero.
    for (const char* key : {"processing_latency_p50_ns", "processing_latency_p99_ns", "processing_jitter_ns"}) {
      ASSERT_TRUE(it.contains(key)) << key;
      EXPECT_TRUE(it[key].is_null()) << key << " = " << it[key];
    }
    ASSERT_TRUE(it.contains("cpu_time"));
    ASSERT_TRUE(it.contains("real_time"));
    EXPECT_GT(it["cpu_time"].get<double>(), 0.0);
    EXPECT_DOUBLE_EQ(it["cpu_time"].get<double>(), it["cpu_ns_per_packet_receive_path"].get<double>());
    EXPECT_DOUBLE_EQ(it["cpu_time"].get<double>(), r.cpu_ns_per_packet_receive_path);
    EXPECT_GT(it["real_time"].get<double>(), 0.0);
    EXPECT_DOUBLE_EQ(it["real_time"].get<double>(), it["latency_p50_ns"].get<double>());
    EXPECT_DOUBLE_EQ(it["real_time"].get<double>(), r.latency.p50);
    EXPECT_EQ(it["packets_sent"].get<std::uint64_t>(), 2000u);
    EXPECT_EQ(it["unexplained_packets"].get<std::int64_t>(), 0);
    EXPECT_DOUBLE_EQ(it["offered_pps"].get<double>(), 2000.0);
    EXPECT_GT(it["achieved_pps"].get<double>(), 0.0);
    // The pipeline's CPU, thread by thread, adds up to the pipeline's.
    ASSERT_TRUE(it.contains("pipeline_thread_cpu"));
    const nlohmann::json& threads = it["pipeline_thread_cpu"];
    ASSERT_TRUE(threads.is_object());
    EXPECT_GE(threads.size(), 2u) << threads;  // at least the queue's and the jitterbuffer's
    double pipeline = 0;
    for (const auto& [owner, cpu] : threads.items()) {
      EXPECT_GT(cpu["cpu_ns_per_packet"].get<double>(), 0.0) << owner;
      // user/sys come from tick sampling (thread_usage.h): present, not exact.
      EXPECT_TRUE(cpu["user_ns_per_packet"].is_number()) << owner;
      EXPECT_TRUE(cpu["sys_ns_per_packet"].is_number()) << owner;
      pipeline += cpu["cpu_ns_per_packet"].get<double>();
    }
    EXPECT_NEAR(pipeline, it["cpu_ns_per_packet_pipeline"].get<double>(), 1e-6 * pipeline + 1e-9);
    // What measuring cost, timed in place: something, and a part of the path.
    for (const char* key : {"measure_ns_per_packet_sink", "measure_ns_per_packet_receiver", "measure_overhead_pct"}) {
      ASSERT_TRUE(it.contains(key)) << key;
      EXPECT_GT(it[key].get<double>(), 0.0) << key;
    }
    const double measuring =
        it["measure_ns_per_packet_sink"].get<double>() + it["measure_ns_per_packet_receiver"].get<double>();
    const double path = it["cpu_ns_per_packet_receive_path"].get<double>();
    EXPECT_LT(measuring, path);
    EXPECT_NEAR(it["measure_overhead_pct"].get<double>(), 100 * measuring / (path - measuring), 1e-9);
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
    EXPECT_TRUE(a.contains("packets_delivered"));
  }
  EXPECT_EQ(seen, (std::set<std::string>{"mean", "median", "stddev", "cv"}));
  for (const nlohmann::json& a : aggregates) {
    const std::string aggregate = a["aggregate_name"];
    if (aggregate == "mean" || aggregate == "median") {
      EXPECT_DOUBLE_EQ(a["packets_sent"].get<double>(), 2000.0) << aggregate;
      EXPECT_DOUBLE_EQ(a["cpu_time"].get<double>(),
                       (runs[0].cpu_ns_per_packet_receive_path + runs[1].cpu_ns_per_packet_receive_path) / 2)
          << aggregate;
    } else {
      EXPECT_DOUBLE_EQ(a["packets_sent"].get<double>(), 0.0) << aggregate;
    }
  }
}

TEST(RunnerJsonTest, MinimalMeasureStillCounts) {
  RunConfig config = BaselineConfig();
  config.measure = Measure::kMinimal;
  const RunResult r = RunOnce(config);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.measure, "minimal");
  EXPECT_EQ(r.packets_sent, 2000u);
  EXPECT_EQ(r.packets_delivered, r.packets_sent);
  EXPECT_EQ(r.unexplained_packets, 0);
  const nlohmann::json it = IterationJson(r);
  EXPECT_EQ(it.value("measure", ""), "minimal");
  // Latency and jitter were not measured: null, never a zero.
  for (const char* key : {"latency_p50_ns", "latency_p99_ns", "latency_max_ns", "jitter_rfc3550_us"}) {
    ASSERT_TRUE(it.contains(key)) << key;
    EXPECT_TRUE(it[key].is_null()) << key << " = " << it[key];
  }
  // Nothing per packet was measured, so nothing is said about its cost.
  for (const char* key : {"measure_ns_per_packet_sink", "measure_ns_per_packet_receiver", "measure_overhead_pct"}) {
    EXPECT_FALSE(it.contains(key)) << key;
  }
  EXPECT_EQ(it["iterations"].get<std::uint64_t>(), r.packets_sent);
}


// Kernel receive timestamps are opt-in. With them, a control-message-reading
// strategy splits send -> sink at the kernel's receive time, which lies between
// the send and the sink; without them it says so instead of pretending.
TEST(RunnerKernelTimestamps, OptInSplitsLatencyAtTheKernel) {
  RunConfig config = BaselineConfig();
  config.strategy = *receivers::FindPreset("combined-list");
  RunResult off = RunOnce(config);
  ASSERT_TRUE(off.ok) << off.error;
  EXPECT_FALSE(off.kernel_timestamps);
  EXPECT_EQ(off.socket_drops_rxq_ovfl, -1);  // not read: the option is off

  config.kernel_timestamps = true;
  RunResult on = RunOnce(config);
  ASSERT_TRUE(on.ok) << on.error;
  EXPECT_TRUE(on.kernel_timestamps);
  EXPECT_EQ(on.network.count, on.packets_delivered);
  EXPECT_GT(on.network.p50, 0);
  EXPECT_LT(on.network.p50, on.latency.p50);
  EXPECT_EQ(on.processing.count, on.packets_delivered);  // kernel receive -> push
  EXPECT_EQ(on.unstamped_packets, 0u);                   // stamps survived the pipeline
  EXPECT_EQ(on.pipeline.count, on.packets_delivered);
  EXPECT_EQ(off.processing.count, 0u);                   // not measured without it
  EXPECT_EQ(on.unexplained_packets, 0);

  // recvfrom cannot read control messages: its receive time is user space.
  config.strategy = *receivers::FindPreset("baseline");
  RunResult baseline = RunOnce(config);
  ASSERT_TRUE(baseline.ok) << baseline.error;
  EXPECT_FALSE(baseline.kernel_timestamps);
  EXPECT_EQ(baseline.pipeline.count, baseline.packets_delivered);  // push -> sink still measured
  EXPECT_EQ(baseline.unstamped_packets, 0u);
}


// A pipeline that fails while streaming: the run fails with the pipeline's own
// error (not a drain time-out), and everything is torn down before RunOnce
// returns (ASan/TSan runs would catch a probe called after it).
TEST(RunnerFailures, StreamingErrorIsReportedAsIs) {
  RunConfig config = BaselineConfig();
  config.traffic.duration_s = 0.3;
  config.pipeline = "appsrc name=src ! capsfilter caps=video/x-raw ! fakesink name=sink";
  const RunResult r = RunOnce(config);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.find("end-of-stream"), std::string::npos) << r.error;
  EXPECT_FALSE(r.error.empty());
}

}  // namespace
}  // namespace rxbench::harness
