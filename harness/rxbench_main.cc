// rxbench: benchmark and profiling harness for UDP/RTP video receive paths.
// This file is the command line only: it parses options into RunConfigs, asks
// the runner for results and hands them to the reporters.
//
// Exit codes: 0 ok, 1 a run failed, 2 usage or configuration error (one line on
// stderr saying what is wrong).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "harness/console_table.h"
#include "harness/pipeline.h"
#include "harness/results_json.h"
#include "harness/runner.h"
#include "harness/scenario.h"
#include "receivers/strategy.h"

namespace rxbench::harness {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRunFailed = 1;
constexpr int kExitUsage = 2;

struct UsageError {
  std::string message;
};

// Warm-up before the measurement window, chosen by measurement (README,
// "Warm-up").
constexpr char kDefaultWarmup[] = "1000";

// "500" packets, or "0.25s" of the scenario's rate.
std::uint64_t ParseWarmup(const std::string& text, double rate_pps) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  const std::string unit = end != nullptr ? end : "";
  if (end == text.c_str() || !(value >= 0) || (unit != "" && unit != "s")) {
    throw UsageError{"--warmup " + text + ": want a packet count (500) or seconds (0.25s)"};
  }
  return static_cast<std::uint64_t>(unit == "s" ? value * rate_pps + 0.5 : value);
}

// Options shared by run and compare.
struct Options {
  std::string scenario;
  std::optional<double> rate, bitrate, fps, duration;
  std::optional<std::size_t> payload;
  std::optional<std::uint64_t> packets;
  std::string shape;
  int repetitions = 1;
  std::string buffer, sync, recv, push;
  int batch = 0;
  std::size_t buffer_size = 4096, pool_size = 1024;
  int rcvbuf = 4 << 20;
  std::string pipeline;
  std::string measure = "full";
  bool kernel_timestamps = false;
  // Hardware counters by default: read where the machine has a PMU, reported
  // as unavailable (with the reason) where it has not.
  std::vector<std::string> counters = {"cycles", "instructions", "cache-misses", "branch-misses"};
  int cpu_receiver = -1, cpu_generator = -1, cpu_pipeline = -1;
  std::string warmup = kDefaultWarmup;
  unsigned send_batch = 1;
  bool tx_timestamps = false;
  bool no_syscall_count = false;
};

