// One default per setting: the command line's options bind to the run's
// settings (spec/run_spec.h), so a command line that gives no option must
// yield exactly the library's defaults, and --help must show them. A CLI
// that sets its own default for an option (CLI11's default_val, an
// assignment before parsing, a copy through a struct with other defaults)
// fails here.
#include <gtest/gtest.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "commands/command_line.h"
#include "results/results_json.h"
#include "run/scenario.h"
#include "spec/run_spec.h"

namespace rxbench::harness {
namespace {

// `run`'s options (scenario, traffic, receive side, stream) parsed from `args`.
Options Parse(std::vector<std::string> args) {
  CLI::App app{"test"};
  Options o;
  AddScenarioOptions(&app, &o);
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  app.parse(args);
  return o;
}

TEST(RunSpecDefaults, ReceiveSideFromNoOptionsIsTheLibrarysDefault) {
  const spec::ReceiveSideSpec from_cli = MakeReceiveSide(Parse({}));
  const spec::ReceiveSideSpec library;
  EXPECT_EQ(SettingsJson("", nullptr, from_cli).dump(2), SettingsJson("", nullptr, library).dump(2));
  // The fields the context does not show, one by one.
  EXPECT_EQ(from_cli.socket.bind_host, library.socket.bind_host);
  EXPECT_EQ(from_cli.socket.port, library.socket.port);
  EXPECT_EQ(from_cli.receiver.expected_ssrc, library.receiver.expected_ssrc);
  EXPECT_EQ(from_cli.receiver.expected_payload_type, library.receiver.expected_payload_type);
}

TEST(RunSpecDefaults, TrafficFromNoOptionsIsTheLibrarysDefaultShapedByTheDefaultScenario) {
  std::string scenario;
  const traffic_gen::TrafficSpec from_cli = MakeTraffic(Parse({}), &scenario);
  traffic_gen::TrafficSpec library;
  FindScenario(kDefaultScenario)->ApplyTo(&library);
  library.warmup_packets = ParseWarmup(kDefaultWarmup, library.rate_pps);
  EXPECT_EQ(scenario, kDefaultScenario);
  const spec::ReceiveSideSpec receive;
  EXPECT_EQ(SettingsJson(scenario, &from_cli, receive).dump(2), SettingsJson(scenario, &library, receive).dump(2));
  EXPECT_EQ(from_cli.tx_timestamps, library.tx_timestamps);
  EXPECT_EQ(from_cli.seed, library.seed);
  EXPECT_EQ(from_cli.ssrc, library.ssrc);
  EXPECT_EQ(from_cli.payload_type, library.payload_type);
  EXPECT_EQ(from_cli.fill_pattern, library.fill_pattern);
  EXPECT_EQ(from_cli.receiver_buffer_bytes, library.receiver_buffer_bytes);
}

// What the generator assumes of a receiver it has not been told about is
// the receiver's own default.
TEST(RunSpecDefaults, TheGeneratorsViewOfTheReceiverMatchesTheReceiver) {
  EXPECT_EQ(traffic_gen::TrafficSpec{}.receiver_buffer_bytes, spec::ReceiverSpec{}.buffer_size);
  EXPECT_EQ(traffic_gen::TrafficSpec{}.fill_pattern, spec::MeasurementSpec{}.verify_payload);
}

// --help states each default as the setting holds it.
TEST(RunSpecDefaults, HelpShowsTheSettingsDefaults) {
  CLI::App app{"test"};
  Options o;
  AddScenarioOptions(&app, &o);
  const std::string help = app.help();
  const spec::ReceiveSideSpec d;
  for (const auto& [option, value] :
       std::vector<std::pair<std::string, std::string>>{{"--batch", std::to_string(d.receiver.batch)},
                                                        {"--buffer-size", std::to_string(d.receiver.buffer_size)},
                                                        {"--pool-size", std::to_string(d.receiver.pool_size)},
                                                        {"--rcvbuf", std::to_string(d.socket.rcvbuf_bytes)}}) {
    const std::size_t at = help.find(option + " ");
    ASSERT_NE(at, std::string::npos) << option;
    const std::size_t end = help.find("\n  -", at + 1);
    const std::string line = help.substr(at, end - at);
    const std::size_t shown = line.find("=" + value);
    const bool whole =
        shown != std::string::npos && (shown + 1 + value.size() == line.size() ||
                                       !std::isdigit(static_cast<unsigned char>(line[shown + 1 + value.size()])));
    EXPECT_TRUE(whole) << option << " should show " << value << ": " << line;
  }
}

// An option given reaches its setting (the binding is the field itself).
TEST(RunSpecDefaults, OptionsReachTheirSettings) {
  const spec::RunSpec run = MakeRunSpec(Parse({"--pool-size", "77", "--batch", "5", "--rcvbuf", "65536", "--send-batch",
                                               "4", "--verify-payload", "--measure", "minimal"}));
  EXPECT_EQ(run.receive.receiver.pool_size, 77u);
  EXPECT_EQ(run.receive.receiver.batch, 5);
  EXPECT_EQ(run.receive.socket.rcvbuf_bytes, 65536);
  EXPECT_EQ(run.traffic.send_batch, 4u);
  EXPECT_TRUE(run.receive.measurement.verify_payload);
  EXPECT_FALSE(run.receive.measurement.per_packet);
}

}  // namespace
}  // namespace rxbench::harness
