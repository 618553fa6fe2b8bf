#include "results/results_json.h"

#include <gst/gst.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <thread>

#include "pipeline/pipeline.h"
#include "pipeline/thread_roles.h"
#include "platform/cpu_model.h"
#include "pools/buffer_kind.h"
#include "receivers/strategy.h"
#include "results/output_files.h"
#include "results/statistics.h"

namespace rxbench::harness {
namespace {

// A latency that was not measured (no samples) is null, never 0.
nlohmann::json OrNull(const LatencySummary& s, double value) {
  return s.count == 0 ? nlohmann::json(nullptr) : nlohmann::json(value);
}

nlohmann::json Latency(const LatencySummary& s) {
  return {{"count", s.count},
          {"p50_ns", OrNull(s, s.p50)},
          {"p90_ns", OrNull(s, s.p90)},
          {"p99_ns", OrNull(s, s.p99)},
          {"p999_ns", OrNull(s, s.p999)},
          {"max_ns", OrNull(s, s.max)},
          {"mean_ns", OrNull(s, s.mean)},
          {"stddev_ns", OrNull(s, s.stddev)}};
}

// The --impair spec as asked for, with its seed; null without it.
nlohmann::json ImpairSpec(const traffic_gen::TrafficSpec& traffic) {
  if (traffic.impair.empty()) return nullptr;
  return {{"loss", traffic.impair.loss},
          {"dup", traffic.impair.duplicate},
          {"reorder", traffic.impair.reorder},
          {"seed", traffic.seed},
          {"scope", "measured stream"}};
}

nlohmann::json StrategyJson(const receivers::StrategySpec& s) {
  using receivers::ReceiverKind;
  const nlohmann::json none = nullptr;
  const bool loop = s.receiver == ReceiverKind::kLoop;
  return {{"name", s.name},
          {"description", s.description},
          {"role", receivers::ToString(s.Role())},
          {"receiver", receivers::ToString(s.receiver)},
          {"policies", s.Policies()},
          {"buffer", loop ? nlohmann::json(pools::ToString(s.buffer)) : none},
          {"sync", loop ? nlohmann::json(receivers::ToString(s.sync)) : none},
          {"recv", s.receiver != ReceiverKind::kUdpsrc ? nlohmann::json(receivers::ToString(s.recv)) : none},
          {"push", loop ? nlohmann::json(receivers::ToString(s.push)) : none},
          {"wait", loop ? nlohmann::json(receivers::ToString(s.wait)) : none}};
}

std::string Now() {
  char text[64];
  const std::time_t t = std::time(nullptr);
  std::tm tm;
  localtime_r(&t, &tm);
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S%z", &tm);
  return text;
}

}  // namespace

std::string RxbenchVersion() {
  const char* v = std::getenv("RXBENCH_VERSION");
  return v != nullptr && *v != '\0' ? v : "unknown";
}

nlohmann::json SettingsJson(const std::string& scenario, const traffic_gen::TrafficSpec* traffic,
                            const spec::ReceiveSideSpec& receive) {
  const nlohmann::json unknown = nullptr;
  nlohmann::json scenario_json = unknown;
  if (traffic != nullptr) {
    scenario_json = {{"name", scenario},
                     {"shape", traffic_gen::ToString(traffic->shape)},
                     {"media", traffic_gen::ToString(traffic->media)},
                     {"rate_pps", traffic->rate_pps},
                     {"payload_bytes", traffic->payload_bytes},
                     {"fps", traffic->fps},
                     {"duration_s", traffic->duration_s},
                     {"packets", traffic->TotalPackets()}};
  }
  return {
      {"scenario", scenario_json},
      {"pipeline", receive.pipeline.description.empty() ? kDefaultPipeline : receive.pipeline.description},
      {"measure", receive.measurement.per_packet ? "full" : "minimal"},
      {"kernel_timestamps", receive.socket.kernel_timestamps},
      {"batch", receive.receiver.batch},
      {"buffer_size", receive.receiver.buffer_size},
      {"pool_size", receive.receiver.pool_size},
      {"rcvbuf_bytes", receive.socket.rcvbuf_bytes},
      {"cpu_receiver", receive.receiver.cpu},
      {"cpu_generator", traffic != nullptr ? nlohmann::json(traffic->cpu) : unknown},
      {"cpu_pipeline", receive.pipeline.cpu},
      {"warmup_packets", traffic != nullptr ? nlohmann::json(traffic->warmup_packets) : unknown},
      {"send_batch", traffic != nullptr ? nlohmann::json(traffic->send_batch) : unknown},
      {"gso_segments", traffic != nullptr ? nlohmann::json(traffic->gso_segments) : unknown},
      {"impair", traffic != nullptr ? ImpairSpec(*traffic) : unknown},
      {"inject_cost_ns", receive.receiver.inject_cost_ns},
      {"inject_instructions", receive.receiver.inject_instructions},
      {"lock_step_packets", traffic != nullptr ? nlohmann::json(traffic->lock_step_packets) : unknown},
      {"counters", receive.measurement.counters},
      {"count_syscalls", receive.measurement.count_syscalls},
      {"verify_payload", receive.measurement.verify_payload},
      {"phase_timing", receive.receiver.phase_timing},
      {"busy_poll_us", receive.receiver.busy_poll_us},
      {"streams", receive.streams.streams},
      {"receivers", receive.streams.receivers},
      {"stream_sockets", spec::ToString(receive.streams.sockets)},
  };
}

nlohmann::json SettingsJson(const spec::RunSpec& spec) {
  nlohmann::json settings = SettingsJson(spec.scenario, &spec.traffic, spec.receive);
  settings["path"] = spec::ToString(spec.path);
  settings["veth_napi"] =
      spec.path == spec::Path::kVeth ? nlohmann::json(spec::ToString(spec.veth_napi)) : nlohmann::json(nullptr);
  return settings;
}

nlohmann::json CatalogueJson() {
  nlohmann::json strategies = nlohmann::json::array();
  for (const receivers::StrategySpec& s : receivers::Presets()) strategies.push_back(StrategyJson(s));
  nlohmann::json names = nlohmann::json::array();
  for (const ThreadNameRule& rule : ThreadNameRules()) {
    names.push_back(
        {{rule.prefix ? "comm_prefix" : "comm", rule.comm},
         {"role", ToString(rule.role)},
         {"receiver", rule.receiver_kind.empty() ? nlohmann::json(nullptr) : nlohmann::json(rule.receiver_kind)}});
  }
  return {{"strategies", strategies},
          {"default_reference", receivers::kDefaultReference},
          {"thread_names", names},
          // A profile's thread that no rule names: GStreamer's tasks and element threads.
          {"thread_otherwise", ToString(ThreadRole::kPipeline)}};
}

nlohmann::json ContextJson(const nlohmann::json& settings, const std::vector<RunResult>& runs) {
  utsname uts{};
  uname(&uts);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  EnsureGstInit();
  gchar* gst_version = gst_version_string();
  nlohmann::json c = {
      {"date", Now()},
      {"host_name", host},
      {"executable", "rxbench"},
      {"num_cpus", std::thread::hardware_concurrency()},
      {"cpu_model", platform::CpuModel()},
      {"kernel_release", uts.release},
      {"gstreamer_version", gst_version},
      {"rxbench_version", RxbenchVersion()},
      {"library_build_type", "release"},
      {"schema_version", kResultsSchemaVersion},
      {"catalogue", CatalogueJson()},
  };
  for (const auto& [key, value] : settings.items()) c[key] = value;
  g_free(gst_version);
  // Counter availability is a property of the machine: report it once.
  nlohmann::json available = nlohmann::json::array(), unavailable = nlohmann::json::object(),
                 user_only = nlohmann::json::array();
  for (const RunResult& r : runs) {
    if (!r.counters_available.empty() || !r.counters_unavailable.empty()) {
      available = r.counters_available;
      unavailable = r.counters_unavailable;
      user_only = r.counters_user_only;
      break;
    }
  }
  c["counters_available"] = available;
  c["counters_unavailable"] = unavailable;
  // Read, but without kernel mode: they leave out the syscall work.
  c["counters_user_only"] = user_only;
  return c;
}

namespace {

template <typename T>
nlohmann::json OrNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// Named as the sink's counts they must match without a jitter buffer:
// losses -> seq_gaps, duplicates -> duplicates, reorders -> reordered.
nlohmann::json Impairments(const std::optional<traffic_gen::ImpairmentReport>& injected) {
  if (!injected) return nullptr;
  return {{"losses", injected->losses}, {"duplicates", injected->duplicates}, {"reorders", injected->reorders}};
}

// ns -> us of a distribution figure; null when nothing was measured.
nlohmann::json Us(const LatencySummary& s, double ns) { return OrNull(s, ns / 1000.0); }

// Null where the pipeline does not depayload.
nlohmann::json FramesJson(const std::optional<RunResult::Frames>& frames) {
  if (!frames) return nullptr;
  const RunResult::Frames& f = *frames;
  return {{"sent", OrNull(f.sent)},
          {"depayloaded", f.depayloaded},
          {"decoded", OrNull(f.decoded)},
          {"damaged", OrNull(f.damaged)},
          {"unjudged", f.unjudged},
          {"lost_or_damaged_per_1000_lost_packets", OrNull(f.lost_or_damaged_per_1000_lost_packets)},
          {"latency", Latency(f.latency)},
          {"decoder_cpu_ns_per_frame", OrNull(f.decoder_cpu_ns_per_frame)},
          {"decoder_cpu_ns_per_packet", OrNull(f.decoder_cpu_ns_per_packet)}};
}

nlohmann::json ThreadCpuJson(const ThreadCpu& t) {
  return {{"role", ToString(t.role)},
          {"cpu_ns_per_packet", t.cpu_ns_per_packet},
          {"user_ns_per_packet", OrNull(t.user_ns_per_packet)},
          {"sys_ns_per_packet", OrNull(t.sys_ns_per_packet)},
          {"voluntary_switches_per_packet", t.voluntary_switches_per_packet},
          {"involuntary_switches_per_packet", t.involuntary_switches_per_packet},
          {"run_queue_wait_ns_per_packet", OrNull(t.run_queue_wait_ns_per_packet)}};
}

// Google Benchmark's real_time: the wall time of the measured window per
// packet delivered in it. 0 only where nothing was delivered (a failed run):
// compare.py needs a number there, and `ok`/`window_packets` say why.
double WallNsPerPacket(const RunResult& r) {
  return r.window_packets > 0 ? r.window_s * 1e9 / static_cast<double>(r.window_packets) : 0.0;
}

// The role of the preset a run's strategy is a variant of; null for a name
// no preset starts.
nlohmann::json StrategyRoleJson(const std::string& strategy) {
  const std::optional<receivers::StrategySpec> preset = receivers::FindPreset(receivers::PresetNameOf(strategy));
  return preset ? nlohmann::json(receivers::ToString(preset->Role())) : nlohmann::json(nullptr);
}

nlohmann::json PerStreamJson(const RunResult& r) {
  nlohmann::json streams = nlohmann::json::array();
  for (const RunResult::StreamFigures& s : r.per_stream) {
    streams.push_back({{"ssrc", s.ssrc},
                       {"port", s.port},
                       {"socket", OrNull(s.socket)},
                       {"sent", OrNull(s.sent)},
                       {"delivered", OrNull(s.delivered)},
                       {"lost", OrNull(s.lost)},
                       {"kernel_drops", OrNull(s.kernel_drops)},
                       {"seq_gaps", s.seq_gaps},
                       {"latency_p50_ns", OrNull(s.latency, s.latency.p50)},
                       {"latency_p99_ns", OrNull(s.latency, s.latency.p99)},
                       {"jitter_rfc3550_us", OrNull(s.jitter_rfc3550_us)},
                       {"cpu_ns_per_packet_pipeline", OrNull(s.cpu_ns_per_packet_pipeline)}});
  }
  return streams;
}

nlohmann::json PerSocketJson(const RunResult& r) {
  nlohmann::json sockets = nlohmann::json::array();
  for (const RunResult::SocketFigures& s : r.per_socket) {
    sockets.push_back({{"port", s.port},
                       {"received", OrNull(s.received)},
                       {"kernel_drops", s.kernel_drops},
                       {"left_in_socket", s.left_in_socket},
                       {"left_in_receive_call", s.left_in_receive_call},
                       {"unexplained", OrNull(s.unexplained)}});
  }
  return sockets;
}

}  // namespace

nlohmann::json IterationJson(const RunResult& r) {
  const std::string name = r.strategy + "/" + r.scenario;
  const CpuAttribution& cpu = r.cpu;
  nlohmann::json j = {
      {"name", name},
      {"run_name", name},
      {"run_type", "iteration"},
      {"repetitions", r.repetitions},
      {"repetition_index", r.repetition_index},
      {"threads", 1},
      {"iterations", r.window_packets},
      {"time_unit", "ns"},
      {"cpu_time", r.cpu_ns_per_packet_receive_path},
      {"real_time", WallNsPerPacket(r)},
      {"schema_version", kResultsSchemaVersion},
      {"strategy", r.strategy},
      {"strategy_role", StrategyRoleJson(r.strategy)},
      {"policies", r.policies},
      {"scenario", r.scenario},
      {"path", r.path.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.path)},
      {"veth_napi", r.veth_napi.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.veth_napi)},
      {"napi_id", r.napi_id ? nlohmann::json(*r.napi_id) : nlohmann::json(nullptr)},
      {"ok", r.ok},
      {"measure", r.measure},
      {"packets_sent", r.packets_sent},
      {"send_errors", r.send_errors},
      {"packets_received", r.packets_received},
      {"packets_delivered", r.packets_delivered},
      {"kernel_drops", r.kernel_drops},
      {"kernel_drop_datagrams", r.kernel_drop_datagrams},
      {"malformed", r.malformed},
      {"malformed_by_kind", r.malformed_by_kind},
      {"malformed_injected", r.malformed_injected},
      {"truncated", r.truncated},
      {"pipeline_drops", r.pipeline_drops},
      {"pipeline_drops_by_element", r.pipeline_drops_by_element},
      {"jitterbuffer_late", r.jitterbuffer_late},
      {"jitterbuffer_duplicates", r.jitterbuffer_duplicates},
      {"malformed_at_sink", r.malformed_at_sink},
      {"in_flight_at_stop", r.in_flight_at_stop},
      {"pipeline_flushed_after_stall", r.pipeline_flushed},
      {"unexplained_packets", r.unexplained_packets},
      {"seq_gaps", r.seq_gaps},
      {"duplicates", r.duplicates},
      {"reordered", r.reordered},
      {"seq_stale", r.seq_stale},
      {"impairments_injected", Impairments(r.impairments_injected)},
      {"offered_pps", r.offered_pps},
      {"achieved_pps", r.achieved_pps},
      {"generator_fell_behind", r.generator_fell_behind},
      {"wall_time_s", r.wall_s},
      {"warmup_packets", r.warmup_packets},
      {"window_packets", r.window_packets},
      {"window_s", r.window_s},
      {"cpu_ns_per_packet_receiver", r.cpu_ns_per_packet_receiver},
      {"cpu_ns_per_packet_pipeline", r.cpu_ns_per_packet_pipeline},
      {"cpu_ns_per_packet_receive_path", r.cpu_ns_per_packet_receive_path},
      {"cpu_ns_per_packet_process", r.cpu_ns_per_packet_process},
      {"unattributed_cpu_ns_per_packet", cpu.unattributed_ns_per_packet},
      {"user_ns_per_packet_receiver", OrNull(cpu.receiver.user_ns_per_packet)},
      {"sys_ns_per_packet_receiver", OrNull(cpu.receiver.sys_ns_per_packet)},
      {"user_ns_per_packet_pipeline", OrNull(cpu.pipeline.user_ns_per_packet)},
      {"sys_ns_per_packet_pipeline", OrNull(cpu.pipeline.sys_ns_per_packet)},
      {"ctx_switches_per_packet", r.ctx_switches_per_packet},
      {"voluntary_switches_per_packet", cpu.receiver.voluntary_switches_per_packet},
      {"involuntary_switches_per_packet", cpu.receiver.involuntary_switches_per_packet},
      {"run_queue_wait_ns_per_packet", OrNull(cpu.receiver.run_queue_wait_ns_per_packet)},
      {"run_queue_wait_ns_per_packet_receive_side", OrNull(cpu.run_queue_wait_ns_per_packet_receive_side)},
      {"machine_steal_ns", OrNull(cpu.machine_steal_ns)},
      {"machine_steal_ns_per_packet", OrNull(cpu.machine_steal_ns_per_packet)},
      {"generator_cpu_ns_per_packet", r.generator_cpu_ns_per_packet},
      {"pipeline_threads", r.pipeline_threads},
      {"receive_share", OrNull(r.receive_share)},
      {"frames", FramesJson(r.frames)},
      {"latency_p50_ns", OrNull(r.latency, r.latency.p50)},
      {"latency_p90_ns", OrNull(r.latency, r.latency.p90)},
      {"latency_p99_ns", OrNull(r.latency, r.latency.p99)},
      {"latency_p999_ns", OrNull(r.latency, r.latency.p999)},
      {"latency_max_ns", OrNull(r.latency, r.latency.max)},
      {"latency_mean_ns", OrNull(r.latency, r.latency.mean)},
      {"latency_stddev_ns", OrNull(r.latency, r.latency.stddev)},
      {"processing_latency_p50_ns", OrNull(r.processing, r.processing.p50)},
      {"processing_latency_p99_ns", OrNull(r.processing, r.processing.p99)},
      {"processing_jitter_ns", OrNull(r.processing_jitter_ns)},
      {"jitter_rfc3550_us", OrNull(r.jitter_rfc3550_us)},
      {"jitter_rfc3550_rtp", OrNull(r.jitter_rfc3550_rtp)},
      {"jitter_rfc3550_mean_us", Us(r.jitter, r.jitter.mean)},
      {"jitter_rfc3550_p50_us", Us(r.jitter, r.jitter.p50)},
      {"jitter_rfc3550_p99_us", Us(r.jitter, r.jitter.p99)},
      {"jitter_rfc3550_max_us", Us(r.jitter, r.jitter.max)},
      {"jitter_d_abs_mean_us", Us(r.jitter_d_abs, r.jitter_d_abs.mean)},
      {"jitter_d_abs_p50_us", Us(r.jitter_d_abs, r.jitter_d_abs.p50)},
      {"jitter_d_abs_p99_us", Us(r.jitter_d_abs, r.jitter_d_abs.p99)},
      {"jitter_d_abs_max_us", Us(r.jitter_d_abs, r.jitter_d_abs.max)},
      {"kernel_timestamps", r.kernel_timestamps},
      {"unstamped_packets", r.unstamped_packets},
      {"payload_mismatches", r.payload_mismatches},
      {"latency_detail",
       {{"send_to_sink", Latency(r.latency)},
        {"send_to_rx", Latency(r.network)},
        {"rx_to_push", Latency(r.processing)},
        {"push_to_sink", Latency(r.pipeline)}}},
      {"buffer_allocations", r.buffer_allocations},
      {"buffer_warmup_allocations", r.buffer_warmup_allocations},
      {"buffer_exhausted", r.buffer_exhausted},
      {"buffer_recycled", r.buffer_recycled},
      {"buffer_discarded", r.buffer_discarded},
      {"ring_exhausted", r.ring_exhausted},
      {"ring_rearms", r.rearms},
      {"receiver_idle_waits", r.receiver_idle_waits},
      {"receiver_batches", r.receiver_batches},
      {"gro_datagrams", OrNull(r.gro_datagrams)},
      {"gro_coalesced_datagrams", OrNull(r.gro_coalesced_datagrams)},
      {"gro_segments_per_datagram", OrNull(r.gro_segments_per_datagram)},
      {"syscalls_counted", r.syscalls_counted},
  };
  if (r.syscalls_per_packet) j["syscalls_per_packet"] = *r.syscalls_per_packet;
  if (r.futex_calls_per_packet) j["futex_calls_per_packet"] = *r.futex_calls_per_packet;
  if (r.receive_calls_per_packet) j["receive_calls_per_packet"] = *r.receive_calls_per_packet;
  if (!r.syscalls_unavailable.empty()) j["syscalls_unavailable"] = r.syscalls_unavailable;
  nlohmann::json& threads = j["thread_cpu"] = nlohmann::json::object();
  // The pipeline's threads alone, as earlier versions reported them.
  nlohmann::json& pipeline_threads = j["pipeline_thread_cpu"] = nlohmann::json::object();
  for (const auto& [thread, usage] : cpu.threads) {
    threads[thread] = ThreadCpuJson(usage);
    if (usage.role == ThreadRole::kPipeline || usage.role == ThreadRole::kDecoder) {
      pipeline_threads[thread] = {{"cpu_ns_per_packet", usage.cpu_ns_per_packet},
                                  {"user_ns_per_packet", OrNull(usage.user_ns_per_packet)},
                                  {"sys_ns_per_packet", OrNull(usage.sys_ns_per_packet)}};
    }
  }
  j["receiver_threads"] = r.receiver_threads;
  j["pipeline_thread_count"] = r.pipeline_thread_count;
  j["process_threads"] = r.process_threads;
  j["per_stream"] = PerStreamJson(r);
  j["per_socket"] = PerSocketJson(r);
  if (r.send_stamp_error) j["send_stamp_error"] = Latency(*r.send_stamp_error);
  j["gso_calls"] = r.gso_calls;
  if (r.lock_step) {
    j["lock_step"] = {{"packets_per_round", r.lock_step->packets_per_round},
                      {"rounds", r.lock_step->rounds},
                      {"gate_waits", r.lock_step->gate_waits},
                      {"short_reads", r.lock_step->short_reads},
                      {"unfinished_rounds", r.lock_step->unfinished_rounds}};
  }
  if (!r.gso_refusal.empty()) j["gso_refusal"] = r.gso_refusal;
  j["busy_poll_us"] = OrNull(r.busy_poll_us);
  j["busy_poll_no_effect"] =
      r.busy_poll_no_effect.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.busy_poll_no_effect);
  if (!r.phase_ns_per_packet.empty()) j["phase_ns_per_packet"] = r.phase_ns_per_packet;
  if (r.measure_ns_per_packet_sink) j["measure_ns_per_packet_sink"] = *r.measure_ns_per_packet_sink;
  if (r.measure_ns_per_packet_receiver) j["measure_ns_per_packet_receiver"] = *r.measure_ns_per_packet_receiver;
  if (r.measure_overhead_pct) j["measure_overhead_pct"] = *r.measure_overhead_pct;
  if (r.measure == "full") j["measure_samples_interrupted"] = r.measure_samples_interrupted;
  if (r.socket_drops_rxq_ovfl) j["socket_drops_rxq_ovfl"] = *r.socket_drops_rxq_ovfl;
  if (r.host_rcvbuf_errors) j["host_rcvbuf_errors"] = *r.host_rcvbuf_errors;
  j["socket_drain_hit_bound"] = r.socket_drain_hit_bound;
  j["receive_errors"] = r.receive_errors ? nlohmann::json(*r.receive_errors) : nlohmann::json(nullptr);
  for (const auto& [name, value] : r.counters_per_packet) j[name + "_per_packet"] = value;
  if (!r.run_id.empty()) j["run_id"] = r.run_id;
  if (!r.sent_known) {
    // Nothing said what was sent: the account does not invent it.
    for (const char* unknown : {"packets_sent", "send_errors", "unexplained_packets", "offered_pps", "achieved_pps"}) {
      j[unknown] = nullptr;
    }
    j["sent_unknown"] =
        "nothing said what was sent (no end message from rxbench gen, no --sent-from file): loss is told by seq_gaps only";
  }
  if (!r.latency_unavailable.empty()) j["latency_unavailable"] = r.latency_unavailable;
  if (!r.ok) j["error_message"] = r.error;
  return j;
}