void AddScenarioOptions(CLI::App* app, Options* o) {
  app->add_option("--scenario", o->scenario, "named scenario (see `rxbench list`); default: default");
  app->add_option("--rate", o->rate, "packets per second")->check(CLI::PositiveNumber);
  app->add_option("--bitrate", o->bitrate, "bits per second on the wire (alternative to --rate)")
      ->check(CLI::PositiveNumber)->excludes("--rate");
  app->add_option("--payload", o->payload, "RTP payload bytes (>= 16)");
  app->add_option("--shape", o->shape, "cbr (evenly paced) or burst (frames back to back)")
      ->check(CLI::IsMember({"cbr", "burst"}));
  app->add_option("--fps", o->fps, "frames per second for --shape burst")->check(CLI::PositiveNumber);
  app->add_option("--duration", o->duration, "seconds of traffic")->check(CLI::PositiveNumber);
  app->add_option("--packets", o->packets, "exact packet count (overrides --duration)");
  app->add_option("--buffer", o->buffer, "buffer source override: alloc, gstpool, freelist")
      ->check(CLI::IsMember({"alloc", "gstpool", "freelist"}));
  app->add_option("--sync", o->sync, "stop/stats sync override: mutex, atomic")->check(CLI::IsMember({"mutex", "atomic"}));
  app->add_option("--recv", o->recv, "receive call override: recvfrom, recvmmsg, iouring")
      ->check(CLI::IsMember({"recvfrom", "recvmmsg", "iouring"}));
  app->add_option("--push", o->push, "push override: single, list")->check(CLI::IsMember({"single", "list"}));
  app->add_option("--batch", o->batch, "datagrams per recvmmsg / io_uring batch (default 32)")
      ->check(CLI::Range(1, 1024));
  app->add_option("--buffer-size", o->buffer_size, "bytes per receive buffer (default 4096)")
      ->check(CLI::Range(64, 65536));
  app->add_option("--pool-size", o->pool_size, "buffers in a pool or ring (default 1024)")->check(CLI::Range(1, 1 << 20));
  app->add_option("--rcvbuf", o->rcvbuf, "receive socket buffer bytes (default 4 MiB)")->check(CLI::Range(0, 1 << 30));
  app->add_option("--pipeline", o->pipeline, "pipeline description with 'appsrc name=src' and an element 'name=sink'");
  app->add_option("--measure", o->measure, "full: per-packet timestamps and histograms; minimal: counts only")
      ->check(CLI::IsMember({"full", "minimal"}));
  app->add_flag("--kernel-timestamps", o->kernel_timestamps,
                "kernel receive timestamps (SO_TIMESTAMPNS) and drop counts (SO_RXQ_OVFL) as control messages, "
                "for every strategy; costs kernel time per datagram");
  app->add_option("--counters", o->counters, "receiver-thread counters, perf stat -e names (default cycles,instructions,cache-misses,branch-misses; software events are added when no hardware counter can be read)")
      ->delimiter(',');
  app->add_option("--cpu-receiver", o->cpu_receiver, "pin the receiver thread to this CPU");
  app->add_option("--cpu-generator", o->cpu_generator, "pin the generator thread to this CPU");
  app->add_option("--cpu-pipeline", o->cpu_pipeline,
                  "pin every pipeline thread (streaming threads and element-private ones) to this CPU");
  app->add_option("--warmup", o->warmup,
                  "traffic before the measurement window: packets (1000) or seconds (0.25s); default " +
                      std::string(kDefaultWarmup) + " packets");
  app->add_option("--send-batch", o->send_batch,
                  "datagrams per send call (default 1: every packet stamped right before its own send; more: "
                  "sendmmsg batches sharing one stamp, faster but later packets leave after their stamp)")
      ->check(CLI::Range(1, 64));
  app->add_flag("--tx-timestamps", o->tx_timestamps,
                "diagnostic: compare each packet's send stamp with the kernel's TX timestamp (send_stamp_error)");
  app->add_flag("--no-syscall-count", o->no_syscall_count,
                "do not count every syscall of the receiver thread (a tracepoint); count the strategy's own calls");
}

// One row of a comparison: a strategy, and the harness options that differ for
// it. `measure` is the only such option: comparing `baseline` with
// `baseline+measure=minimal` in one invocation interleaves the two, which is
// how the cost of measuring is shown.
struct Contender {
  receivers::StrategySpec spec;
  std::optional<Measure> measure;
};

// Applies one policy override to `spec`; throws UsageError for a bad value.
void ApplyOverride(receivers::StrategySpec* spec, const std::string& axis, const std::string& value) {
  bool ok = false;
  if (axis == "buffer") {
    if (auto kind = pools::ParseBufferKind(value)) spec->buffer = *kind, ok = true;
  } else if (axis == "sync") {
    if (auto kind = receivers::ParseSyncKind(value)) spec->sync = *kind, ok = true;
  } else if (axis == "recv") {
    if (auto kind = receivers::ParseRecvKind(value)) spec->recv = *kind, ok = true;
  } else if (axis == "push") {
    if (auto kind = receivers::ParsePushKind(value)) spec->push = *kind, ok = true;
  } else {
    throw UsageError{"unknown policy axis '" + axis + "' (buffer, sync, recv or push)"};
  }
  if (!ok) throw UsageError{"unknown " + axis + " policy '" + value + "'"};
}

