#include "commands/recv_command.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include "commands/host_port.h"
#include "commands/packet_target.h"
#include "commands/stop_request.h"
#include "commands/subcommand_summary.h"
#include "metrics/thread_usage.h"
#include "pipeline/pipeline_description.h"
#include "pipeline/receive_side.h"
#include "platform/boot_id.h"
#include "protocol/control_channel.h"
#include "protocol/run_messages.h"
#include "results/console_table.h"
#include "results/output_files.h"
#include "results/results_json.h"
#include "results/run_summary.h"

namespace rxbench::harness {
namespace {

constexpr int kPollMs = 2;
// After the sender said its warm-up is over, this long without a packet
// explained means the rest of the warm-up was lost on the way.
constexpr std::uint64_t kWarmupStallNs = 20'000'000;

// What the sender said, from the control port or from its JSON file.
struct SenderAccount {
  std::optional<RunPlan> plan;
  std::optional<traffic_gen::GeneratorReport> sent;
  std::string source;  // "control", "file" or ""
};

// `gen --out`'s file: its plan and what it sent; nullopt with *problem (one
// line naming the file) when it cannot be read or is not that file.
std::optional<SenderAccount> ReadSentFrom(const std::string& path, std::string* problem) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    *problem = "--sent-from " + path + " is a directory, not the file of `rxbench gen --out`";
    return std::nullopt;
  }
  std::ifstream in(path);
  if (!in) {
    *problem = "--sent-from " + path + ": cannot be read (" + std::strerror(errno) + ")";
    return std::nullopt;
  }
  const nlohmann::json json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  SenderAccount account;
  account.source = "file";
  RunPlan plan;
  traffic_gen::GeneratorReport sent;
  std::string why;
  if (json.is_discarded() || !json.is_object() || !json.contains("plan") || !json.contains("sent") ||
      !PlanFromJson(json["plan"], &plan, &why) || !SentFromJson(json["sent"], &sent, &why)) {
    *problem = "--sent-from " + path + ": not the JSON of `rxbench gen --out`" + (why.empty() ? "" : " (" + why + ")");
    return std::nullopt;
  }
  account.plan = plan;
  account.sent = sent;
  return account;
}

// Before binding: what can be told of --sent-from before the run. `gen`
// writes its file after its last packet, so a file that is not there yet is
// the usual case and is read at the end; one that is there (an earlier run's,
// which gen will replace) must already be gen's file. "" when it may serve.
std::string CheckSentFrom(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) || std::filesystem::is_symlink(path, ec)) {
    std::string problem;
    ReadSentFrom(path, &problem);
    return problem;
  }
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!std::filesystem::is_directory(dir, ec)) {
    return "--sent-from " + path + ": directory " + dir.string() + " does not exist";
  }
  return "";
}

// Why the packets' send stamps cannot be subtracted from this host's clock;
// "" when they can.
std::string SendTimesUnavailable(const std::optional<RunPlan>& plan, bool generator_heard) {
  if (!plan && generator_heard)
    return "the generator's plan never arrived: whose clock its send stamps are on is unknown";
  if (!plan) return "no rxbench generator announced this stream: its packets carry no send stamp";
  const std::string here = platform::BootId();
  if (plan->boot_id.empty() || here.empty() || plan->boot_id != here) {
    return "the sender (" + plan->host + ") runs on another kernel (boot id " + plan->boot_id +
           "): its send stamps are on another clock";
  }
  return "";
}

// The receive side's loop while the stream plays: decides when the window
// opens and when the run ends, from the packets and the control messages.
class RecvLoop {
 public:
  RecvLoop(const RecvOptions& o, ReceiveSide* side, ControlListener* control)
      : o_(o), side_(*side), control_(*control), packets_(o.packets.value_or(0)) {}

