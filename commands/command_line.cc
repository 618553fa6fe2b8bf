#include "commands/command_line.h"

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "media/h264_clip.h"
#include "pipeline/pipeline.h"
#include "rtp/probe_extension.h"
#include "rtp/rtp_packet.h"
#include "run/scenario.h"
#include "run/warmup_time.h"

namespace rxbench::harness {

// "500" packets, or "0.25s" of the scenario's rate.
std::uint64_t ParseWarmup(const std::string& text, double rate_pps) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  const std::string unit = end != nullptr ? end : "";
  if (end == text.c_str() || !(value >= 0) || (unit != "" && unit != "s")) {
    throw UsageError{"--warmup " + text + ": want a packet count (500) or seconds (0.25s)"};
  }
  const double packets = unit == "s" ? value * rate_pps + 0.5 : value;
  // Checked before the cast, which is undefined for a double out of range
  // (1e30, inf); the warm-up's time is checked against the rate later.
  if (!(packets <= kMaxWarmupPackets)) {
    throw UsageError{"--warmup " + text + ": at most " + std::to_string(kMaxWarmupPackets) + " packets"};
  }
  return static_cast<std::uint64_t>(packets);
}

namespace {

// The invocation's first path: the one its rows run on unless they say.
spec::Path BasePath(const Options& o) {
  return o.paths.empty() ? spec::Path::kLoopback : *spec::ParsePath(o.paths.front());
}

}  // namespace

namespace {

// CLI11's own range checks print their bounds in full (a 300-digit number for
// "positive"); these say what is wanted.
const CLI::Validator& Positive() {
  static const CLI::Validator check(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0') return "'" + text + "' is not a number";
        if (!(value > 0) || value > 1e300) return "must be greater than 0, not " + text;
        return "";
      },
      "> 0");
  return check;
}

CLI::Validator Between(long long low, long long high) {
  return CLI::Validator(
      [low, high](std::string& text) -> std::string {
        char* end = nullptr;
        const long long value = std::strtoll(text.c_str(), &end, 10);
        if (end == text.c_str() || *end != '\0') return "'" + text + "' is not a whole number";
        if (value < low || value > high) {
          return "must be " + std::to_string(low) + " to " + std::to_string(high) + ", not " + text;
        }
        return "";
      },
      std::to_string(low) + ".." + std::to_string(high));
}

// --buffer-size: below an RTP header nothing could ever be received whole,
// which the message says rather than only the range.
CLI::Validator BufferSize() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const long long value = std::strtoll(text.c_str(), nullptr, 10);
        std::string problem = Between(64, 65536)(text);
        if (!problem.empty() && value >= 0 && value < static_cast<long long>(rtp::kHeaderBytes)) {
          problem =
              text + " bytes cannot hold an RTP header (" + std::to_string(rtp::kHeaderBytes) + " bytes); " + problem;
        }
        return problem;
      },
      "64..65536");
}

}  // namespace

