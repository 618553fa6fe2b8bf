#include "run/runner.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "media/h264_clip.h"
#include "metrics/thread_usage.h"
#include "netpath/scoped_netns.h"
#include "netpath/veth_names.h"
#include "pipeline/frame_reference.h"
#include "pipeline/receive_side.h"
#include "receivers/read_gate.h"
#include "results/run_summary.h"
#include "rtp/rtp_packet.h"
#include "run/warmup_gate.h"
#include "run/warmup_time.h"
#include "traffic_gen/generator.h"

namespace rxbench::harness {
namespace {

void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// The generator's thread as it left: its final sample for the census.
platform::ThreadSample FinalSample(const traffic_gen::GeneratorReport& sent) {
  platform::ThreadSample s;
  s.tid = sent.tid;
  s.comm = "rxgen";
  s.cpu_ns = sent.usage.cpu_ns;
  s.user_ns = sent.usage.user_ns;
  s.sys_ns = sent.usage.sys_ns;
  s.voluntary_switches = sent.usage.voluntary_switches;
  s.involuntary_switches = sent.usage.involuntary_switches;
  s.run_queue_wait_ns = sent.usage.run_queue_wait_ns;
  return s;
}

RunResult Failed(const spec::RunSpec& config, std::string error) {
  RunResult r;
  r.strategy = config.receive.receiver.strategy.name;
  r.policies = config.receive.receiver.strategy.Policies();
  r.scenario = config.scenario;
  r.offered_pps = config.traffic.rate_pps * config.receive.streams.streams;  // every stream's
  r.path = spec::ToString(config.path);
  if (config.path == spec::Path::kVeth) r.veth_napi = spec::ToString(config.veth_napi);
  r.ok = false;
  r.error = std::move(error);
  return r;
}

// A progress line while the generator runs, for a person watching.
class Progress {
 public:
  Progress(const spec::RunSpec& config, bool progress, const ReceiveSide& side)
      : name_(config.receive.receiver.strategy.name),
        side_(side),
        expected_s_(static_cast<double>(config.traffic.TotalPackets()) / config.traffic.rate_pps),
        // Only runs longer than 2 s show where they are within the run.
        shown_(progress && expected_s_ > 2.0 && isatty(STDERR_FILENO)),
        start_ns_(metrics::MonotonicNs()) {}
  ~Progress() {
    if (shown_) std::fprintf(stderr, "\r%72s\r", "");
  }
  bool shown() const { return shown_; }
  void Show() const {
    if (!shown_) return;
    const double t = static_cast<double>(metrics::MonotonicNs() - start_ns_) / 1e9;
    std::fprintf(stderr, "\r  %-14s %5.1f / %.1f s   delivered %-10llu", name_.c_str(), t, expected_s_,
                 static_cast<unsigned long long>(side_.Delivered()));
  }