bool IsAggregated(const std::string& key) {
  if (key == "cpu_time" || key == "real_time") return true;
  if (key.find("per_packet") != std::string::npos) return true;
  for (const char* suffix : {"_ns", "_us", "_s", "_pps", "_pct", "_rtp"}) {
    const std::string tail = suffix;
    if (key.size() > tail.size() && key.compare(key.size() - tail.size(), tail.size(), tail) == 0) return true;
  }
  return false;
}

std::vector<nlohmann::json> AggregateJson(const std::vector<nlohmann::json>& iterations) {
  if (iterations.size() < 2) return {};
  const nlohmann::json& first = iterations.front();
  // Every aggregated key any repetition has, with the values that are numbers:
  // a null (not measured) or missing value is left out, and the count says so.
  std::map<std::string, std::vector<double>> values;
  for (const nlohmann::json& it : iterations) {
    for (const auto& [key, value] : it.items()) {
      if (!IsAggregated(key) || !(value.is_number() || value.is_null())) continue;
      std::vector<double>& v = values[key];
      if (value.is_number()) v.push_back(value.get<double>());
    }
  }
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [key, v] : values) counts[key] = v.size();
  std::vector<nlohmann::json> out;
  for (const char* aggregate : {"mean", "median", "stddev", "cv"}) {
    const std::string name = aggregate;
    nlohmann::json a = {{"name", first["name"].get<std::string>() + "_" + aggregate},
                        {"run_name", first["run_name"]},
                        {"run_type", "aggregate"},
                        {"aggregate_name", aggregate},
                        {"aggregate_unit", name == "cv" ? "percentage" : "time"},
                        {"repetitions", iterations.size()},
                        {"threads", 1},
                        {"time_unit", "ns"},
                        {"strategy", first["strategy"]},
                        {"scenario", first["scenario"]},
                        {"schema_version", kResultsSchemaVersion},
                        {"aggregate_counts", counts}};
    for (const auto& [key, v] : values) {
      // Fewer values than the statistic needs give null, never a made-up 0.
      if (v.empty() || ((name == "stddev" || name == "cv") && v.size() < 2)) {
        a[key] = nullptr;
        continue;
      }
      double mean = 0;
      for (double x : v) mean += x;
      mean /= static_cast<double>(v.size());
      double var = 0;
      for (double x : v) var += (x - mean) * (x - mean);
      const double stddev = std::sqrt(var / static_cast<double>(v.size() - 1));
      if (name == "mean") a[key] = mean;
      if (name == "median") a[key] = Median(v);
      if (name == "stddev") a[key] = stddev;
      if (name == "cv") a[key] = mean != 0 ? nlohmann::json(stddev / mean) : nlohmann::json(nullptr);
    }
    out.push_back(std::move(a));
  }
  return out;
}

nlohmann::json ResultsJson(const nlohmann::json& settings, const std::vector<RunResult>& runs,
                           const nlohmann::json& invocation) {
  nlohmann::json benchmarks = nlohmann::json::array();
  std::vector<std::string> order;
  std::map<std::string, std::vector<nlohmann::json>> by_name;
  for (const RunResult& r : runs) {
    nlohmann::json it = IterationJson(r);
    const std::string name = it["name"];
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
    // A failed repetition's figures are not measurements: aggregates skip it.
    if (r.ok) by_name[name].push_back(it);
    benchmarks.push_back(std::move(it));
  }
  for (const std::string& name : order) {
    for (nlohmann::json& a : AggregateJson(by_name[name])) benchmarks.push_back(std::move(a));
  }
  nlohmann::json context = ContextJson(settings, runs);
  for (const auto& [key, value] : invocation.items()) context[key] = value;
  return {{"context", context}, {"benchmarks", benchmarks}};
}

bool WriteJsonFile(const std::string& path, const nlohmann::json& json, std::string* error) {
  return WriteFileAtomically(path, json.dump(2) + "\n", error);
}

}  // namespace rxbench::harness