// A strategy is a preset name, optionally with overrides written the way they
// are reported: "pooled+buffer=gstpool+push=list". The --buffer/--sync/--recv/
// --push flags add overrides to every strategy of the invocation.
Contender ResolveStrategy(const std::string& text, const Options& o) {
  const std::size_t plus = text.find('+');
  const std::string name = text.substr(0, plus);
  std::optional<receivers::StrategySpec> spec = receivers::FindPreset(name);
  if (!spec) throw UsageError{"unknown strategy '" + name + "' (see `rxbench list`)"};
  std::vector<std::pair<std::string, std::string>> overrides;
  std::optional<Measure> measure;
  if (plus != std::string::npos) {
    std::stringstream list(text.substr(plus + 1));
    for (std::string item; std::getline(list, item, '+');) {
      const std::size_t eq = item.find('=');
      if (eq == std::string::npos) throw UsageError{"bad override '" + item + "' in '" + text + "' (want axis=value)"};
      const std::string axis = item.substr(0, eq), value = item.substr(eq + 1);
      if (axis == "measure") {
        if (value != "full" && value != "minimal") throw UsageError{"measure must be full or minimal, not '" + value + "'"};
        measure = value == "full" ? Measure::kFull : Measure::kMinimal;
      } else {
        overrides.emplace_back(axis, value);
      }
    }
  }
  // The flags apply to every receive-loop strategy of the invocation; udpsrc
  // and null have no such policies and run as they are.
  if (spec->receiver == receivers::ReceiverKind::kLoop) {
    for (const auto& [axis, value] : {std::pair<const char*, const std::string&>{"buffer", o.buffer},
                                      {"sync", o.sync}, {"recv", o.recv}, {"push", o.push}}) {
      if (!value.empty()) overrides.emplace_back(axis, value);
    }
  }
  if (!overrides.empty() && spec->receiver != receivers::ReceiverKind::kLoop) {
    throw UsageError{"policy overrides apply to receive-loop strategies, not '" + name + "'"};
  }
  const receivers::StrategySpec preset = *spec;
  for (const auto& [axis, value] : overrides) ApplyOverride(&*spec, axis, value);
  // The name says what differs from the preset, so every result is traceable.
  std::string suffix;
  auto note = [&](const char* axis, const char* before, const char* after) {
    if (std::string(before) != after) suffix += std::string("+") + axis + "=" + after;
  };
  note("buffer", pools::ToString(preset.buffer), pools::ToString(spec->buffer));
  note("sync", receivers::ToString(preset.sync), receivers::ToString(spec->sync));
  note("recv", receivers::ToString(preset.recv), receivers::ToString(spec->recv));
  note("push", receivers::ToString(preset.push), receivers::ToString(spec->push));
  if (measure) suffix += std::string("+measure=") + (*measure == Measure::kFull ? "full" : "minimal");
  spec->name = name + suffix;
  return {*spec, measure};
}

RunConfig MakeBaseConfig(const Options& o) {
  const std::string scenario_name = o.scenario.empty() ? kDefaultScenario : o.scenario;
  std::optional<Scenario> scenario = FindScenario(scenario_name);
  if (!scenario) throw UsageError{"unknown scenario '" + scenario_name + "' (see `rxbench list`)"};
  RunConfig c;
  c.traffic = scenario->traffic;
  const bool customised = o.rate || o.bitrate || o.payload || o.fps || !o.shape.empty() || o.duration || o.packets;
  c.scenario = customised && o.scenario.empty() ? "custom" : scenario->name;
  if (o.payload) c.traffic.payload_bytes = *o.payload;
  if (o.rate) c.traffic.rate_pps = *o.rate;
  if (o.bitrate) c.traffic.rate_pps = traffic_gen::RateForBitrate(*o.bitrate, c.traffic.payload_bytes);
  if (!o.shape.empty()) c.traffic.shape = *traffic_gen::ParseShape(o.shape);
  if (o.fps) c.traffic.fps = *o.fps;
  if (o.duration) c.traffic.duration_s = *o.duration;
  if (o.packets) c.traffic.packet_count = *o.packets;
  c.traffic.dest_port = 9;  // placeholder for validation; the runner binds the real port
  if (std::string problem = traffic_gen::Validate(c.traffic); !problem.empty()) throw UsageError{problem};
  if (o.buffer_size < 64) throw UsageError{"--buffer-size must be at least 64"};
  c.pipeline = o.pipeline;
  c.batch = o.batch;
  c.buffer_size = o.buffer_size;
  c.pool_size = o.pool_size;
  c.rcvbuf_bytes = o.rcvbuf;
  c.measure = o.measure == "minimal" ? Measure::kMinimal : Measure::kFull;
  c.kernel_timestamps = o.kernel_timestamps;
  c.counters = o.counters;
  c.cpu_receiver = o.cpu_receiver;
  c.cpu_generator = o.cpu_generator;
  c.cpu_pipeline = o.cpu_pipeline;
  c.traffic.warmup_packets = ParseWarmup(o.warmup, c.traffic.rate_pps);
  c.traffic.send_batch = o.send_batch;
  c.traffic.tx_timestamps = o.tx_timestamps;
  c.count_syscalls = !o.no_syscall_count;
  c.progress = true;
  if (o.repetitions < 1) throw UsageError{"--repetitions must be at least 1"};
  const int cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  for (const auto& [flag, cpu] : {std::pair<const char*, int>{"--cpu-receiver", o.cpu_receiver},
                                  {"--cpu-generator", o.cpu_generator}, {"--cpu-pipeline", o.cpu_pipeline}}) {
    if (cpu < -1 || cpu >= cpus) {
      throw UsageError{std::string(flag) + " " + std::to_string(cpu) + ": this machine has CPUs 0.." +
                       std::to_string(cpus - 1)};
    }
  }
  if (!o.pipeline.empty()) {
    std::string error;
    if (!Pipeline::Create(o.pipeline, -1, nullptr, &error)) throw UsageError{error};
  }
  return c;
}