 private:
  const std::string name_;
  const ReceiveSide& side_;
  const double expected_s_;
  const bool shown_;
  const std::uint64_t start_ns_;
};

// Lock-step, before the first release: until the receiver sleeps at the gate
// (false if it never does within kParkNs: it failed to start).
bool WaitForParked(const receivers::ReadGate& gate) {
  constexpr std::uint64_t kParkNs = 10'000'000'000;
  const std::uint64_t deadline = metrics::MonotonicNs() + kParkNs;
  while (!gate.parked()) {
    if (metrics::MonotonicNs() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  return true;
}

// Lock-step, on the sender thread after a round of `released` datagrams:
// returns once the receiver has taken them all, each has left the pipeline or
// been refused (for null, taken is the end), and the receiver sleeps at the
// gate again. It reads atomics only, so that it does not disturb the threads
// it waits for. False when the counts stand still for kRoundStallNs short of
// the round: a datagram was lost (kernel drop, pipeline drop) and the stream
// goes on without it.
bool WaitForRound(const receivers::ReadGate& gate, const ReceiveSide& receive, bool is_null, std::uint64_t released) {
  // Generous: under valgrind a round of 64 packets takes tens of milliseconds.
  constexpr std::uint64_t kRoundStallNs = 5'000'000'000;
  auto done = [&] {
    return gate.taken() >= released && (is_null || receive.Delivered() + gate.refused() >= released) && gate.parked();
  };
  std::uint64_t last = 0, last_change = metrics::MonotonicNs();
  while (!done()) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    const std::uint64_t now = gate.taken() + (is_null ? 0 : receive.Delivered() + gate.refused());
    if (now != last) {
      last = now;
      last_change = metrics::MonotonicNs();
    } else if (metrics::MonotonicNs() - last_change > kRoundStallNs) {
      return false;
    }
  }
  return true;
}

// --media h264: a loss-free decode of the clip the generator loops, made once
// per process for each clip and frame rate and kept (every run of a
// comparison sends the same clip); nullptr, said once, when it cannot be made
// (damage is then unknown).
const FrameReference* MediaReference(const traffic_gen::TrafficSpec& traffic) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, double>, std::unique_ptr<FrameReference>> made;
  const std::string path = traffic.media_clip.empty() ? media::DefaultH264ClipPath() : traffic.media_clip;
  std::lock_guard<std::mutex> lock(mutex);
  auto [it, added] = made.try_emplace({path, traffic.fps});
  if (!added) return it->second.get();
  media::H264Clip clip;
  std::string error;
  auto reference = std::make_unique<FrameReference>();
  // The packet size does not change what is decoded.
  if (!media::LoadH264Clip(path, 1200, &clip, &error) || !ClipReference(clip, traffic.fps, reference.get(), &error)) {
    std::fprintf(stderr, "rxbench: no reference decode of %s (damaged frames unknown): %s\n", path.c_str(),
                 error.c_str());
    return nullptr;
  }
  it->second = std::move(reference);
  return it->second.get();
}

}  // namespace

RunResult RunOnce(const spec::RunSpec& config, bool progress, ReceiveSideHooks receive_hooks) {
  // --path veth: this thread works in the receive side's namespace for the
  // whole run (its socket is made there, and its /proc/net counters are read
  // there), but for the generator's start in the sender's (below). Declared
  // first: the receive side is gone before the thread leaves.
  const netpath::VethNames veth = netpath::NamesFor(getpid());
  const bool on_veth = config.path == spec::Path::kVeth;
  const netpath::ScopedNetns in_receiver(on_veth ? veth.receiver_netns : "");
  if (!in_receiver.ok()) return Failed(config, in_receiver.error());
  // Lock-step: declared first, so that it outlives the receiver that waits at it.
  const std::uint64_t round = config.traffic.lock_step_packets;
  receivers::ReadGate read_gate;
  if (round > 0) receive_hooks.read_gate = &read_gate;
  // A depayloading pipeline judges each decoded frame against the clip's own.
  if (config.traffic.media == traffic_gen::Media::kH264 && !config.receive.pipeline.description.empty() &&
      receive_hooks.frame_reference == nullptr) {
    receive_hooks.frame_reference = MediaReference(config.traffic);
  }
  ReceiveSide receive(config.receive, std::move(receive_hooks));
  std::string error;
  if (!receive.Start(&error)) return Failed(config, error);

  traffic_gen::TrafficSpec traffic = config.traffic;
  // To the receive side's socket; what the generator must know of the
  // receiver is the receive side's, set here and nowhere else.
  traffic.dest_host = config.receive.socket.bind_host;
  traffic.dest_port = receive.port();
  traffic.streams = config.receive.streams.streams;
  if (config.receive.streams.sockets == spec::StreamSockets::kPerStream && traffic.streams > 1) {
    traffic.stream_ports = receive.stream_ports();
  }
  traffic.fill_pattern = config.receive.measurement.verify_payload;
  traffic.receiver_buffer_bytes = config.receive.receiver.buffer_size;
  const bool warmup = traffic.warmup_packets > 0;

  WarmupGate gate;
  traffic_gen::GeneratorHooks hooks;
  hooks.on_thread_start = [&receive](pid_t tid) { receive.roles().Announce(tid, ThreadRole::kGenerator, "generator"); };
  if (warmup) hooks.after_warmup = [&gate](const traffic_gen::GeneratorReport& sent) { gate.Arrive(sent); };
  RunResult::LockStep lock_step;
  lock_step.packets_per_round = round;
  if (round > 0) {
    const bool is_null = config.receive.receiver.strategy.receiver == receivers::ReceiverKind::kNull;
    hooks.after_round = [&, is_null](const traffic_gen::GeneratorReport& so_far) {
      ++lock_step.rounds;
      // The first round too is released to a receiver asleep at the gate.
      if (lock_step.rounds == 1 && !WaitForParked(read_gate)) ++lock_step.unfinished_rounds;
      read_gate.Release(so_far.packets_sent);
      if (!WaitForRound(read_gate, receive, is_null, so_far.packets_sent)) ++lock_step.unfinished_rounds;
    };
  }
  traffic_gen::Generator generator(traffic, hooks);
  // Destroyed first on every path: the sender never waits at the gate for a
  // harness that has given up.
  struct ReleaseOnExit {
    WarmupGate& gate;
    ~ReleaseOnExit() { gate.Release(); }
  } release_on_exit{gate};

  const std::uint64_t wall_start = metrics::MonotonicNs();
  if (!warmup) receive.OpenWindow();
  bool started;
  {
    const netpath::ScopedNetns in_sender(on_veth ? veth.sender_netns : "");
    if (!in_sender.ok()) error = in_sender.error();
    started = in_sender.ok() && generator.Start(&error);
  }
  if (!started) return Failed(config, error);
  if (warmup) {
    const double wait_s = WarmupWaitS(ScheduledWarmupS(traffic));
    const auto sent = gate.WaitForArrival(wait_s, [&] { return !generator.running(); });
    if (!sent) {
      char why[160];
      std::snprintf(why, sizeof why, "the generator did not finish its warm-up within %.0f s", wait_s);
      return Failed(config, why);
    }
    receive.WaitUntilExplained(sent->packets_sent, config.drain_timeout_s);
    receive.OpenWindow();
    gate.Release();
  }
  {
    // The harness's own thread sleeps while the stream plays (its wake-ups
    // would compete with the receive path), unless someone watches.
    const Progress shown(config, progress, receive);
    while (shown.shown() && generator.running()) {
      SleepMs(250);
      shown.Show();
    }
  }
  generator.Wait();
  const traffic_gen::GeneratorReport sent = generator.Report();
  receive.WaitUntilExplained(sent.packets_sent, config.drain_timeout_s);
  receive.CloseWindow({{sent.tid, FinalSample(sent)}});
  const ReceiveReport received = receive.Finish(config.drain_timeout_s);

  RunIdentity id;
  id.strategy = config.receive.receiver.strategy.name;
  id.policies = config.receive.receiver.strategy.Policies();
  id.scenario = config.scenario;
  id.measure = config.receive.measurement.per_packet;
  id.kernel_timestamps = config.receive.socket.kernel_timestamps;
  RunResult r = SummarizeRun(id, sent, received);
  r.path = spec::ToString(config.path);
  if (config.path == spec::Path::kVeth) r.veth_napi = spec::ToString(config.veth_napi);
  if (round > 0) {
    lock_step.gate_waits = read_gate.waits();
    lock_step.short_reads = read_gate.short_reads();
    r.lock_step = lock_step;
  }
  r.wall_s = static_cast<double>(metrics::MonotonicNs() - wall_start) / 1e9;
  if (r.packets_delivered == 0 && r.truncated > 0 && r.truncated == r.packets_received) {
    r.error = "no packet was delivered: every datagram was truncated (" +
              std::to_string(rtp::kHeaderBytes + config.traffic.payload_bytes) + " bytes against a " +
              std::to_string(config.receive.receiver.buffer_size) + "-byte --buffer-size)";
  }
  return r;
}

}  // namespace rxbench::harness