  void Run() {
    for (;;) {
      // Control first: a plan sent before packet 0 is in before packet 0 is counted.
      control_.Poll();
      const std::uint64_t now = metrics::MonotonicNs();
      if (first_packet_ns_ == 0 && (side_.Received() > 0 || side_.Delivered() > 0)) first_packet_ns_ = now;
      if (!window_open_ && ShouldOpen(now)) {
        side_.OpenWindow();
        window_open_ = true;
      }
      if (Ended(now)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
    }
    if (!window_open_) side_.OpenWindow();  // nothing to measure; the report says so
    control_.Poll();
  }

 private:
  bool ShouldOpen(std::uint64_t now) {
    const std::optional<RunPlan>& plan = control_.plan();
    if (!plan) return first_packet_ns_ != 0;
    if (plan->warmup_packets == 0) return true;
    if (const auto& done = control_.warmup_done()) {
      if (warmup_done_ns_ == 0) warmup_done_ns_ = last_change_ns_ = now;
      const std::uint64_t explained = side_.Explained(done->packets_sent);
      if (explained >= done->packets_sent) return true;
      if (explained != last_explained_) {
        last_explained_ = explained;
        last_change_ns_ = now;
      }
      return now - last_change_ns_ > kWarmupStallNs;
    }
    // The warm-up-done messages were lost: the planned count will do.
    return side_.Explained(plan->warmup_packets) >= plan->warmup_packets;
  }

  bool Ended(std::uint64_t now) {
    if (StopRequested()) return true;
    if (const auto& end = control_.end()) {
      side_.WaitUntilExplained(end->packets_sent, o_.drain_timeout_s);
      return true;
    }
    if (o_.packets) {
      switch (packets_.OnPoll(side_.Delivered(), now)) {
        case PacketTarget::Next::kReached: return true;
        case PacketTarget::Next::kReadFullAccount:
          if (packets_.Reached(side_.Explained(*o_.packets))) return true;
          break;
        case PacketTarget::Next::kWait: break;
      }
    }
    if (o_.duration && first_packet_ns_ != 0 &&
        now - first_packet_ns_ >= static_cast<std::uint64_t>(*o_.duration * 1e9)) {
      return true;
    }
    return false;
  }

  const RecvOptions& o_;
  ReceiveSide& side_;
  ControlListener& control_;
  PacketTarget packets_;
  bool window_open_ = false;
  std::uint64_t first_packet_ns_ = 0, warmup_done_ns_ = 0, last_change_ns_ = 0, last_explained_ = 0;
};

void PrintSummary(const RunResult& r, const SenderAccount& sender) {
  std::printf("recv: run %s%s\n", r.run_id.c_str(),
              sender.plan ? (" from " + sender.plan->host + ", scenario " + sender.plan->scenario).c_str()
                          : " (no rxbench generator announced itself)");
  if (r.sent_known) {
    std::printf(
        "recv: sent %llu, delivered %llu, kernel drops %llu, malformed %llu, truncated %llu, pipeline drops %llu, "
        "in flight %llu, unexplained %lld\n",
        static_cast<unsigned long long>(r.packets_sent), static_cast<unsigned long long>(r.packets_delivered),
        static_cast<unsigned long long>(r.kernel_drops), static_cast<unsigned long long>(r.malformed),
        static_cast<unsigned long long>(r.truncated), static_cast<unsigned long long>(r.pipeline_drops),
        static_cast<unsigned long long>(r.in_flight_at_stop), static_cast<long long>(r.unexplained_packets));
  } else {
    std::printf(
        "recv: sent unknown, delivered %llu, kernel drops %llu, malformed %llu, truncated %llu, "
        "pipeline drops %llu, in flight %llu\n",
        static_cast<unsigned long long>(r.packets_delivered), static_cast<unsigned long long>(r.kernel_drops),
        static_cast<unsigned long long>(r.malformed), static_cast<unsigned long long>(r.truncated),
        static_cast<unsigned long long>(r.pipeline_drops), static_cast<unsigned long long>(r.in_flight_at_stop));
  }
  std::printf("recv: sequence gaps %llu, duplicates %llu, reordered %llu\n",
              static_cast<unsigned long long>(r.seq_gaps), static_cast<unsigned long long>(r.duplicates),
              static_cast<unsigned long long>(r.reordered));
  if (r.latency.count > 0) {
    std::printf("recv: latency send -> sink p50 %.1f us, p99 %.1f us\n", r.latency.p50 / 1e3, r.latency.p99 / 1e3);
  } else {
    std::printf("recv: latency %s\n", r.latency_unavailable.empty()
                                          ? "not measured (the null strategy has no sink; or --measure minimal)"
                                          : ("unavailable: " + r.latency_unavailable).c_str());
  }
  if (r.jitter_rfc3550_us) std::printf("recv: jitter (RFC 3550) %.1f us\n", *r.jitter_rfc3550_us);
  if (r.napi_id) std::printf("recv: NAPI id %u%s\n", *r.napi_id, *r.napi_id == 0 ? " (none)" : "");
  if (!r.busy_poll_no_effect.empty()) std::printf("recv: busy poll had no effect: %s\n", r.busy_poll_no_effect.c_str());
  std::printf(
      "recv: CPU %.0f ns per packet on the receive path (receiver %.0f + pipeline %.0f), %llu packets in a "
      "%.3f s window\n",
      r.cpu_ns_per_packet_receive_path, r.cpu_ns_per_packet_receiver, r.cpu_ns_per_packet_pipeline,
      static_cast<unsigned long long>(r.window_packets), r.window_s);
  if (r.frames) {
    const auto count = [](const std::optional<std::uint64_t>& n) { return n ? std::to_string(*n) : std::string("-"); };
    std::printf("recv: frames sent %s, depayloaded %llu, decoded %s, damaged %s\n", count(r.frames->sent).c_str(),
                static_cast<unsigned long long>(r.frames->depayloaded), count(r.frames->decoded).c_str(),
                count(r.frames->damaged).c_str());
  }
  // The share answers how much the receive strategy matters next to a
  // decoding pipeline: said beside the frames (a null receiver has no pipeline).
  if (r.receive_share && r.frames)
    std::printf("recv: receive share %.1f %% of the receive path\n", 100 * *r.receive_share);
}

}  // namespace

