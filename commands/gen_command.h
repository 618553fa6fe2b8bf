// `rxbench gen`: the sending half of a run on its own, for a receiver in
// another process or on another host (`rxbench recv`). It announces the run
// on the receiver's control port (run_messages.h), plays the scenario, pauses
// after the warm-up so that the receiver can open its measurement window, and
// reports what it sent, to the receiver and optionally to a JSON file.
#pragma once

#include <string>

#include "commands/command_line.h"

// CLI11 is header-only and costs seconds to compile: only the .cc files that
// define options include it.
namespace CLI {
class App;
}  // namespace CLI

namespace rxbench::harness {

struct GenOptions {
  Options traffic;
  std::string dest;       // ADDR:PORT
  int control_port = -1;  // -1: the RTP port + 1; 0: announce nothing
  double warmup_pause_s = 0.25;
  std::string run_id;  // "": a fresh one
  std::string out;     // JSON file, "" = none
};

CLI::App* AddGenCommand(CLI::App* app, GenOptions* options);

// The exit code; throws UsageError before any traffic for bad options.
int RunGen(const GenOptions& options, const std::string& command_line);

}  // namespace rxbench::harness