// What the sender plays: `run`, `compare` and `gen`.
void AddTrafficOptions(CLI::App* app, Options* o) {
  app->add_option("--scenario", o->scenario, "named scenario (see `rxbench list`); default: default");
  app->add_option("--rate", o->rate, "packets per second")->check(Positive());
  app->add_option("--bitrate", o->bitrate, "bits per second on the wire (alternative to --rate)")
      ->check(Positive())
      ->excludes("--rate");
  app->add_option("--payload", o->payload, "RTP payload bytes (>= 16)");
  app->add_option("--shape", o->shape, "cbr (evenly paced) or burst (frames back to back)")
      ->check(CLI::IsMember({"cbr", "burst"}));
  app->add_option("--fps", o->fps, "frames per second for --shape burst, and the frame rate of --media h264")
      ->check(Positive());
  app->add_option("--media", o->media,
                  "what the packets carry: filler (default: probe + pattern) or h264 (an H.264 clip packetised as "
                  "RFC 6184, looped, one access unit per frame; the probe in an RTP header extension; the clip's "
                  "bitrate decides the packet rate, --shape burst sends each access unit back to back, cbr paces it "
                  "over its frame)")
      ->check(CLI::IsMember({"filler", "h264"}));
  app->add_option("--media-clip", o->spec.traffic.media_clip,
                  "the H.264 Annex B file for --media h264 (default: the clip tools/make_h264_clip.py makes)");
  app->add_option("--duration", o->duration, "seconds of traffic")->check(Positive());
  app->add_option("--packets", o->packets, "exact packet count (overrides --duration)");
  app->add_option("--cpu-generator", o->spec.traffic.cpu, "pin the generator thread to this CPU");
  app->add_option("--warmup", o->warmup,
                  "traffic before the measurement window: packets (1000) or seconds (0.25s); default " +
                      std::string(kDefaultWarmup) + " packets");
  app->add_option("--send-batch", o->spec.traffic.send_batch,
                  "datagrams per send call (default 1: every packet stamped right before its own send; more: "
                  "sendmmsg batches sharing one stamp, faster but later packets leave after their stamp)")
      ->check(Between(1, 64));
  app->add_option("--gso", o->spec.traffic.gso_segments,
                  "UDP GSO: up to N packets per send call (UDP_SEGMENT), one RTP packet per segment, stamped together "
                  "right before the call; every strategy then receives what the kernel makes of it (recv=gro takes "
                  "it coalesced, the others split). Default 0: off")
      ->check(Between(0, 64));
  app->add_flag("--tx-timestamps", o->spec.traffic.tx_timestamps,
                "diagnostic: compare each packet's send stamp with the kernel's TX timestamp (send_stamp_error)");
  app->add_option("--malformed", o->malformed,
                  "slip malformed datagrams between the valid packets: KIND[:RATE],... with KIND one of empty, short, "
                  "bad-version, csrc-overrun, extension-overrun, padding-overrun, foreign-ssrc, bad-payload-type, "
                  "oversize; RATE a fraction or percentage of packets (default 1%)");
  app->add_option("--impair", o->impair,
                  "impair the measured stream on purpose: loss=R,dup=R,reorder=R (any subset; R a fraction or "
                  "percentage): withheld packets are never sent, a duplicate goes out twice, a reordered packet "
                  "right after its successor");
  app->add_option("--seed", o->spec.traffic.seed, "seed of the malformed datagrams' and the impairments' placement")
      ->capture_default_str();
}