CLI::App* AddRecvCommand(CLI::App* app, RecvOptions* o) {
  CLI::App* recv = app->add_subcommand("recv", SubcommandSummary("recv"));
  recv->add_option("--strategy", o->strategy, "strategy name (see `rxbench list`), optionally with overrides")
      ->required();
  recv->add_option("--bind", o->bind,
                   "ADDR:PORT to receive on (default 127.0.0.1:5004; other addresses only when asked)");
  recv->add_option("--control-port", o->control_port,
                   "where a generator announces its run (default: the RTP port + 1; 0: do not listen)");
  recv->add_option("--duration", o->duration, "stop this many seconds after the first packet");
  recv->add_option("--packets", o->packets,
                   "stop once this many packets have arrived: delivered, or refused and lost, which are counted once "
                   "the stream pauses (the measured stream is polled only through an atomic count)");
  recv->add_option("--out", o->out, "results JSON file (the same form as `run --out`)");
  recv->add_option("--sent-from", o->sent_from,
                   "the generator's `gen --out` file of this run, read at the end: the sent counts when no end "
                   "message arrived (or no control port was open); if it is there at the start (an earlier "
                   "run's, to be replaced) it must already be gen's file");
  recv->add_option("--drain-timeout", o->drain_timeout_s, "seconds to wait for the pipeline to drain (default 2)");
  AddReceiveOptions(recv, &o->receive);
  AddStreamOptions(recv, &o->receive);
  AddManyStreamOptions(recv, &o->receive, /*receiver_threads=*/true);
  return recv;
}

