// `rxbench recv`: the receiving half of a run on its own. It binds ADDR:PORT,
// runs a strategy's receive side (receive_side.h) and measures a window of
// any RTP stream sent there, by `rxbench gen` on another host (or network
// namespace) or by any RTP sender (gst-launch-1.0 ... ! udpsink, a camera).
//
// With rxbench's generator the control port (RTP port + 1) tells it the run
// id, the warm-up, and at the end what was sent, so the loss account closes
// as in `run`; the window opens once the warm-up has been received and closes
// once the announced packets are explained. Without it, the window opens at
// the first packet, the sent count is unknown, and send -> sink latency is
// unavailable (the packets carry no send stamp on this host's clock), while
// RFC 3550 jitter, sequence gaps and CPU per packet are measured as usual.
//
// It ends on the generator's end message (after a drain), after --packets,
// --duration seconds from the first packet, or on Ctrl-C; its results file
// has the same form as `run`'s.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "commands/command_line.h"

// CLI11 is header-only and costs seconds to compile: only the .cc files that
// define options include it.
namespace CLI {
class App;
}  // namespace CLI

namespace rxbench::harness {

struct RecvOptions {
  Options receive;
  std::string strategy;
  std::string bind = "127.0.0.1:5004";
  int control_port = -1;  // -1: the RTP port + 1; 0: listen for nothing
  std::optional<double> duration;
  std::optional<std::uint64_t> packets;
  std::string out;
  std::string sent_from;  // `gen --out` of the same run
  double drain_timeout_s = 2.0;
};

CLI::App* AddRecvCommand(CLI::App* app, RecvOptions* options);

// The exit code; throws UsageError before binding for bad options.
int RunRecv(const RecvOptions& options, const std::string& command_line);

}  // namespace rxbench::harness