// Runs every (repetition, strategy) pair, interleaved: repetition 1 of every
// strategy, then repetition 2, ... so slow drifts of the machine spread evenly.
// The order rotates from one repetition to the next: a run right after another
// was measured ~2 % cheaper than the same run first (caches, page cache,
// scheduler state), so a fixed order would favour whoever comes second.
std::vector<RunResult> RunAll(const RunConfig& base, const std::vector<Contender>& contenders, int repetitions) {
  std::vector<RunResult> results;
  const std::size_t n = contenders.size();
  // A progress line for invocations longer than 2 s, when someone watches.
  const double total_s = static_cast<double>(base.traffic.TotalPackets()) / base.traffic.rate_pps *
                         static_cast<double>(n) * repetitions;
  const bool progress = base.progress && total_s > 2.0 && isatty(STDERR_FILENO);
  int done = 0;
  for (int rep = 0; rep < repetitions; ++rep) {
    for (std::size_t k = 0; k < n; ++k) {
      const Contender& contender = contenders[(k + static_cast<std::size_t>(rep)) % n];
      const receivers::StrategySpec& s = contender.spec;
      RunConfig c = base;
      c.strategy = s;
      if (contender.measure) c.measure = *contender.measure;
      if (progress) {
        std::fprintf(stderr, "\r  run %d/%zu: %-30s repetition %d/%d", ++done, n * repetitions, s.name.c_str(),
                     rep + 1, repetitions);
      }
      RunResult r = RunOnce(c);
      if (progress) std::fprintf(stderr, "\r%80s\r", "");
      r.repetition_index = rep;
      r.repetitions = repetitions;
      if (!r.ok) std::fprintf(stderr, "rxbench: %s (repetition %d) failed: %s\n", s.name.c_str(), rep + 1, r.error.c_str());
      if (r.pipeline_flushed) {
        std::fprintf(stderr,
                     "rxbench: %s (repetition %d): the pipeline stopped delivering while it drained and was flushed; "
                     "what it held is counted in pipeline_drops (README, \"Known problems\")\n",
                     s.name.c_str(), rep + 1);
      }
      results.push_back(std::move(r));
    }
  }
  return results;
}

void PrintHeader(const RunConfig& c, int repetitions, std::size_t strategies) {
  std::printf("scenario %s: %s %.0f pps%s, %zu B payload, %llu packets; %d repetition%s x %zu strateg%s%s\n",
              c.scenario.c_str(), traffic_gen::ToString(c.traffic.shape), c.traffic.rate_pps,
              c.traffic.shape == traffic_gen::Shape::kBurst ? (" at " + std::to_string(int(c.traffic.fps)) + " fps").c_str()
                                                            : "",
              c.traffic.payload_bytes, static_cast<unsigned long long>(c.traffic.TotalPackets()), repetitions,
              repetitions == 1 ? "" : "s", strategies, strategies == 1 ? "y" : "ies",
              c.measure == Measure::kMinimal ? " (measure minimal)" : "");
  std::fflush(stdout);
}

