#include "commands/gen_command.h"

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

#include "commands/host_port.h"
#include "commands/stop_request.h"
#include "commands/subcommand_summary.h"
#include "metrics/thread_usage.h"
#include "platform/boot_id.h"
#include "protocol/control_channel.h"
#include "protocol/run_messages.h"
#include "results/output_files.h"
#include "results/results_json.h"
#include "results/run_summary.h"
#include "traffic_gen/generator.h"
#include "traffic_gen/packet_schedule.h"

namespace rxbench::harness {
namespace {

std::string HostName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host;
}

// Sleeps `seconds` in short steps, returning early on a stop request.
void Pause(double seconds, const traffic_gen::Generator* generator) {
  const std::uint64_t until = metrics::MonotonicNs() + static_cast<std::uint64_t>(seconds * 1e9);
  while (metrics::MonotonicNs() < until && !StopRequested() && !(generator && generator->stopping())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

CLI::App* AddGenCommand(CLI::App* app, GenOptions* o) {
  CLI::App* gen = app->add_subcommand("gen", SubcommandSummary("gen"));
  gen->add_option("--dest", o->dest, "the receiver's ADDR:PORT (rxbench recv --bind)")->required();
  AddTrafficOptions(gen, &o->traffic);
  AddStreamOptions(gen, &o->traffic);
  AddManyStreamOptions(gen, &o->traffic, /*receiver_threads=*/false);
  gen->add_option("--receiver-buffer-size", o->traffic.spec.traffic.receiver_buffer_bytes,
                  "the receiver's --buffer-size, for --malformed oversize")
      ->capture_default_str();
  gen->add_flag("--verify-payload", o->traffic.spec.traffic.fill_pattern,
                "write the payload pattern into every packet, for a receiver with --verify-payload");
  gen->add_option("--control-port", o->control_port,
                  "where the run is announced (default: the RTP port + 1; 0: announce nothing)");
  gen->add_option("--warmup-pause", o->warmup_pause_s,
                  "seconds to pause after the warm-up, while the receiver opens its window (default 0.25)");
  gen->add_option("--run-id", o->run_id, "the run's id (default: 16 random hex digits)");
  gen->add_option("--out", o->out, "what was sent, as JSON (recv --sent-from reads it)");
  return gen;
}

int RunGen(const GenOptions& o, const std::string& command_line) {
  RunPlan plan;
  traffic_gen::TrafficSpec traffic = MakeTraffic(o.traffic, &plan.scenario);
  const HostPort dest = ParseHostPort(o.dest, "--dest", false);
  traffic.dest_host = dest.host;
  traffic.dest_port = dest.port;
  // Per-stream: stream k to the port recv binds for it (spec::StreamPort).
  plan.per_stream_ports = o.traffic.stream_sockets == "per-stream";
  if (plan.per_stream_ports) {
    CheckStreamPorts(dest.port, traffic.streams);
    for (unsigned k = 0; k < traffic.streams; ++k) {
      traffic.stream_ports.push_back(static_cast<std::uint16_t>(spec::StreamPort(dest.port, k)));
    }
  }
  if (std::string problem = traffic_gen::Validate(traffic); !problem.empty()) throw UsageError{problem};
  if (!(o.warmup_pause_s >= 0 && o.warmup_pause_s <= 60)) throw UsageError{"--warmup-pause must be 0..60 s"};
  if (o.control_port < -1 || o.control_port > 65535) throw UsageError{"--control-port must be 0..65535"};
  if (!o.out.empty()) {
    if (std::string problem = CheckWritableFile(o.out, "--out"); !problem.empty()) throw UsageError{problem};
  }
  plan.run_id = o.run_id.empty() ? NewRunId() : o.run_id;
  plan.traffic = traffic;
  {
    const traffic_gen::PacketSchedule schedule(traffic);
    // The schedule is one stream's; every stream sends it.
    plan.warmup_packets = schedule.warmup_end() * traffic.streams;
    plan.measured_packets = (schedule.total() - schedule.warmup_end()) * traffic.streams;
  }
  plan.warmup_pause_s = plan.warmup_packets > 0 ? o.warmup_pause_s : 0;
  plan.boot_id = platform::BootId();
  plan.host = HostName();

  ControlSender control;
  const std::uint16_t control_port =
      o.control_port < 0 ? ControlPortFor(dest.port) : static_cast<std::uint16_t>(o.control_port);
  const bool announcing = control_port != 0;
  std::string error;
  if (announcing && !control.Open(dest.host, control_port, &error)) {
    std::fprintf(stderr, "rxbench gen: %s\n", error.c_str());
    return 2;
  }
  // Not fatal: the receiver can still be told with --sent-from.
  auto announce = [&](RunMessageKind kind, const traffic_gen::GeneratorReport* sent) {
    if (!announcing) return;
    RunMessage m;
    m.kind = kind;
    m.run_id = plan.run_id;
    m.plan = plan;
    if (sent) m.sent = *sent;
    // The receiver opens its window on the warm-up's total; only the end
    // carries a count per stream (in as many parts as it takes).
    if (kind == RunMessageKind::kWarmupDone) m.sent.stream_sent.clear();
    std::string problem;
    if (!control.Announce(m, traffic.ssrc, &problem)) std::fprintf(stderr, "rxbench gen: %s\n", problem.c_str());
  };

  CatchStopRequests();
  const std::string streams = traffic.streams == 1
                                  ? ""
                                  : std::to_string(traffic.streams) + " streams (" +
                                        (plan.per_stream_ports ? "a port each, every 2nd" : "one port") + ") of ";
  std::printf("gen: run %s: %s%s %.0f pps, %zu B payload, %llu + %llu warm-up packets to %s:%u%s\n",
              plan.run_id.c_str(), streams.c_str(), traffic_gen::ToString(traffic.shape), traffic.rate_pps,
              traffic.payload_bytes, static_cast<unsigned long long>(plan.measured_packets),
              static_cast<unsigned long long>(plan.warmup_packets), dest.host.c_str(), dest.port,
              announcing ? (" (announced on port " + std::to_string(control_port) + ")").c_str() : "");
  std::fflush(stdout);
  announce(RunMessageKind::kPlan, nullptr);

  traffic_gen::Generator* running = nullptr;
  traffic_gen::GeneratorHooks hooks;
  // On the sender thread: the receiver learns the warm-up is over while the
  // sender pauses, and opens its window in the pause.
  hooks.after_warmup = [&](const traffic_gen::GeneratorReport& so_far) {
    const std::uint64_t start = metrics::MonotonicNs();
    announce(RunMessageKind::kWarmupDone, &so_far);
    Pause(plan.warmup_pause_s - static_cast<double>(metrics::MonotonicNs() - start) / 1e9, running);
  };
  traffic_gen::Generator generator(traffic, hooks);
  running = &generator;
  const std::uint64_t wall_start = metrics::MonotonicNs();
  if (!generator.Start(&error)) {
    std::fprintf(stderr, "rxbench gen: %s\n", error.c_str());
    return 1;
  }
  while (generator.running()) {
    if (StopRequested()) generator.Stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  generator.Wait();
  const traffic_gen::GeneratorReport sent = generator.Report();
  announce(RunMessageKind::kEnd, &sent);
  const double wall_s = static_cast<double>(metrics::MonotonicNs() - wall_start) / 1e9;

  const double achieved = sent.achieved_pps();
  const bool fell_behind = sent.fell_behind();
  std::printf(
      "gen: sent %llu packets (%llu warm-up, %llu measured), %llu send errors; offered %.0f pps, achieved %.0f pps%s\n",
      static_cast<unsigned long long>(sent.packets_sent), static_cast<unsigned long long>(sent.warmup_sent),
      static_cast<unsigned long long>(sent.measured_sent()), static_cast<unsigned long long>(sent.send_errors),
      sent.offered_pps, achieved, fell_behind ? " (fell behind)" : "");
  if (fell_behind) {
    std::fprintf(stderr, "rxbench gen: the generator fell behind: it offered %.0f pps where %.0f were asked for\n",
                 achieved, sent.offered_pps);
  }
  if (!o.out.empty()) {
    nlohmann::json generator_json = {
        {"achieved_pps", achieved},
        {"generator_fell_behind", fell_behind},
        {"cpu_ns_per_packet",
         sent.packets_sent > 0 ? static_cast<double>(sent.usage.cpu_ns) / static_cast<double>(sent.packets_sent) : 0.0},
        {"wall_time_s", wall_s},
        {"interrupted", StopRequested()}};
    const nlohmann::json json = {{"context",
                                  {{"command", "gen"},
                                   {"command_line", command_line},
                                   {"rxbench_version", RxbenchVersion()},
                                   {"host_name", plan.host}}},
                                 {"run_id", plan.run_id},
                                 {"plan", PlanJson(plan)},
                                 {"sent", SentJson(sent)},
                                 {"generator", generator_json}};
    if (!WriteJsonFile(o.out, json, &error)) {
      std::fprintf(stderr, "rxbench gen: %s\n", error.c_str());
      return 1;
    }
    std::printf("results: %s\n", o.out.c_str());
  }
  return sent.packets_sent > 0 ? 0 : 1;
}

}  // namespace rxbench::harness
