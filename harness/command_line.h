// The command line of `run`, `compare`, `gen` and `recv`: the options they
// share, and how they become a RunConfig (or one half of it) and the
// strategies to run. Every problem is a UsageError with one line a person can
// act on, found before any traffic.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/runner.h"
#include "receivers/strategy.h"

namespace rxbench::harness {

struct UsageError {
  std::string message;
};

// Warm-up before the measurement window, chosen by measurement (README,
// "Warm-up").
inline constexpr char kDefaultWarmup[] = "300";

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
  std::size_t buffer_size = 4096, pool_size = 4096;
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
  unsigned gso = 0;
  bool tx_timestamps = false;
  bool count_syscalls = false;
  std::uint64_t inject_cost_ns = 0;
  bool phase_timing = false;
  bool verify_payload = false;
  std::string malformed;   // --malformed KIND[:RATE],...
  std::string impair;      // --impair loss=R,dup=R,reorder=R
  std::uint64_t seed = 1;
  std::uint16_t port = 0;  // --port (run, compare): 0 = any free port
  std::string ssrc;        // --ssrc, "" = the generator's default; the receiver locks on the first packet
  std::optional<int> payload_type;  // --pt
};

// One row of a comparison: a strategy, and the harness options that differ for
// it. `measure` is the only such option: comparing `baseline` with
// `baseline+measure=minimal` in one invocation interleaves the two, which is
// how the cost of measuring is shown.
struct Contender {
  receivers::StrategySpec spec;
  std::optional<Measure> measure;
};

// The options of each half: traffic (run, compare, gen), receive side (run,
// compare, recv), and the stream's SSRC and payload type (all four).
void AddTrafficOptions(CLI::App* app, Options* o);
void AddReceiveOptions(CLI::App* app, Options* o);
void AddStreamOptions(CLI::App* app, Options* o);
// All three: run and compare.
void AddScenarioOptions(CLI::App* app, Options* o);

// "500" packets, or "0.25s" of the scenario's rate; at most
// kMaxWarmupPackets (the generator's own limit on a stream).
inline constexpr std::uint64_t kMaxWarmupPackets = 1'000'000'000'000;
std::uint64_t ParseWarmup(const std::string& text, double rate_pps);

// A strategy is a preset name, optionally with overrides written the way they
// are reported: "pooled+buffer=gstpool+push=list". The --buffer/--sync/--recv/
// --push options add overrides to every receive-loop strategy.
Contender ResolveStrategy(const std::string& text, const Options& o);

// The traffic the options describe (destination still to be set) and the
// scenario's name ("custom" when options changed an unnamed one).
traffic_gen::TrafficSpec MakeTraffic(const Options& o, std::string* scenario_name);
// The receive side the options describe (bind address and port still to be set).
ReceiveSideConfig MakeReceiveSide(const Options& o);
// Both, for one process.
RunConfig MakeBaseConfig(const Options& o);

}  // namespace rxbench::harness