int Report(const RunConfig& base, const std::vector<RunResult>& results, const std::string& out_file) {
  PrintResultsTable(results, stdout, isatty(STDOUT_FILENO));
  if (std::string counters = DescribeCounters(results); !counters.empty()) std::printf("%s\n", counters.c_str());
  if (!out_file.empty()) {
    std::string error;
    if (!WriteJsonFile(out_file, ResultsJson(base, results), &error)) {
      std::fprintf(stderr, "rxbench: %s\n", error.c_str());
      return kExitRunFailed;
    }
    std::printf("results: %s\n", out_file.c_str());
  }
  for (const RunResult& r : results) {
    if (!r.ok) return kExitRunFailed;
  }
  return kExitOk;
}

void PrintList() {
  std::printf("strategies (buffer/sync/recv/push):\n");
  for (const receivers::StrategySpec& s : receivers::Presets()) {
    std::printf("  %-14s %-32s %s\n", s.name.c_str(), s.Policies().c_str(), s.description.c_str());
  }
  std::printf("\nscenarios:\n");
  for (const Scenario& s : Scenarios()) std::printf("  %-14s %s\n", s.name.c_str(), s.description.c_str());
  std::printf("\ndefault pipeline:\n  %s\n", kDefaultPipeline);
}

int Main(int argc, char** argv) {
  CLI::App app{"rxbench: benchmark and profiling harness for UDP/RTP video receive paths"};
  app.require_subcommand(1);
  app.set_version_flag("--version", RxbenchVersion());

  app.add_subcommand("list", "strategies and scenarios with one-line descriptions");

  Options run_options;
  std::string strategy, run_out;
  CLI::App* run = app.add_subcommand("run", "run one strategy on a scenario; prints a table, writes JSON");
  run->add_option("--strategy", strategy, "strategy name (see `rxbench list`), optionally with overrides: pooled+buffer=gstpool")
      ->required();
  AddScenarioOptions(run, &run_options);
  run->add_option("--repetitions", run_options.repetitions, "repetitions (default 1)");
  run->add_option("--out", run_out, "results JSON file (Google Benchmark format)");

  Options compare_options;
  compare_options.repetitions = 3;
  std::vector<std::string> strategies;
  std::string compare_out;
  CLI::App* compare = app.add_subcommand("compare", "run several strategies on one scenario, side by side");
  compare->add_option("--strategies", strategies, "comma-separated strategies (default: all presets); each may carry overrides: pooled+buffer=gstpool+push=list")
      ->delimiter(',');
  AddScenarioOptions(compare, &compare_options);
  compare->add_option("--repetitions", compare_options.repetitions, "interleaved repetitions (default 3)");
  compare->add_option("--out", compare_out, "directory for compare.json");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (what.empty()) what = "missing subcommand: list, run or compare (see --help)";
    std::fprintf(stderr, "rxbench: %s\n", what.c_str());
    return kExitUsage;
  }

  try {
    if (app.got_subcommand("list")) {
      PrintList();
      return kExitOk;
    }
    if (app.got_subcommand("run")) {
      RunConfig base = MakeBaseConfig(run_options);
      const Contender spec = ResolveStrategy(strategy, run_options);
      PrintHeader(base, run_options.repetitions, 1);
      return Report(base, RunAll(base, {spec}, run_options.repetitions), run_out);
    }
    RunConfig base = MakeBaseConfig(compare_options);
    if (strategies.empty()) strategies = receivers::PresetNames();
    std::vector<Contender> specs;
    for (const std::string& name : strategies) {
      specs.push_back(ResolveStrategy(name, compare_options));
      for (std::size_t i = 0; i + 1 < specs.size(); ++i) {
        if (specs[i].spec.name == specs.back().spec.name) {
          throw UsageError{"'" + name + "' is the same strategy as '" + strategies[i] + "' (" +
                           specs.back().spec.name + "): each row must differ"};
        }
      }
    }
    std::string out_file;
    if (!compare_out.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(compare_out, ec);
      if (ec) throw UsageError{"cannot create --out directory " + compare_out + ": " + ec.message()};
      out_file = (std::filesystem::path(compare_out) / "compare.json").string();
    }
    PrintHeader(base, compare_options.repetitions, specs.size());
    return Report(base, RunAll(base, specs, compare_options.repetitions), out_file);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "rxbench: %s\n", e.message.c_str());
    return kExitUsage;
  }
}

}  // namespace
}  // namespace rxbench::harness

int main(int argc, char** argv) { return rxbench::harness::Main(argc, argv); }
