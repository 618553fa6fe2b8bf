// The command line of `run`, `compare`, `gen` and `recv`: the options they
// share, and how they become a run's settings (spec/run_spec.h) -- or one
// half of them -- and the strategies to run. A setting's option binds to the
// setting's own field, so its default is the setting's one default. Every
// problem is a UsageError with one line a person can act on, found before
// any traffic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "receivers/strategy.h"
#include "spec/run_spec.h"

// CLI11 is header-only and costs seconds to compile: only the .cc files that
// define options include it.
namespace CLI {
class App;
}  // namespace CLI

namespace rxbench::harness {

struct UsageError {
  std::string message;
};

// Warm-up before the measurement window, chosen by measurement (README,
// "Warm-up").
inline constexpr char kDefaultWarmup[] = "300";

// What the command line holds: the run's settings themselves, which every
// option of a single setting binds to, and the text of the options that are
// resolved against others (a scenario and its overrides, the warm-up in
// packets or seconds, policy overrides, ids) before they become settings.
struct Options {
  spec::RunSpec spec;

  // Resolved by MakeTraffic: the scenario, then what overrides it.
  std::string scenario;
  std::optional<double> rate, bitrate, fps, duration;
  std::optional<std::size_t> payload;
  std::optional<std::uint64_t> packets;
  std::string shape;
  std::string media;  // --media filler|h264, "" = the spec's (filler)
  std::string warmup = kDefaultWarmup;
  std::string malformed;  // --malformed KIND[:RATE],...
  std::string impair;     // --impair loss=R,dup=R,reorder=R
  // Resolved by ResolveStrategy: overrides of every receive-loop strategy.
  std::string buffer, sync, recv, push, wait;
  // Resolved by MakeReceiveSide.
  std::string measure = "full";
  std::string pipeline_preset;      // --pipeline-preset, "" = none
  std::string ssrc;                 // --ssrc, "" = the generator's default; the receiver locks on the first packet
  std::optional<int> payload_type;  // --pt
  std::string stream_sockets = "reuseport";  // --stream-sockets, spec::StreamSockets by name
  int repetitions = 1;
  // Resolved by MakeRunSpec (the first: spec.path) and, for compare, by
  // ExpandPaths: --path loopback|veth, a list for compare.
  std::vector<std::string> paths;
  // --veth-napi threaded|softirq, "" = not given (spec.veth_napi's default);
  // refused where no row runs over veth (VethNapiWithoutVeth).
  std::string veth_napi;
};

enum class Measure { kFull, kMinimal };

// One row of a comparison: a strategy, and the harness options that differ for
// it. `measure` is the only such option: comparing `baseline` with
// `baseline+measure=minimal` in one invocation interleaves the two, which is
// how the cost of measuring is shown.
// `path` is the other: `baseline+path=veth` runs baseline over the veth
// pair, interleaved with the rows on the invocation's first path.
struct Contender {
  receivers::StrategySpec spec;
  std::optional<Measure> measure;
  std::optional<spec::Path> path;
};

// The options of each half: traffic (run, compare, gen), receive side (run,
// compare, recv), and the stream's SSRC and payload type (all four).
void AddTrafficOptions(CLI::App* app, Options* o);
void AddReceiveOptions(CLI::App* app, Options* o);
void AddStreamOptions(CLI::App* app, Options* o);
// Per-stream ports from `first_port` (spec::StreamPort): a UsageError when
// the last stream's would be past 65535. gen and recv both check it, so the
// two halves refuse the same layouts in the same words.
void CheckStreamPorts(unsigned first_port, unsigned streams);
// --streams and --stream-sockets (run, compare, gen, recv), and
// --receivers where there is a receive side.
void AddManyStreamOptions(CLI::App* app, Options* o, bool receiver_threads);
// All three: run and compare.
void AddScenarioOptions(CLI::App* app, Options* o);
// --path: one for run, a comma-separated list for compare.
void AddPathOption(CLI::App* app, Options* o, bool list);

// --veth-napi given although no row runs over veth: the problem, or "".
std::string VethNapiWithoutVeth(const Options& o, bool any_row_on_veth);

// "500" packets, or "0.25s" of the scenario's rate; at most
// kMaxWarmupPackets (the generator's own limit on a stream).
inline constexpr std::uint64_t kMaxWarmupPackets = 1'000'000'000'000;
std::uint64_t ParseWarmup(const std::string& text, double rate_pps);

// A strategy is a preset name, optionally with overrides written the way they
// are reported: "pooled+buffer=gstpool+push=list". The --buffer/--sync/--recv/
// --push options add overrides to every receive-loop strategy.
Contender ResolveStrategy(const std::string& text, const Options& o);
// compare --path A,B,...: each strategy on A as it is, then as
// `strategy+path=B`, ... (rows of the same comparison, interleaved like any).
std::vector<std::string> ExpandPaths(const std::vector<std::string>& strategies, const Options& o);

// The traffic the options describe (destination still to be set) and the
// scenario's name ("custom" when options changed an unnamed one).
traffic_gen::TrafficSpec MakeTraffic(const Options& o, std::string* scenario_name);
// The receive side the options describe (its strategy still to be set).
spec::ReceiveSideSpec MakeReceiveSide(const Options& o);
// Both, for one process.
spec::RunSpec MakeRunSpec(const Options& o);

}  // namespace rxbench::harness
