// The results file's meaning for Google Benchmark's tools and for readers of
// older files: what real_time and cpu_time are, which fields the aggregates
// take, and how many values each aggregate rests on. Hand-made repetitions
// with exact numbers, a null among them.
#include "results/results_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rxbench::harness {
namespace {

nlohmann::json Repetition(int index, double cpu, double real, nlohmann::json latency, int sent) {
  return {{"name", "s/x"},
          {"run_name", "s/x"},
          {"run_type", "iteration"},
          {"strategy", "s"},
          {"scenario", "x"},
          {"repetition_index", index},
          {"repetitions", 3},
          {"threads", 1},
          {"iterations", sent},
          {"cpu_time", cpu},
          {"real_time", real},
          {"cpu_ns_per_packet_receiver", cpu / 2},
          {"latency_p50_ns", latency},
          {"processing_jitter_ns", nullptr},
          {"offered_pps", 1000.0},
          {"window_s", 2.0},
          {"packets_sent", sent},
          {"kernel_drops", index},
          {"buffer_allocations", 64},
          {"pipeline_threads", 3},
          {"ok", true},
          {"kernel_timestamps", false},
          {"run_id", "abc"}};
}

const nlohmann::json* Find(const std::vector<nlohmann::json>& aggregates, const std::string& name) {
  for (const nlohmann::json& a : aggregates) {
    if (a["aggregate_name"] == name) return &a;
  }
  return nullptr;
}

TEST(AggregateJson, OnlyMeasurementsWithTheirCounts) {
  const std::vector<nlohmann::json> reps = {Repetition(0, 100, 1000, 5000.0, 2000),
                                            Repetition(1, 200, 1200, nullptr, 2002),
                                            Repetition(2, 600, 1100, 7000.0, 2004)};
  const std::vector<nlohmann::json> aggregates = AggregateJson(reps);
  ASSERT_EQ(aggregates.size(), 4u);
  const nlohmann::json& mean = *Find(aggregates, "mean");
  const nlohmann::json& median = *Find(aggregates, "median");
  const nlohmann::json& stddev = *Find(aggregates, "stddev");
  const nlohmann::json& cv = *Find(aggregates, "cv");

  EXPECT_DOUBLE_EQ(mean["cpu_time"].get<double>(), 300.0);
  EXPECT_DOUBLE_EQ(median["cpu_time"].get<double>(), 200.0);
  EXPECT_DOUBLE_EQ(mean["real_time"].get<double>(), 1100.0);
  EXPECT_DOUBLE_EQ(mean["cpu_ns_per_packet_receiver"].get<double>(), 150.0);
  EXPECT_DOUBLE_EQ(stddev["real_time"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(cv["real_time"].get<double>(), 100.0 / 1100.0);
  EXPECT_DOUBLE_EQ(mean["offered_pps"].get<double>(), 1000.0);
  EXPECT_DOUBLE_EQ(mean["window_s"].get<double>(), 2.0);

  // One repetition did not measure latency: the aggregate rests on two values
  // and says so.
  EXPECT_DOUBLE_EQ(mean["latency_p50_ns"].get<double>(), 6000.0);
  for (const nlohmann::json* a : {&mean, &median, &stddev, &cv}) {
    SCOPED_TRACE(a->at("aggregate_name").get<std::string>());
    const nlohmann::json& counts = a->at("aggregate_counts");
    EXPECT_EQ(counts["cpu_time"], 3);
    EXPECT_EQ(counts["real_time"], 3);
    EXPECT_EQ(counts["latency_p50_ns"], 2);
    EXPECT_EQ(counts["processing_jitter_ns"], 0);
    // Never measured: null, not 0.
    EXPECT_TRUE(a->at("processing_jitter_ns").is_null());
    // Counts, settings, ids and flags are not averaged.
    for (const char* key : {"packets_sent", "kernel_drops", "iterations", "buffer_allocations", "pipeline_threads",
                            "repetition_index", "ok", "kernel_timestamps", "run_id"}) {
      EXPECT_FALSE(a->contains(key) && a->at(key).is_number() && counts.contains(key)) << key;
      EXPECT_FALSE(counts.contains(key)) << key;
    }
    EXPECT_FALSE(a->contains("packets_sent"));
    EXPECT_EQ(a->at("repetitions"), 3);
    EXPECT_EQ(a->at("schema_version"), kResultsSchemaVersion);
  }
}

TEST(AggregateJson, OneValueHasNoSpread) {
  const std::vector<nlohmann::json> aggregates =
      AggregateJson({Repetition(0, 100, 1000, nullptr, 1), Repetition(1, 300, 1000, 4000.0, 1)});
  EXPECT_DOUBLE_EQ(Find(aggregates, "mean")->at("latency_p50_ns").get<double>(), 4000.0);
  EXPECT_TRUE(Find(aggregates, "stddev")->at("latency_p50_ns").is_null());
  EXPECT_TRUE(Find(aggregates, "cv")->at("latency_p50_ns").is_null());
  EXPECT_DOUBLE_EQ(Find(aggregates, "stddev")->at("real_time").get<double>(), 0.0);
}

TEST(AggregateJson, WhichFields) {
  for (const char* key : {"cpu_time", "real_time", "cpu_ns_per_packet_receive_path", "latency_p99_ns",
                          "jitter_rfc3550_p99_us", "jitter_rfc3550_rtp", "achieved_pps", "wall_time_s",
                          "measure_overhead_pct", "cycles_per_packet", "ctx_switches_per_packet"}) {
    EXPECT_TRUE(IsAggregated(key)) << key;
  }
  for (const char* key :
       {"packets_sent", "window_packets", "iterations", "repetitions", "threads", "kernel_drops", "unexplained_packets",
        "gso_calls", "ring_rearms", "warmup_packets", "run_id", "schema_version", "buffer_exhausted"}) {
    EXPECT_FALSE(IsAggregated(key)) << key;
  }
}

// real_time is what a Google Benchmark user expects of it: time per
// iteration (= packet), here the wall time of the window per packet; the
// latency keeps its own fields.
TEST(IterationJson, RealTimeIsWallTimePerPacket) {
  RunResult r;
  r.strategy = "s";
  r.scenario = "x";
  r.window_packets = 4000;
  r.window_s = 2.0;
  r.cpu_ns_per_packet_receive_path = 321;
  r.latency.count = 10;
  r.latency.p50 = 77000;
  const nlohmann::json j = IterationJson(r);
  EXPECT_DOUBLE_EQ(j["real_time"].get<double>(), 500000.0);
  EXPECT_DOUBLE_EQ(j["cpu_time"].get<double>(), 321.0);
  EXPECT_DOUBLE_EQ(j["latency_p50_ns"].get<double>(), 77000.0);
  EXPECT_EQ(j["iterations"], 4000);
  EXPECT_EQ(j["schema_version"], kResultsSchemaVersion);
  EXPECT_EQ(kResultsSchemaVersion, 1);
}

// The wall-clock tier's covariates: per thread beside its switches, for the
// receiver, the receive side and the machine; null where unknown, and the
// aggregates take them.
TEST(IterationJson, RunQueueWaitAndStealWhereKnown) {
  RunResult r;
  r.strategy = "s";
  r.scenario = "x";
  r.cpu.threads["receiver"] = ThreadCpu{ThreadRole::kReceiver, 900, std::nullopt, std::nullopt, 0.5, 0.25, 120.0};
  r.cpu.threads["queue0"] = ThreadCpu{ThreadRole::kPipeline, 300, std::nullopt, std::nullopt, 0, 0, std::nullopt};
  r.cpu.receiver.run_queue_wait_ns_per_packet = 120.0;
  r.cpu.run_queue_wait_ns_per_packet_receive_side = 175.5;
  r.cpu.machine_steal_ns = 40'000'000;
  r.cpu.machine_steal_ns_per_packet = 2000.0;
  const nlohmann::json j = IterationJson(r);
  EXPECT_EQ(j["thread_cpu"]["receiver"]["run_queue_wait_ns_per_packet"], 120.0);
  EXPECT_TRUE(j["thread_cpu"]["queue0"]["run_queue_wait_ns_per_packet"].is_null());
  EXPECT_EQ(j["run_queue_wait_ns_per_packet"], 120.0);
  EXPECT_EQ(j["run_queue_wait_ns_per_packet_receive_side"], 175.5);
  EXPECT_EQ(j["machine_steal_ns"], 40'000'000);
  EXPECT_EQ(j["machine_steal_ns_per_packet"], 2000.0);
  for (const char* key : {"run_queue_wait_ns_per_packet", "run_queue_wait_ns_per_packet_receive_side",
                          "machine_steal_ns", "machine_steal_ns_per_packet"}) {
    EXPECT_TRUE(IsAggregated(key)) << key;
  }
}

TEST(IterationJson, RunQueueWaitAndStealNullWhenUnknown) {
  RunResult r;
  r.strategy = "s";
  r.scenario = "x";
  r.cpu.threads["receiver"] =
      ThreadCpu{ThreadRole::kReceiver, 900, std::nullopt, std::nullopt, 0.5, 0.25, std::nullopt};
  const nlohmann::json j = IterationJson(r);
  ASSERT_TRUE(j["thread_cpu"]["receiver"].contains("run_queue_wait_ns_per_packet"));
  EXPECT_TRUE(j["thread_cpu"]["receiver"]["run_queue_wait_ns_per_packet"].is_null());
  for (const char* key : {"run_queue_wait_ns_per_packet", "run_queue_wait_ns_per_packet_receive_side",
                          "machine_steal_ns", "machine_steal_ns_per_packet"}) {
    ASSERT_TRUE(j.contains(key)) << key;
    EXPECT_TRUE(j[key].is_null()) << key;
  }
}

}  // namespace
}  // namespace rxbench::harness