// How the receive side is built and measured: `run`, `compare` and `recv`.
void AddReceiveOptions(CLI::App* app, Options* o) {
  app->add_option("--buffer", o->buffer, "buffer source override: alloc, gstpool, freelist")
      ->check(CLI::IsMember({"alloc", "gstpool", "freelist"}));
  app->add_option("--sync", o->sync, "stop/stats sync override: mutex, atomic")
      ->check(CLI::IsMember({"mutex", "atomic"}));
  app->add_option("--recv", o->recv, "receive call override: recvfrom, recvmmsg, iouring, gro")
      ->check(CLI::IsMember({"recvfrom", "recvmmsg", "iouring", "gro"}));
  app->add_option("--push", o->push, "push override: single, list")->check(CLI::IsMember({"single", "list"}));
  app->add_option("--wait", o->wait,
                  "receive-wait override: sleep, busy-poll, prefer-busy-poll (CAP_NET_ADMIN), napi (recv=iouring); "
                  "busy polling acts only where packets come through a NAPI instance, not on loopback")
      ->check(CLI::IsMember({"sleep", "busy-poll", "prefer-busy-poll", "napi"}));
  app->add_option("--busy-poll-us", o->spec.receive.receiver.busy_poll_us,
                  "how long a busy-polling wait polls the device's NAPI queue before it sleeps, in microseconds "
                  "(SO_BUSY_POLL, epoll's and io_uring's busy poll timeout); only with a wait other than sleep")
      ->capture_default_str()
      ->check(Between(1, 1000000));
  app->add_option("--batch", o->spec.receive.receiver.batch, "datagrams per recvmmsg / io_uring / gro call")
      ->capture_default_str()
      ->check(Between(1, 1024));
  app->add_option("--buffer-size", o->spec.receive.receiver.buffer_size, "bytes per receive buffer")
      ->capture_default_str()
      ->check(BufferSize());
  app->add_option(
         "--pool-size", o->spec.receive.receiver.pool_size,
         "buffers in a pool or ring; pools never grow: when the pipeline holds them all, the receiver waits and the socket backs up")
      ->capture_default_str()
      ->check(Between(1, 1 << 20));
  app->add_option("--rcvbuf", o->spec.receive.socket.rcvbuf_bytes, "receive socket buffer bytes")
      ->capture_default_str()
      ->check(Between(0, 1 << 30));
  CLI::Option* pipeline = app->add_option("--pipeline", o->spec.receive.pipeline.description,
                                          "pipeline description with 'appsrc name=src' and an element 'name=sink'");
  app->add_option("--pipeline-preset", o->pipeline_preset,
                  "a named pipeline instead of --pipeline: production (the default), h264 (depayload and decode "
                  "RFC 6184 H.264: frame counts, damage, decoder CPU), h264-depay (depayload only)")
      ->check(CLI::IsMember(PresetNames()))
      ->excludes(pipeline);
  app->add_option("--measure", o->measure, "full: per-packet timestamps and histograms; minimal: counts only")
      ->check(CLI::IsMember({"full", "minimal"}));
  app->add_flag("--kernel-timestamps", o->spec.receive.socket.kernel_timestamps,
                "kernel receive timestamps (SO_TIMESTAMPNS) and drop counts (SO_RXQ_OVFL) as control messages, "
                "for every strategy; costs kernel time per datagram");
  app->add_option(
         "--counters", o->spec.receive.measurement.counters,
         "receiver-thread counters, perf stat -e names (software events are added when no hardware counter can be read)")
      ->capture_default_str()
      ->delimiter(',');
  app->add_option("--cpu-receiver", o->spec.receive.receiver.cpu, "pin the receiver thread to this CPU");
  app->add_option("--cpu-pipeline", o->spec.receive.pipeline.cpu,
                  "pin every pipeline thread (streaming threads and element-private ones) to this CPU");
  app->add_option(
      "--inject-cost-ns", o->spec.receive.receiver.inject_cost_ns,
      "spin this many ns per packet in the receiver: a known regression, to check a CI gate (not for udpsrc)");
  app->add_option("--inject-instructions", o->spec.receive.receiver.inject_instructions,
                  "run a fixed loop this many times per packet in the receiver (about 3 instructions each): a "
                  "known regression in instructions, to check the exact tier of a CI gate (not for udpsrc)");
  app->add_flag("--verify-payload", o->spec.receive.measurement.verify_payload,
                "the generator writes the payload pattern and the sink checks every byte of every packet "
                "(payload_mismatches); costs both sides");
  app->add_flag("--phase-timing", o->spec.receive.receiver.phase_timing,
                "time the receive loop's phases (receive call, acquire, validate+stamp, push) on one batch in 64");
  app->add_flag("--count-syscalls", o->spec.receive.measurement.count_syscalls,
                "count every syscall of the receiver thread (a kernel tracepoint, as root); it slows every syscall "
                "on the host while on, so it is opt-in (README)");
}

// The stream's identity, for either side.
void AddStreamOptions(CLI::App* app, Options* o) {
  app->add_option("--ssrc", o->ssrc,
                  "the stream's SSRC (0x52584243 or decimal): the sender uses it, and the receive loop refuses "
                  "datagrams of any other SSRC (foreign-ssrc) from the first on, instead of locking on the first "
                  "valid packet");
  app->add_option("--pt", o->payload_type,
                  "the stream's RTP payload type (0..127): sent with it, and any other is refused "
                  "(bad-payload-type) from the first datagram on")
      ->check(Between(0, 127));
}

void AddPathOption(CLI::App* app, Options* o, bool list) {
  CLI::Option* option = app->add_option(
      "--path", o->paths,
      list ? "loopback, veth, or both (loopback,veth): each strategy on each path, interleaved; rows on the second "
             "path are named STRATEGY+path=veth. veth needs root (docs/user_guide.md, \"The veth path\")"
           : "loopback (default), or veth: the generator in its own network namespace, its packets through a veth "
             "pair with GRO (NAPI) into the receiver's; needs root (docs/user_guide.md, \"The veth path\")");
  option->check(CLI::IsMember({"loopback", "veth"}));
  app->add_option("--veth-napi", o->veth_napi,
                  std::string("with --path veth: threaded (default), the receiving veth's NAPI poll in a kernel thread "
                              "of its own, so kernel GRO coalesces for recv=gro; or softirq, in the sender's softirq "
                              "after every packet (nothing coalesced)"))
      ->check(CLI::IsMember({"threaded", "softirq"}));
  if (list) {
    option->delimiter(',');
  } else {
    option->expected(1);
  }
}

std::string VethNapiWithoutVeth(const Options& o, bool any_row_on_veth) {
  if (o.veth_napi.empty() || any_row_on_veth) return "";
  return "--veth-napi " + o.veth_napi + " acts on the veth path only: give --path veth";
}

