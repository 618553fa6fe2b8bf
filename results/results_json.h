// The results file: Google Benchmark's JSON format, so Google's own compare.py
// reads it. `context` describes the machine and the scenario; `benchmarks` has
// one "iteration" entry per repetition and, with repetitions > 1, "aggregate"
// entries (mean, median, stddev, cv) per strategy. Field names are a data
// contract: later versions add fields, never change these.
//
//   cpu_time  = receive-path CPU ns per delivered packet (receiver + pipeline)
//   real_time = wall ns of the measured window per delivered packet
//               (schema_version 1; in version 0 files, without the field, it
//               was the p50 latency, which is latency_p50_ns in both)
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "results/run_result.h"
#include "spec/run_spec.h"

namespace rxbench::harness {

// The run's settings as `context` states them, written from the run's one
// model of them (spec/run_spec.h): the scenario and the traffic when known
// (`recv` knows them only from the sender's plan: nullptr, and they are null)
// and the receive side.
nlohmann::json SettingsJson(const std::string& scenario, const traffic_gen::TrafficSpec* traffic,
                            const spec::ReceiveSideSpec& receive);
nlohmann::json SettingsJson(const spec::RunSpec& spec);

// What the reports must take from the harness instead of re-typing it: the
// strategies in `rxbench list` order (name, description, role, receiver kind
// and the policies they are made of; null where a kind has no such policy),
// the default comparison reference and the thread-name rules
// (thread_roles.h). `rxbench list --json` prints it and every results file
// carries it as context.catalogue.
nlohmann::json CatalogueJson();

// `settings` (above) with the machine and build: the whole `context`.
nlohmann::json ContextJson(const nlohmann::json& settings, const std::vector<RunResult>& runs);

// One benchmark entry for one repetition.
nlohmann::json IterationJson(const RunResult& run);

// What real_time means (above), in `context` and in every entry, so that an
// entry stored on its own (the history) still says it. Raised when a field's
// meaning changes; readers convert older versions (reports/results/load.py).
constexpr int kResultsSchemaVersion = 1;

// Whether a field is a measurement that averages meaningfully over
// repetitions: a time, rate, per-packet cost, latency or jitter, told by its
// name (cpu_time, real_time, *per_packet*, *_ns, *_us, *_s, *_pps, *_pct,
// *_rtp). Counts, ids, flags and settings are not.
bool IsAggregated(const std::string& key);

// Aggregate entries (mean, median, stddev, cv) over the repetitions of one
// strategy, of the fields IsAggregated() takes. A null (not measured) value
// is left out; `aggregate_counts` gives, per field, how many values each
// aggregate rests on, and a field with too few (none; one for stddev and cv)
// is null.
std::vector<nlohmann::json> AggregateJson(const std::vector<nlohmann::json>& iterations);

// `invocation`: what the command line adds to `context` (command_line, and
// for compare the analysis options the wrapper's statistics read).
nlohmann::json ResultsJson(const nlohmann::json& settings, const std::vector<RunResult>& runs,
                           const nlohmann::json& invocation = nlohmann::json::object());

// Writes pretty JSON atomically (output_files.h); false with *error.
bool WriteJsonFile(const std::string& path, const nlohmann::json& json, std::string* error);

// rxbench's version: $RXBENCH_VERSION (set by ./rxbench from git describe).
std::string RxbenchVersion();

}  // namespace rxbench::harness
