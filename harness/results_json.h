// The results file: Google Benchmark's JSON format, so Google's own compare.py
// reads it. `context` describes the machine and the scenario; `benchmarks` has
// one "iteration" entry per repetition and, with repetitions > 1, "aggregate"
// entries (mean, median, stddev, cv) per strategy. Field names are a data
// contract: later versions add fields, never change these.
//
//   cpu_time  = receive-path CPU ns per delivered packet (receiver + pipeline)
//   real_time = median send -> sink latency per packet, ns
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "harness/run_result.h"
#include "harness/runner.h"

namespace rxbench::harness {

// Machine, build and scenario description for `context`.
nlohmann::json ContextJson(const RunConfig& config, const std::vector<RunResult>& runs);

// One benchmark entry for one repetition.
nlohmann::json IterationJson(const RunResult& run);

// Aggregate entries (mean, median, stddev, cv) over the repetitions of one
// strategy: every numeric field is aggregated.
std::vector<nlohmann::json> AggregateJson(const std::vector<nlohmann::json>& iterations);

// `invocation`: what the command line adds to `context` (command_line, and
// for compare the analysis options the wrapper's statistics read).
nlohmann::json ResultsJson(const RunConfig& config, const std::vector<RunResult>& runs,
                           const nlohmann::json& invocation = nlohmann::json::object());

// Writes pretty JSON atomically (output_files.h); false with *error.
bool WriteJsonFile(const std::string& path, const nlohmann::json& json, std::string* error);

// rxbench's version: $RXBENCH_VERSION (set by ./rxbench from git describe).
std::string RxbenchVersion();

}  // namespace rxbench::harness