void AddScenarioOptions(CLI::App* app, Options* o) {
  AddTrafficOptions(app, o);
  // Only where generator and receiver share a process: the generator waits
  // for the receive side after each round.
  app->add_option("--lock-step", o->spec.traffic.lock_step_packets,
                  "send in rounds of K packets, unpaced; the receiver reads a round only once all of it is queued, "
                  "and the next is sent once it has left the pipeline: batch sizes and wake-ups then repeat from "
                  "run to run (the exact tier; not for udpsrc or iouring)")
      ->check(Between(0, 1000000));
  AddReceiveOptions(app, o);
  AddStreamOptions(app, o);
  AddManyStreamOptions(app, o, /*receiver_threads=*/true);
}

void CheckStreamPorts(unsigned first_port, unsigned streams) {
  const unsigned last = spec::StreamPort(first_port, streams - 1);
  if (last > 65535) {
    throw UsageError{"--streams " + std::to_string(streams) + " per-stream from port " + std::to_string(first_port) +
                     " would need ports up to " + std::to_string(last) + ": give a lower port"};
  }
}

void AddManyStreamOptions(CLI::App* app, Options* o, bool receiver_threads) {
  app->add_option("--streams", o->spec.receive.streams.streams,
                  "RTP streams sent at once, each at the scenario's rate, with SSRCs --ssrc + 0..N-1 and a pipeline "
                  "each (docs/streams.md)")
      ->check(Between(1, traffic_gen::kMaxStreams))
      ->capture_default_str();
  if (receiver_threads) {
    app->add_option("--receivers", o->spec.receive.streams.receivers,
                    "receiver threads; each routes datagrams by SSRC to their stream's pipeline")
        ->check(Between(1, 1024))
        ->capture_default_str();
  }
  app->add_option("--stream-sockets", o->stream_sockets,
                  "reuseport: every stream to one port, read by --receivers sockets in one SO_REUSEPORT group; "
                  "per-stream: a socket (and port) per stream, dealt to the receiver threads in turn; a given port "
                  "P puts stream k on P + 2k (its RTCP port after it)")
      ->check(CLI::IsMember({"reuseport", "per-stream"}))
      ->capture_default_str();
}

namespace {

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
  } else if (axis == "wait") {
    if (auto kind = receivers::ParseWaitKind(value)) spec->wait = *kind, ok = true;
  } else {
    throw UsageError{"unknown policy axis '" + axis + "' (buffer, sync, recv, push or wait)"};
  }
  if (!ok) throw UsageError{"unknown " + axis + " policy '" + value + "'"};
}

}  // namespace

