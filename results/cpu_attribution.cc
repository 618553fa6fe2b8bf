#include "results/cpu_attribution.h"

namespace rxbench::harness {
namespace {

double PerPacket(double total, std::uint64_t packets) {
  return packets == 0 ? 0.0 : total / static_cast<double>(packets);
}

// Counters only grow; a tid reused by a new thread would not, so never wrap.
std::uint64_t Minus(std::uint64_t a, std::uint64_t b) { return a > b ? a - b : 0; }

std::optional<std::uint64_t> Minus(const std::optional<std::uint64_t>& a, const std::optional<std::uint64_t>& b) {
  if (!a || !b) return std::nullopt;
  return Minus(*a, *b);
}

platform::ThreadSample Difference(const platform::ThreadSample& end, const platform::ThreadSample* start) {
  if (start == nullptr) return end;  // born in the window
  platform::ThreadSample d = end;
  d.cpu_ns = Minus(end.cpu_ns, start->cpu_ns);
  d.user_ns = Minus(end.user_ns, start->user_ns);
  d.sys_ns = Minus(end.sys_ns, start->sys_ns);
  d.voluntary_switches = Minus(end.voluntary_switches, start->voluntary_switches);
  d.involuntary_switches = Minus(end.involuntary_switches, start->involuntary_switches);
  d.run_queue_wait_ns = Minus(end.run_queue_wait_ns, start->run_queue_wait_ns);
  return d;
}

// What several threads used, summed before it is divided.
struct Used {
  ThreadRole role = ThreadRole::kOther;
  std::uint64_t packets = 0;
  platform::ThreadSample total;
  bool wait_unknown = false;  // a thread of the sum had no run-queue wait

  void Add(const platform::ThreadSample& d) {
    total.cpu_ns += d.cpu_ns;
    total.user_ns += d.user_ns;
    total.sys_ns += d.sys_ns;
    total.voluntary_switches += d.voluntary_switches;
    total.involuntary_switches += d.involuntary_switches;
    if (d.run_queue_wait_ns) {
      total.run_queue_wait_ns = total.run_queue_wait_ns.value_or(0) + *d.run_queue_wait_ns;
    } else {
      wait_unknown = true;
    }
  }

  // Known when every thread's is (and there was a thread).
  std::optional<std::uint64_t> RunQueueWaitNs() const { return wait_unknown ? std::nullopt : total.run_queue_wait_ns; }

  ThreadCpu PerPacketFigures() const {
    ThreadCpu t;
    t.role = role;
    t.cpu_ns_per_packet = PerPacket(static_cast<double>(total.cpu_ns), packets);
    const std::uint64_t sampled = total.user_ns + total.sys_ns;
    if (sampled >= kMinSampledSplitNs) {
      const double user_share = static_cast<double>(total.user_ns) / static_cast<double>(sampled);
      t.user_ns_per_packet = t.cpu_ns_per_packet * user_share;
      t.sys_ns_per_packet = t.cpu_ns_per_packet * (1 - user_share);
    }
    t.voluntary_switches_per_packet = PerPacket(static_cast<double>(total.voluntary_switches), packets);
    t.involuntary_switches_per_packet = PerPacket(static_cast<double>(total.involuntary_switches), packets);
    if (const auto wait = RunQueueWaitNs())
      t.run_queue_wait_ns_per_packet = PerPacket(static_cast<double>(*wait), packets);
    return t;
  }
};

}  // namespace

CpuAttribution AttributeCpu(const CpuWindow& window, const IdentifyThread& identify) {
  std::map<pid_t, const platform::ThreadSample*> at_start;
  for (const platform::ThreadSample& t : window.start.threads) at_start[t.tid] = &t;

  // Every thread once: those alive at the end, then those that exited and
  // left a final sample.
  std::vector<std::pair<platform::ThreadSample, const platform::ThreadSample*>> used;
  for (const platform::ThreadSample& t : window.end.threads) {
    auto it = at_start.find(t.tid);
    used.emplace_back(t, it == at_start.end() ? nullptr : it->second);
  }
  for (const auto& [tid, final_sample] : window.exited) {
    bool alive = false;
    for (const platform::ThreadSample& t : window.end.threads) alive |= t.tid == tid;
    if (alive) continue;
    auto it = at_start.find(tid);
    used.emplace_back(final_sample, it == at_start.end() ? nullptr : it->second);
  }

  std::map<std::string, Used> by_name;
  std::map<ThreadRole, Used> by_role;
  double listed_ns = 0;
  for (const auto& [end, start] : used) {
    const platform::ThreadSample d = Difference(end, start);
    const ThreadIdentity who = identify(end.tid, end.comm);
    const std::uint64_t packets = who.role == ThreadRole::kGenerator ? window.generator_packets : window.packets;
    for (Used* u : {&by_name[who.name], &by_role[who.role]}) {
      u->role = who.role;
      u->packets = packets;
      u->Add(d);
    }
    // The decoder is a part of the pipeline: its sum by role is the
    // pipeline's too.
    if (who.role == ThreadRole::kDecoder) {
      by_role[ThreadRole::kPipeline].packets = packets;
      by_role[ThreadRole::kPipeline].Add(d);
    }
    listed_ns += static_cast<double>(d.cpu_ns);
  }
  CpuAttribution a;
  for (const auto& [name, u] : by_name) a.threads[name] = u.PerPacketFigures();
  auto role = [&](ThreadRole r) {
    Used& u = by_role[r];
    u.role = r;
    return u.PerPacketFigures();
  };
  a.receiver = role(ThreadRole::kReceiver);
  a.pipeline = role(ThreadRole::kPipeline);
  a.generator = role(ThreadRole::kGenerator);
  a.decoder = role(ThreadRole::kDecoder);
  a.receive_path_ns_per_packet = a.receiver.cpu_ns_per_packet + a.pipeline.cpu_ns_per_packet;
  if (a.receive_path_ns_per_packet > 0) a.receive_share = a.receiver.cpu_ns_per_packet / a.receive_path_ns_per_packet;
  if (a.receiver.run_queue_wait_ns_per_packet && a.pipeline.run_queue_wait_ns_per_packet) {
    a.run_queue_wait_ns_per_packet_receive_side =
        *a.receiver.run_queue_wait_ns_per_packet + *a.pipeline.run_queue_wait_ns_per_packet;
  }
  a.machine_steal_ns = Minus(window.end.machine_steal_ns, window.start.machine_steal_ns);
  if (a.machine_steal_ns) {
    a.machine_steal_ns_per_packet = PerPacket(static_cast<double>(*a.machine_steal_ns), window.packets);
  }
  const double process_ns = window.end.process_cpu_ns > window.start.process_cpu_ns
                                ? static_cast<double>(window.end.process_cpu_ns - window.start.process_cpu_ns)
                                : 0.0;
  a.process_ns_per_packet = PerPacket(process_ns, window.packets);
  a.unattributed_ns_per_packet = PerPacket(process_ns - listed_ns, window.packets);
  return a;
}

}  // namespace rxbench::harness
