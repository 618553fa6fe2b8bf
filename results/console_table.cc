#include "results/console_table.h"

#include <algorithm>
#include <map>
#include <optional>

#include "receivers/strategy.h"
#include "results/floor_comparability.h"
#include "results/statistics.h"

namespace rxbench::harness {
namespace {

struct Row {
  std::string strategy, policies;
  int runs = 0, failed = 0;
  std::string error;
  std::string gso_refusal;          // the generator's, when the kernel refused GSO
  std::string busy_poll_no_effect;  // why the strategy's busy wait did nothing here
  double sent = 0, delivered = 0, kernel_drops = 0, pipeline_drops = 0, unexplained = 0, achieved_kpps = 0;
  double rx_ns = 0, pipe_ns = 0, path_ns = 0, gen_ns = 0, measure_pct = -1, syscalls = -1, ctx = 0;
  double p50_us = -1, p99_us = -1, jitter_us = -1;  // -1: not measured
  bool lock_step = false;
  std::string floor_note;  // why null is no floor for this row ("": it is one)
  // --impair, summed over the repetitions: what was injected and what the sink saw.
  bool impaired = false, sequence_tracked = false;
  std::uint64_t withheld = 0, sent_twice = 0, sent_late = 0;
  std::uint64_t seq_gaps = 0, duplicates = 0, reordered = 0, jitterbuffer_duplicates = 0, jitterbuffer_late = 0;
  // A depayloading pipeline's frames, medians over the repetitions; -1: unknown.
  bool frames = false;
  double frames_sent = -1, depayloaded = -1, decoded = -1, damaged = -1, per_1000_lost = -1;
  double frame_p50_ms = -1, frame_p99_ms = -1, decoder_us_per_frame = -1, decoder_ns_per_packet = -1;
  double receive_share_pct = -1;
  // recv=gro: medians of packets per datagram read, datagrams, coalesced ones; -1: not gro.
  double gro_segments = -1, gro_datagrams = -1, gro_coalesced = -1;
};

// Says plainly what --impair did and what the sink made of it: withheld
// packets were never sent (so they are no loss of the receive path), second
// copies were sent (so they are in `sent`), and a jitter buffer removes
// duplicates and late packets before the sink counts them.
void PrintImpairments(const Row& row, int indent, std::FILE* out) {
  std::fprintf(out,
               "%*s --impair: %llu withheld (never sent, not in sent), %llu sent twice, %llu sent after their "
               "successor; ",
               indent, "", static_cast<unsigned long long>(row.withheld),
               static_cast<unsigned long long>(row.sent_twice), static_cast<unsigned long long>(row.sent_late));
  if (!row.sequence_tracked) {
    std::fprintf(out, "no sequence numbers tracked (null has no sink, --measure minimal tracks none)\n");
    return;
  }
  std::fprintf(out, "the sink saw %llu seq gaps, %llu duplicates, %llu reordered",
               static_cast<unsigned long long>(row.seq_gaps), static_cast<unsigned long long>(row.duplicates),
               static_cast<unsigned long long>(row.reordered));
  if (row.jitterbuffer_duplicates + row.jitterbuffer_late > 0) {
    std::fprintf(out, " (rtpjitterbuffer dropped %llu duplicates, %llu late)",
                 static_cast<unsigned long long>(row.jitterbuffer_duplicates),
                 static_cast<unsigned long long>(row.jitterbuffer_late));
  }
  std::fprintf(out, "\n");
}

template <typename F>
double MedianOf(const std::vector<const RunResult*>& runs, F field) {
  std::vector<double> v;
  for (const RunResult* r : runs) v.push_back(field(*r));
  return Median(v);
}

// "-" for a value that was not measured (negative).
std::string Format(const char* format, double value) {
  if (value < 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string Ratio(double value, double reference) {
  if (reference <= 0 || value <= 0) return "-";
  return Format("%.2fx", value / reference);
}

// The frames of a depayloading pipeline, and the receiver's share of the
// receive path's CPU: how much the strategy matters next to decoding.
void PrintFrames(const Row& row, int indent, std::FILE* out) {
  std::fprintf(out,
               "%*s frames: sent %s, depayloaded %s, decoded %s, damaged %s; lost or damaged per 1000 packets lost "
               "%s; latency p50 %s ms p99 %s ms; decoder %s us/frame %s ns/packet; receive share %s %%\n",
               indent, "", Format("%.0f", row.frames_sent).c_str(), Format("%.0f", row.depayloaded).c_str(),
               Format("%.0f", row.decoded).c_str(), Format("%.0f", row.damaged).c_str(),
               Format("%.1f", row.per_1000_lost).c_str(), Format("%.2f", row.frame_p50_ms).c_str(),
               Format("%.2f", row.frame_p99_ms).c_str(), Format("%.0f", row.decoder_us_per_frame).c_str(),
               Format("%.0f", row.decoder_ns_per_packet).c_str(), Format("%.1f", row.receive_share_pct).c_str());
}

}  // namespace

void PrintStreams(const RunResult& r, int indent, std::FILE* out) {
  double lo[5] = {1e300, 1e300, 1e300, 1e300, 1e300}, hi[5] = {-1, -1, -1, -1, -1};
  bool known[5] = {false, false, false, false, false};
  auto add = [&](int i, double v) {
    known[i] = true;
    lo[i] = std::min(lo[i], v);
    hi[i] = std::max(hi[i], v);
  };
  for (const RunResult::StreamFigures& s : r.per_stream) {
    if (s.delivered) add(0, static_cast<double>(*s.delivered));
    if (s.lost) add(1, static_cast<double>(*s.lost));
    if (s.latency.count > 0) add(2, s.latency.p99 / 1000);
    if (s.jitter_rfc3550_us) add(3, *s.jitter_rfc3550_us);
    if (s.cpu_ns_per_packet_pipeline) add(4, *s.cpu_ns_per_packet_pipeline);
  }
  auto range = [&](int i, const char* format) {
    if (!known[i]) return std::string("-");
    return Format(format, lo[i]) + ".." + Format(format, hi[i]);
  };
  std::int64_t worst = 0;
  bool unexplained_known = !r.per_socket.empty();
  std::uint64_t drops = 0;
  for (const RunResult::SocketFigures& s : r.per_socket) {
    drops += s.kernel_drops;
    if (!s.unexplained) unexplained_known = false;
    if (s.unexplained && std::llabs(*s.unexplained) > std::llabs(worst)) worst = *s.unexplained;
  }
  std::fprintf(out,
               "%*s %zu streams, %zu sockets, %d receiver threads, %d pipeline threads: per stream delivered %s, "
               "lost %s, p99 us %s, jitter us %s, pipeline ns/packet %s; sockets: %llu kernel drops, unexplained %s\n",
               indent, "", r.per_stream.size(), r.per_socket.size(), r.receiver_threads, r.pipeline_thread_count,
               range(0, "%.0f").c_str(), range(1, "%.0f").c_str(), range(2, "%.1f").c_str(), range(3, "%.1f").c_str(),
               range(4, "%.0f").c_str(), static_cast<unsigned long long>(drops),
               !unexplained_known ? "-"
               : worst == 0       ? "0 on every socket"
                                  : ("worst " + std::to_string(worst)).c_str());
}

void PrintResultsTable(const std::vector<RunResult>& runs, std::FILE* out, bool color) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const RunResult*>> by_strategy;
  std::map<std::string, Row> rows;
  for (const RunResult& r : runs) {
    if (!by_strategy.count(r.strategy)) order.push_back(r.strategy);
    Row& row = rows[r.strategy];
    row.strategy = r.strategy;
    row.policies = r.policies;
    ++row.runs;
    if (!r.gso_refusal.empty()) row.gso_refusal = r.gso_refusal;
    if (!r.busy_poll_no_effect.empty()) row.busy_poll_no_effect = r.busy_poll_no_effect;
    if (!r.ok) {
      ++row.failed;
      row.error = r.error;
      continue;
    }
    by_strategy[r.strategy].push_back(&r);
  }
  for (auto& [name, row] : rows) {
    const auto& ok = by_strategy[name];
    if (ok.empty()) continue;
    row.sent = MedianOf(ok, [](const RunResult& r) { return double(r.packets_sent); });
    row.delivered = MedianOf(ok, [](const RunResult& r) { return double(r.packets_delivered); });
    row.achieved_kpps = MedianOf(ok, [](const RunResult& r) { return r.achieved_pps / 1000; });
    row.kernel_drops = MedianOf(ok, [](const RunResult& r) { return double(r.kernel_drops); });
    row.pipeline_drops = MedianOf(ok, [](const RunResult& r) { return double(r.pipeline_drops); });
    // The worst repetition, not the median: any unexplained packet must show.
    for (const RunResult* r : ok) {
      if (std::llabs(r->unexplained_packets) > std::llabs(static_cast<long long>(row.unexplained))) {
        row.unexplained = static_cast<double>(r->unexplained_packets);
      }
    }
    row.rx_ns = MedianOf(ok, [](const RunResult& r) { return r.cpu_ns_per_packet_receiver; });
    row.pipe_ns = MedianOf(ok, [](const RunResult& r) { return r.cpu_ns_per_packet_pipeline; });
    row.path_ns = MedianOf(ok, [](const RunResult& r) { return r.cpu_ns_per_packet_receive_path; });
    row.gen_ns = MedianOf(ok, [](const RunResult& r) { return r.generator_cpu_ns_per_packet; });
    if (ok.front()->measure_overhead_pct) {
      row.measure_pct = MedianOf(ok, [](const RunResult& r) { return r.measure_overhead_pct.value_or(0); });
    }
    if (ok.front()->syscalls_per_packet) {
      row.syscalls = MedianOf(ok, [](const RunResult& r) { return r.syscalls_per_packet.value_or(0); });
    }
    row.ctx = MedianOf(ok, [](const RunResult& r) { return r.ctx_switches_per_packet; });
    row.lock_step = ok.front()->lock_step.has_value();
    bool gro_known = true;
    for (const RunResult* r : ok) gro_known = gro_known && r->gro_segments_per_datagram.has_value();
    if (gro_known) {
      row.gro_segments = MedianOf(ok, [](const RunResult& r) { return *r.gro_segments_per_datagram; });
      row.gro_datagrams = MedianOf(ok, [](const RunResult& r) { return double(*r.gro_datagrams); });
      row.gro_coalesced = MedianOf(ok, [](const RunResult& r) { return double(*r.gro_coalesced_datagrams); });
    }
    for (const RunResult* r : ok) {
      if (!r->impairments_injected) continue;
      row.impaired = true;
      // The sink probe tracks sequence numbers where it measures latency.
      row.sequence_tracked = r->latency.count > 0;
      row.withheld += r->impairments_injected->losses;
      row.sent_twice += r->impairments_injected->duplicates;
      row.sent_late += r->impairments_injected->reorders;
      row.seq_gaps += r->seq_gaps;
      row.duplicates += r->duplicates;
      row.reordered += r->reordered;
      row.jitterbuffer_duplicates += r->jitterbuffer_duplicates;
      row.jitterbuffer_late += r->jitterbuffer_late;
    }
    if (ok.front()->frames) {
      row.frames = true;
      // Unknown in any repetition: unknown (-1), never a smaller median.
      auto known = [&](auto get) {
        for (const RunResult* r : ok) {
          if (!r->frames || !get(*r->frames)) return -1.0;
        }
        return MedianOf(ok, [&](const RunResult& r) { return static_cast<double>(*get(*r.frames)); });
      };
      using F = RunResult::Frames;
      row.frames_sent = known([](const F& f) { return f.sent; });
      row.depayloaded = known([](const F& f) { return std::optional<double>(f.depayloaded); });
      row.decoded = known([](const F& f) { return f.decoded; });
      row.damaged = known([](const F& f) { return f.damaged; });
      row.per_1000_lost = known([](const F& f) { return f.lost_or_damaged_per_1000_lost_packets; });
      auto ms = [](double ns) { return ns < 0 ? -1.0 : ns / 1e6; };
      row.frame_p50_ms = ms(
          known([](const F& f) { return f.latency.count > 0 ? std::optional<double>(f.latency.p50) : std::nullopt; }));
      row.frame_p99_ms = ms(
          known([](const F& f) { return f.latency.count > 0 ? std::optional<double>(f.latency.p99) : std::nullopt; }));
      const double per_frame = known([](const F& f) { return f.decoder_cpu_ns_per_frame; });
      row.decoder_us_per_frame = per_frame < 0 ? -1.0 : per_frame / 1000;
      row.decoder_ns_per_packet = known([](const F& f) { return f.decoder_cpu_ns_per_packet; });
    }
    bool share_known = true;
    for (const RunResult* r : ok) share_known = share_known && r->receive_share.has_value();
    if (share_known) row.receive_share_pct = MedianOf(ok, [](const RunResult& r) { return 100 * *r.receive_share; });
    if (ok.front()->latency.count > 0) {
      row.p50_us = MedianOf(ok, [](const RunResult& r) { return r.latency.p50 / 1000; });
      row.p99_us = MedianOf(ok, [](const RunResult& r) { return r.latency.p99 / 1000; });
      // The run's p99 of J, not its last value: the whole run, not its end.
      row.jitter_us = MedianOf(ok, [](const RunResult& r) { return r.jitter.p99 / 1000; });
    }
  }
  auto reference = [&](const char* name, bool receive_path) {
    auto it = rows.find(name);
    if (it == rows.end() || it->second.runs == it->second.failed) return 0.0;
    return receive_path ? it->second.path_ns : it->second.rx_ns;
  };
  // null has no pipeline: its receiver thread is the whole receive path.
  // A row's floor is null on the same path (a compare over loopback and veth
  // has "null" and "null+path=veth"): the path's own cost is not the strategy's.
  auto floor_name = [](const std::string& name) {
    const std::size_t at = name.find("+path=");
    return "null" + (at == std::string::npos ? std::string() : name.substr(at));
  };
  std::map<std::string, double> null_ns;
  for (const std::string& name : order) null_ns[name] = reference(floor_name(name).c_str(), false);
  auto figures = [](const Row& row) {
    return FloorFigures{row.ctx, row.syscalls < 0 ? std::nullopt : std::optional<double>(row.syscalls)};
  };
  for (auto& [name, row] : rows) {
    if (null_ns[name] <= 0) continue;
    const Row& floor = rows[floor_name(name)];
    const auto preset = receivers::FindPreset(receivers::PresetNameOf(name));
    if (row.runs == row.failed || (preset && preset->Role() == receivers::StrategyRole::kFloor)) continue;
    const bool can_lock_step =
        preset && preset->receiver != receivers::ReceiverKind::kUdpsrc && preset->recv != receivers::RecvKind::kIoUring;
    row.floor_note =
        FloorMismatch(floor_name(name), figures(floor), name, figures(row), !row.lock_step && can_lock_step);
  }

  // The strategy column fits the longest name (overrides make names long).
  int name_width = 14;
  for (const std::string& name : order) name_width = std::max(name_width, static_cast<int>(name.size()));
  std::fprintf(out, "%-*s %-32s %9s %8s %9s %7s %7s %8s %8s %8s %8s %6s %7s %6s %6s %8s %8s %7s %7s\n", name_width,
               "strategy", "policies (buf/sync/recv/push)", "sent", "got kpps", "delivered", "k.drop", "p.drop",
               "rx ns", "pipe ns", "path ns", "gen ns", "meas%", "x null", "sys/p", "ctx/p", "p50 us", "p99 us",
               "jit us", "unexpl");
  for (const std::string& name : order) {
    const Row& row = rows[name];
    if (row.runs == row.failed) {
      std::fprintf(out, "%-*s %-32s FAILED: %s\n", name_width, name.c_str(), row.policies.c_str(), row.error.c_str());
      continue;
    }
    const std::string measure_pct = Format("%.1f", row.measure_pct);
    const std::string p50 = Format("%.1f", row.p50_us), p99 = Format("%.1f", row.p99_us),
                      jitter = Format("%.1f", row.jitter_us);
    const std::string syscalls = Format("%.2f", row.syscalls);
    // No ratio to a floor that is none for this row: the line below says why.
    const std::string ratio = row.floor_note.empty() ? Ratio(row.path_ns, null_ns[name]) : "-";
    const bool bad = row.unexplained != 0;
    std::fprintf(out,
                 "%-*s %-32.32s %9.0f %8.1f %9.0f %7.0f %7.0f %8.0f %8.0f %8.0f %8.0f %6s %7s %6s %6.2f %8s %8s %7s "
                 "%s%7.0f%s\n",
                 name_width, name.c_str(), row.policies.c_str(), row.sent, row.achieved_kpps, row.delivered,
                 row.kernel_drops, row.pipeline_drops, row.rx_ns, row.pipe_ns, row.path_ns, row.gen_ns,
                 measure_pct.c_str(), ratio.c_str(), syscalls.c_str(), row.ctx, p50.c_str(), p99.c_str(),
                 jitter.c_str(), bad && color ? "\033[31m" : "", row.unexplained, bad && color ? "\033[0m" : "");
    if (row.failed > 0) {
      std::fprintf(out, "%*s %d of %d repetitions failed: %s\n", name_width, "", row.failed, row.runs,
                   row.error.c_str());
    }
    if (!row.floor_note.empty()) std::fprintf(out, "%*s x null: %s\n", name_width, "", row.floor_note.c_str());
    if (!row.gso_refusal.empty()) std::fprintf(out, "%*s generator: %s\n", name_width, "", row.gso_refusal.c_str());
    if (!row.busy_poll_no_effect.empty()) {
      std::fprintf(out, "%*s busy poll had no effect: %s\n", name_width, "", row.busy_poll_no_effect.c_str());
    }
    if (row.gro_segments >= 0) {
      std::fprintf(out, "%*s kernel GRO: %.2f packets per datagram read, %.0f of %.0f datagrams coalesced\n",
                   name_width, "", row.gro_segments, row.gro_coalesced, row.gro_datagrams);
    }
    if (row.impaired) PrintImpairments(row, name_width, out);
    const auto& ok = by_strategy[name];
    if (!ok.empty() && ok.front()->per_stream.size() > 1) PrintStreams(*ok.front(), name_width, out);
    if (row.frames) PrintFrames(row, name_width, out);
  }
}

std::string DescribeCounters(const std::vector<RunResult>& runs) {
  for (const RunResult& r : runs) {
    if (r.counters_available.empty() && r.counters_unavailable.empty()) continue;
    std::string text = "counters:";
    for (const std::string& c : r.counters_available) {
      const bool user_only =
          std::find(r.counters_user_only.begin(), r.counters_user_only.end(), c) != r.counters_user_only.end();
      text += " " + c + (user_only ? " (user mode only)" : "");
    }
    if (r.counters_available.empty()) text += " none";
    // Unavailable ones grouped by their reason, without the system call's
    // detail (the JSON's context.counters_unavailable keeps it).
    std::map<std::string, std::string> by_reason;
    for (const auto& [name, reason] : r.counters_unavailable) {
      std::string shortened = reason.substr(0, reason.find(" ("));
      std::string& names = by_reason[shortened];
      names += (names.empty() ? "" : ", ") + name;
    }
    for (const auto& [reason, names] : by_reason) text += "; " + names + ": " + reason;
    return text;
  }
  return "";
}

}  // namespace rxbench::harness