// A strategy is a preset name, optionally with overrides written the way they
// are reported: "pooled+buffer=gstpool+push=list". The --buffer/--sync/--recv/
// --push/--wait flags add overrides to every strategy of the invocation.
Contender ResolveStrategy(const std::string& text, const Options& o) {
  const std::string name = receivers::PresetNameOf(text);
  std::optional<receivers::StrategySpec> spec = receivers::FindPreset(name);
  if (!spec) throw UsageError{"unknown strategy '" + text.substr(0, text.find('+')) + "' (see `rxbench list`)"};
  const std::size_t plus = name.size() < text.size() ? name.size() : std::string::npos;
  std::vector<std::pair<std::string, std::string>> overrides;
  std::optional<Measure> measure;
  std::optional<spec::Path> path;
  if (plus != std::string::npos) {
    std::stringstream list(text.substr(plus + 1));
    for (std::string item; std::getline(list, item, '+');) {
      const std::size_t eq = item.find('=');
      if (eq == std::string::npos) throw UsageError{"bad override '" + item + "' in '" + text + "' (want axis=value)"};
      const std::string axis = item.substr(0, eq), value = item.substr(eq + 1);
      if (axis == "measure") {
        if (value != "full" && value != "minimal")
          throw UsageError{"measure must be full or minimal, not '" + value + "'"};
        measure = value == "full" ? Measure::kFull : Measure::kMinimal;
      } else if (axis == "path") {
        path = spec::ParsePath(value);
        if (!path) throw UsageError{"path must be loopback or veth, not '" + value + "'"};
        if (*path == BasePath(o)) path.reset();  // the invocation's own path: nothing differs
      } else {
        overrides.emplace_back(axis, value);
      }
    }
  }
  // The flags apply to every receive-loop strategy of the invocation; udpsrc
  // and null have no such policies and run as they are.
  if (spec->receiver == receivers::ReceiverKind::kLoop) {
    for (const auto& [axis, value] : {std::pair<const char*, const std::string&>{"buffer", o.buffer},
                                      {"sync", o.sync},
                                      {"recv", o.recv},
                                      {"push", o.push},
                                      {"wait", o.wait}}) {
      if (!value.empty()) overrides.emplace_back(axis, value);
    }
  }
  if (o.spec.receive.receiver.inject_cost_ns > 0 && spec->receiver == receivers::ReceiverKind::kUdpsrc) {
    throw UsageError{"--inject-cost-ns cannot act inside GStreamer's udpsrc; gate receive-loop strategies"};
  }
  if (o.spec.receive.receiver.inject_instructions > 0 && spec->receiver == receivers::ReceiverKind::kUdpsrc) {
    throw UsageError{"--inject-instructions cannot act inside GStreamer's udpsrc; gate receive-loop strategies"};
  }
  if (!overrides.empty() && spec->receiver != receivers::ReceiverKind::kLoop) {
    throw UsageError{"policy overrides apply to receive-loop strategies, not '" + name + "'"};
  }
  const receivers::StrategySpec preset = *spec;
  for (const auto& [axis, value] : overrides) ApplyOverride(&*spec, axis, value);
  // A combination that means nothing is refused, not silently run as something else.
  if (std::string problem = receivers::CheckPolicies(*spec); !problem.empty()) {
    throw UsageError{"'" + text + "': " + problem};
  }
  const spec::StreamsSpec& many = o.spec.receive.streams;
  const bool per_stream = o.stream_sockets == "per-stream";
  if (spec->receiver == receivers::ReceiverKind::kUdpsrc && many.receivers > 1) {
    throw UsageError{"--receivers: udpsrc reads each socket on its own pipeline's thread; it has no receiver threads"};
  }
  if (spec->receiver == receivers::ReceiverKind::kUdpsrc && many.streams > 1 && !per_stream) {
    throw UsageError{
        "--streams with udpsrc needs --stream-sockets per-stream: udpsrc cannot route a shared socket's datagrams "
        "by SSRC to each stream's pipeline"};
  }
  if (spec->receiver == receivers::ReceiverKind::kLoop && spec->recv == receivers::RecvKind::kIoUring && per_stream &&
      many.receivers < many.streams) {
    throw UsageError{"'" + text +
                     "': io_uring reads one socket per ring: with --stream-sockets per-stream give as many "
                     "--receivers as --streams"};
  }
  // Lock-step needs a receiver that reads only when told (receivers/read_gate.h).
  if (o.spec.traffic.lock_step_packets > 0 && spec->receiver == receivers::ReceiverKind::kUdpsrc) {
    throw UsageError{"--lock-step: udpsrc reads inside the pipeline as datagrams arrive; it cannot wait for a round"};
  }
  if (o.spec.traffic.lock_step_packets > 0 && spec->receiver == receivers::ReceiverKind::kLoop &&
      spec->recv == receivers::RecvKind::kIoUring) {
    throw UsageError{
        "--lock-step: io_uring's multishot receive takes datagrams off the socket as they arrive; it "
        "cannot wait for a round"};
  }
  // The name says what differs from the preset, so every result is traceable.
  std::string suffix;
  auto note = [&](const char* axis, const char* before, const char* after) {
    if (std::string(before) != after) suffix += std::string("+") + axis + "=" + after;
  };
  note("buffer", pools::ToString(preset.buffer), pools::ToString(spec->buffer));
  note("sync", receivers::ToString(preset.sync), receivers::ToString(spec->sync));
  note("recv", receivers::ToString(preset.recv), receivers::ToString(spec->recv));
  note("push", receivers::ToString(preset.push), receivers::ToString(spec->push));
  note("wait", receivers::ToString(preset.wait), receivers::ToString(spec->wait));
  if (measure) suffix += std::string("+measure=") + (*measure == Measure::kFull ? "full" : "minimal");
  if (path) suffix += std::string("+path=") + spec::ToString(*path);
  spec->name = name + suffix;
  return {*spec, measure, path};
}