int RunRecv(const RecvOptions& o, const std::string& command_line) {
  spec::ReceiveSideSpec config = MakeReceiveSide(o.receive);
  const Contender contender = ResolveStrategy(o.strategy, o.receive);
  config.receiver.strategy = contender.spec;
  if (contender.measure) config.measurement.per_packet = *contender.measure == Measure::kFull;
  const HostPort bind = ParseHostPort(o.bind, "--bind", true);
  config.socket.bind_host = bind.host;
  config.socket.port = bind.port;
  const spec::StreamsSpec& many = config.streams;
  if (many.sockets == spec::StreamSockets::kPerStream && many.streams > 1) {
    if (bind.port == 0)
      throw UsageError{"--stream-sockets per-stream needs a --bind port: gen sends stream k to it + 2k"};
    CheckStreamPorts(bind.port, many.streams);
  }
  if (o.control_port < -1 || o.control_port > 65535) throw UsageError{"--control-port must be 0..65535"};
  if (o.duration && !(*o.duration > 0)) throw UsageError{"--duration must be greater than 0"};
  if (o.packets && *o.packets == 0) throw UsageError{"--packets must be at least 1"};
  if (!o.out.empty()) {
    if (std::string problem = CheckWritableFile(o.out, "--out"); !problem.empty()) throw UsageError{problem};
  }
  if (!o.sent_from.empty() && o.sent_from == o.out) throw UsageError{"--sent-from and --out are the same file"};
  if (!o.sent_from.empty()) {
    if (std::string problem = CheckSentFrom(o.sent_from); !problem.empty()) throw UsageError{problem};
  }

  ReceiveSide side(config);
  std::string error;
  if (!side.Start(&error)) {
    std::fprintf(stderr, "rxbench recv: %s\n", error.c_str());
    return 2;
  }
  ControlListener control;
  const std::uint16_t control_port =
      o.control_port < 0 ? ControlPortFor(side.port()) : static_cast<std::uint16_t>(o.control_port);
  if (control_port != 0 && !control.Open(bind.host, control_port, &error)) {
    std::fprintf(stderr, "rxbench recv: %s\n", error.c_str());
    return 2;
  }
  CatchStopRequests();
  std::printf("recv: %s on %s:%u%s; waiting for a stream (Ctrl-C ends)\n", config.receiver.strategy.name.c_str(),
              bind.host.c_str(), side.port(),
              control_port != 0 ? (", run announcements on port " + std::to_string(control_port)).c_str() : "");
  std::fflush(stdout);

  const std::uint64_t wall_start = metrics::MonotonicNs();
  RecvLoop(o, &side, &control).Run();
  side.CloseWindow();
  const ReceiveReport received = side.Finish(o.drain_timeout_s);

  SenderAccount sender;
  sender.plan = control.plan();
  sender.sent = control.end();
  if (sender.sent) sender.source = "control";
  // What was measured is written whatever is wrong with the file: the
  // problem goes into the results and the exit code, the figures stay.
  std::string sent_from_problem;
  if (!o.sent_from.empty() && !sender.sent) {
    const std::optional<SenderAccount> file = ReadSentFrom(o.sent_from, &sent_from_problem);
    if (file && !control.run_id().empty() && file->plan->run_id != control.run_id()) {
      sent_from_problem = "--sent-from " + o.sent_from + " is run " + file->plan->run_id + ", the stream was run " +
                          control.run_id() + ": its counts are not used";
    } else if (file) {
      sender.plan = file->plan;
      sender.sent = file->sent;
      sender.source = "file";
    }
  }
  if (!sent_from_problem.empty()) std::fprintf(stderr, "rxbench recv: %s\n", sent_from_problem.c_str());
  if (control.malformed() > 0) {
    std::fprintf(stderr, "rxbench recv: %llu datagrams on the control port did not parse (last: %s)\n",
                 static_cast<unsigned long long>(control.malformed()), control.last_problem().c_str());
  }
  const int caps_payload_type = config.receiver.expected_payload_type.value_or(kDefaultPayloadType);
  if (sender.plan && sender.plan->traffic.payload_type != caps_payload_type) {
    std::fprintf(stderr, "rxbench recv: the stream's payload type is %d, the pipeline's caps said %d: pass --pt %d\n",
                 sender.plan->traffic.payload_type, caps_payload_type, sender.plan->traffic.payload_type);
  }
  // The sockets are bound before the plan comes: a sender of another layout
  // is told so (its datagrams are still accounted: another SSRC is refused).
  if (sender.plan) {
    const traffic_gen::TrafficSpec& t = sender.plan->traffic;
    const bool per_stream = many.sockets == spec::StreamSockets::kPerStream;
    if (t.streams != many.streams || (t.streams > 1 && sender.plan->per_stream_ports != per_stream)) {
      std::fprintf(stderr,
                   "rxbench recv: the sender sent %u stream(s)%s, this receiver was set for %u%s: pass --streams %u "
                   "--stream-sockets %s\n",
                   t.streams, sender.plan->per_stream_ports ? " to a port each" : "", many.streams,
                   per_stream ? " on a socket each" : "", t.streams,
                   sender.plan->per_stream_ports ? "per-stream" : "reuseport");
    }
  }
  if (sender.plan && !sender.sent) {
    std::fprintf(stderr,
                 "rxbench recv: run %s announced itself but its end never arrived%s: the sent count is unknown\n",
                 sender.plan->run_id.c_str(),
                 control.end_parts() > 0 ? (" whole (" + std::to_string(control.end_parts_held()) + " of " +
                                            std::to_string(control.end_parts()) + " parts)")
                                               .c_str()
                                         : "");
  }

  RunIdentity id;
  id.strategy = config.receiver.strategy.name;
  id.policies = config.receiver.strategy.Policies();
  id.scenario = sender.plan ? sender.plan->scenario : "external";
  id.measure = config.measurement.per_packet;
  id.kernel_timestamps = config.socket.kernel_timestamps;
  // A stream nobody announced still gets an id, so its results can be told apart.
  id.run_id = sender.plan ? sender.plan->run_id : !control.run_id().empty() ? control.run_id() : NewRunId();
  id.send_times_unavailable = SendTimesUnavailable(sender.plan, !control.run_id().empty());
  RunResult r = SummarizeRun(id, sender.sent, received);
  r.wall_s = static_cast<double>(metrics::MonotonicNs() - wall_start) / 1e9;
  PrintSummary(r, sender);
  if (r.per_stream.size() > 1) {
    std::printf("recv:");
    PrintStreams(r, 0, stdout);
  }
  if (!r.ok) std::fprintf(stderr, "rxbench recv: %s\n", r.error.c_str());

  // The traffic is what the sender's plan said, or unknown (null).
  const nlohmann::json settings = SettingsJson(id.scenario, sender.plan ? &sender.plan->traffic : nullptr, config);
  nlohmann::json invocation = {
      {"command", "recv"},
      {"command_line", command_line},
      {"run_id", id.run_id},
      {"bind", bind.host + ":" + std::to_string(side.port())},
      {"sender",
       {{"source", sender.source.empty() ? nlohmann::json(nullptr) : nlohmann::json(sender.source)},
        {"plan", sender.plan ? PlanJson(*sender.plan) : nlohmann::json(nullptr)},
        {"sent", sender.sent ? SentJson(*sender.sent) : nlohmann::json(nullptr)},
        {"sent_from", o.sent_from.empty() ? nlohmann::json(nullptr)
                                          : nlohmann::json{{"path", o.sent_from},
                                                           {"problem", sent_from_problem.empty()
                                                                           ? nlohmann::json(nullptr)
                                                                           : nlohmann::json(sent_from_problem)}}}}},
      {"control_port",
       {{"port", control_port},
        {"other_rtcp", control.not_ours()},
        {"malformed", control.malformed()},
        {"other_runs", control.foreign_run()},
        {"end_parts", control.end_parts()},
        {"end_parts_held", control.end_parts_held()}}}};
  nlohmann::json results = ResultsJson(settings, {r}, invocation);
  if (!sent_from_problem.empty() && !r.sent_known) {
    results["benchmarks"][0]["sent_unknown"] = sent_from_problem +
                                               "; no end message from rxbench gen: loss is told by "
                                               "seq_gaps only";
  }
  if (!o.out.empty()) {
    if (!WriteJsonFile(o.out, results, &error)) {
      std::fprintf(stderr, "rxbench recv: %s\n", error.c_str());
      return 1;
    }
    std::printf("results: %s\n", o.out.c_str());
  }
  return r.ok && sent_from_problem.empty() ? 0 : 1;
}

}  // namespace rxbench::harness