std::vector<std::string> ExpandPaths(const std::vector<std::string>& strategies, const Options& o) {
  if (o.paths.size() <= 1) return strategies;
  std::vector<std::string> rows = strategies;
  for (std::size_t i = 1; i < o.paths.size(); ++i) {
    for (const std::string& text : strategies) {
      if (text.find("+path=") != std::string::npos)
        throw UsageError{"'" + text + "' names its path: give paths either with --path or in the strategies"};
      rows.push_back(text + "+path=" + o.paths[i]);
    }
  }
  return rows;
}

namespace {

// "0x52584243" or "1381516867".
std::uint32_t ParseSsrc(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 0);
  if (text.empty() || end == text.c_str() || *end != '\0' || errno != 0 || value > 0xFFFFFFFFull || text[0] == '-') {
    throw UsageError{"--ssrc " + text + ": want a 32-bit number, 0x52584243 or 1381516867"};
  }
  return static_cast<std::uint32_t>(value);
}

void CheckCpu(const char* flag, int cpu) {
  const int cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  if (cpu < -1 || cpu >= cpus) {
    throw UsageError{std::string(flag) + " " + std::to_string(cpu) + ": this machine has CPUs 0.." +
                     std::to_string(cpus - 1)};
  }
}

}  // namespace

traffic_gen::TrafficSpec MakeTraffic(const Options& o, std::string* scenario_name) {
  const std::string name = o.scenario.empty() ? kDefaultScenario : o.scenario;
  std::optional<Scenario> scenario = FindScenario(name);
  if (!scenario) throw UsageError{"unknown scenario '" + name + "' (see `rxbench list`)"};
  // The options bound to the traffic's own fields, then the scenario's shape
  // of the stream, then what the options say of that shape.
  traffic_gen::TrafficSpec traffic = o.spec.traffic;
  scenario->ApplyTo(&traffic);
  const bool customised = o.rate || o.bitrate || o.payload || o.fps || !o.shape.empty() || o.duration || o.packets;
  *scenario_name = customised && o.scenario.empty() ? "custom" : scenario->name;
  if (o.payload) traffic.payload_bytes = *o.payload;
  if (o.rate) traffic.rate_pps = *o.rate;
  if (o.bitrate) traffic.rate_pps = traffic_gen::RateForBitrate(*o.bitrate, traffic.payload_bytes);
  if (!o.shape.empty()) traffic.shape = *traffic_gen::ParseShape(o.shape);
  if (o.fps) traffic.fps = *o.fps;
  if (o.duration) traffic.duration_s = *o.duration;
  if (o.packets) traffic.packet_count = *o.packets;
  if (!o.media.empty()) traffic.media = *traffic_gen::ParseMedia(o.media);
  if (traffic.media == traffic_gen::Media::kH264) {
    if (o.rate || o.bitrate) throw UsageError{"--media h264: the clip decides the rate; give no --rate or --bitrate"};
    const std::string clip = traffic.media_clip.empty() ? media::DefaultH264ClipPath() : traffic.media_clip;
    media::H264Clip loaded;
    std::string error;
    if (traffic.payload_bytes < rtp::kProbeExtensionBytes + media::kMinRtpPayload ||
        !media::LoadH264Clip(clip, traffic.payload_bytes - rtp::kProbeExtensionBytes, &loaded, &error)) {
      throw UsageError{"--media h264: " + (error.empty() ? "--payload too small" : error)};
    }
    // The rate the warm-up and the stream's length are counted in.
    traffic.rate_pps =
        static_cast<double>(loaded.payloads.size()) * traffic.fps / static_cast<double>(loaded.packets_per_unit.size());
  }
  traffic.dest_port = 9;  // placeholder for validation; the caller sets the real destination
  if (std::string problem = traffic_gen::Validate(traffic); !problem.empty()) throw UsageError{problem};
  traffic.warmup_packets = ParseWarmup(o.warmup, traffic.rate_pps);
  if (const double warmup_s = ScheduledWarmupS(traffic); warmup_s > kMaxWarmupS) {
    char line[320];
    std::snprintf(line, sizeof line,
                  "the warm-up (--warmup %s%s) takes %.0f s at %g pps, more than %.0f s: give a shorter --warmup "
                  "(packets, or seconds: --warmup 2s) or a higher --rate",
                  o.warmup.c_str(), o.warmup == kDefaultWarmup ? ", the default" : "", warmup_s, traffic.rate_pps,
                  kMaxWarmupS);
    throw UsageError{line};
  }
  if (traffic.gso_segments > 1 && traffic.send_batch != 1)
    throw UsageError{"--gso replaces --send-batch: use one or the other"};
  if (traffic.gso_segments > 1 && !o.malformed.empty()) throw UsageError{"--malformed cannot be combined with --gso"};
  if (traffic.gso_segments > 1 && traffic.tx_timestamps)
    throw UsageError{"--tx-timestamps cannot be combined with --gso"};
  if (!o.malformed.empty()) {
    std::string error;
    if (!traffic_gen::ParseMalformedSpec(o.malformed, &traffic.malformed, &error))
      throw UsageError{"--malformed: " + error};
    if (traffic.send_batch != 1) throw UsageError{"--malformed needs --send-batch 1"};
  }
  if (!o.impair.empty()) {
    std::string error;
    if (!traffic_gen::ParseImpairmentSpec(o.impair, &traffic.impair, &error)) throw UsageError{error};
  }
  if (!o.ssrc.empty()) traffic.ssrc = ParseSsrc(o.ssrc);
  if (o.payload_type) traffic.payload_type = static_cast<std::uint8_t>(*o.payload_type);
  traffic.streams = o.spec.receive.streams.streams;
  if (traffic.streams > 1) {
    for (const auto& [given, flag] : {std::pair<bool, const char*>{traffic.send_batch != 1, "--send-batch"},
                                      {traffic.gso_segments > 1, "--gso"},
                                      {!o.malformed.empty(), "--malformed"},
                                      {!o.impair.empty(), "--impair"},
                                      {traffic.tx_timestamps, "--tx-timestamps"}}) {
      if (given) throw UsageError{std::string(flag) + " acts on one stream: not with --streams > 1"};
    }
  }
  CheckCpu("--cpu-generator", traffic.cpu);
  // Again, with everything the options added to the traffic.
  if (std::string problem = traffic_gen::Validate(traffic); !problem.empty()) throw UsageError{problem};
  return traffic;
}

spec::ReceiveSideSpec MakeReceiveSide(const Options& o) {
  spec::ReceiveSideSpec r = o.spec.receive;
  r.streams.sockets = *spec::ParseStreamSockets(o.stream_sockets);
  if (r.streams.sockets == spec::StreamSockets::kPerStream && r.streams.receivers > r.streams.streams) {
    throw UsageError{"--receivers " + std::to_string(r.streams.receivers) + " > --streams " +
                     std::to_string(r.streams.streams) +
                     " with per-stream sockets: a receiver thread would have no socket"};
  }
  if (r.streams.receivers > 1 && o.spec.traffic.lock_step_packets > 0) {
    throw UsageError{"--lock-step releases its rounds to one receiver thread: not with --receivers > 1"};
  }
  r.measurement.per_packet = o.measure != "minimal";
  if (!o.ssrc.empty()) r.receiver.expected_ssrc = ParseSsrc(o.ssrc);
  if (o.payload_type) r.receiver.expected_payload_type = static_cast<std::uint8_t>(*o.payload_type);
  CheckCpu("--cpu-receiver", r.receiver.cpu);
  CheckCpu("--cpu-pipeline", r.pipeline.cpu);
  if (!o.pipeline_preset.empty()) {
    r.pipeline.description = PresetDescription(o.pipeline_preset);
    r.pipeline.preset = o.pipeline_preset;
  }
  if (!r.pipeline.description.empty()) {
    std::string error;
    if (!Pipeline::Create(r.pipeline.description, -1, nullptr, &error)) throw UsageError{error};
  }
  return r;
}

spec::RunSpec MakeRunSpec(const Options& o) {
  spec::RunSpec run = o.spec;
  run.path = BasePath(o);
  if (!o.veth_napi.empty()) run.veth_napi = *spec::ParseVethNapi(o.veth_napi);
  run.traffic = MakeTraffic(o, &run.scenario);
  run.receive = MakeReceiveSide(o);
  // A depayloader fed filler drops it all: in one process the preset needs the
  // generator's H.264 (recv keeps it for any H.264 sender).
  if (!o.pipeline_preset.empty() && o.pipeline_preset != "production" &&
      run.traffic.media != traffic_gen::Media::kH264) {
    throw UsageError{"--pipeline-preset " + o.pipeline_preset + " depayloads H.264: give --media h264"};
  }
  if (o.repetitions < 1) throw UsageError{"--repetitions must be at least 1"};
  return run;
}

}  // namespace rxbench::harness
