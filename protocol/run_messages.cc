#include "protocol/run_messages.h"

#include <sys/random.h>

#include <array>
#include <cstddef>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "metrics/thread_usage.h"
#include "rtp/rtcp_app.h"

namespace rxbench::harness {
namespace {

using nlohmann::json;

// Reads json[key] into *out; false with *why when absent or of another type.
template <typename T>
bool Get(const json& j, const char* key, T* out, std::string* why) {
  const auto it = j.find(key);
  if (it == j.end()) {
    *why = std::string("no '") + key + "'";
    return false;
  }
  try {
    *out = it->get<T>();
  } catch (const json::exception&) {
    *why = std::string("'") + key + "' has the wrong type";
    return false;
  }
  return true;
}

// As Get, but a key that is absent leaves *out as it was (a field added in a
// later version).
template <typename T>
bool GetIfPresent(const json& j, const char* key, T* out, std::string* why) {
  return j.find(key) == j.end() || Get(j, key, out, why);
}

std::size_t InjectKindByName(const std::string& name) {
  for (std::size_t k = 1; k < traffic_gen::kInjectKinds; ++k) {
    if (name == traffic_gen::InjectKindName(k)) return k;
  }
  return traffic_gen::kNoMalformed;
}

}  // namespace

const char* ToString(RunMessageKind kind) {
  switch (kind) {
    case RunMessageKind::kPlan: return "plan";
    case RunMessageKind::kWarmupDone: return "warmup-done";
    case RunMessageKind::kEnd: return "end";
  }
  return "unknown";
}

std::string NewRunId() {
  std::array<std::uint8_t, 8> bytes{};
  if (getrandom(bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
    // No entropy source: the clock still makes ids differ between runs.
    const std::uint64_t t = metrics::MonotonicNs();
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(t >> (8 * i));
  }
  std::string id;
  char hex[3];
  for (std::uint8_t b : bytes) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    id += hex;
  }
  return id;
}

json PlanJson(const RunPlan& p) {
  const traffic_gen::TrafficSpec& t = p.traffic;
  return {{"run_id", p.run_id},
          {"scenario", p.scenario},
          {"shape", traffic_gen::ToString(t.shape)},
          {"media", traffic_gen::ToString(t.media)},
          {"rate_pps", t.rate_pps},
          {"fps", t.fps},
          {"duration_s", t.duration_s},
          {"packet_count", t.packet_count},
          {"payload_bytes", t.payload_bytes},
          {"ssrc", t.ssrc},
          {"payload_type", t.payload_type},
          {"first_sequence", t.first_sequence},
          {"send_batch", t.send_batch},
          {"fill_pattern", t.fill_pattern},
          {"warmup_packets", p.warmup_packets},
          {"measured_packets", p.measured_packets},
          {"warmup_pause_s", p.warmup_pause_s},
          {"boot_id", p.boot_id},
          {"host", p.host},
          {"streams", t.streams},
          {"stream_ports", p.per_stream_ports ? "per-stream" : "one"}};
}

bool PlanFromJson(const json& j, RunPlan* p, std::string* why) {
  if (!j.is_object()) {
    *why = "the plan is not a JSON object";
    return false;
  }
  traffic_gen::TrafficSpec& t = p->traffic;
  std::string shape, media;
  std::int64_t ssrc = -1, payload_type = -1;
  const bool ok =
      Get(j, "run_id", &p->run_id, why) && Get(j, "scenario", &p->scenario, why) && Get(j, "shape", &shape, why) &&
      Get(j, "rate_pps", &t.rate_pps, why) && Get(j, "fps", &t.fps, why) && Get(j, "duration_s", &t.duration_s, why) &&
      Get(j, "packet_count", &t.packet_count, why) && Get(j, "payload_bytes", &t.payload_bytes, why) &&
      Get(j, "ssrc", &ssrc, why) && Get(j, "payload_type", &payload_type, why) &&
      Get(j, "first_sequence", &t.first_sequence, why) && Get(j, "send_batch", &t.send_batch, why) &&
      Get(j, "fill_pattern", &t.fill_pattern, why) && Get(j, "warmup_packets", &p->warmup_packets, why) &&
      Get(j, "measured_packets", &p->measured_packets, why) && Get(j, "warmup_pause_s", &p->warmup_pause_s, why) &&
      Get(j, "boot_id", &p->boot_id, why) && Get(j, "host", &p->host, why) && Get(j, "media", &media, why);
  if (!ok) return false;
  // Version 1 had one stream.
  std::string ports = "one";
  t.streams = 1;
  if (!GetIfPresent(j, "streams", &t.streams, why) || !GetIfPresent(j, "stream_ports", &ports, why)) return false;
  if (t.streams < 1 || t.streams > traffic_gen::kMaxStreams || (ports != "one" && ports != "per-stream")) {
    *why = "streams must be 1.." + std::to_string(traffic_gen::kMaxStreams) + " on 'one' or 'per-stream' ports";
    return false;
  }
  p->per_stream_ports = ports == "per-stream";
  const std::optional<traffic_gen::Shape> parsed = traffic_gen::ParseShape(shape);
  if (!parsed) {
    *why = "unknown shape '" + shape + "'";
    return false;
  }
  t.shape = *parsed;
  const std::optional<traffic_gen::Media> parsed_media = traffic_gen::ParseMedia(media);
  if (!parsed_media) {
    *why = "unknown media '" + media + "'";
    return false;
  }
  t.media = *parsed_media;
  if (ssrc < 0 || ssrc > 0xFFFFFFFF || payload_type < 0 || payload_type > 127) {
    *why = "the SSRC or payload type is out of range";
    return false;
  }
  t.ssrc = static_cast<std::uint32_t>(ssrc);
  t.payload_type = static_cast<std::uint8_t>(payload_type);
  t.warmup_packets = p->warmup_packets / t.streams;  // the spec's is per stream
  return true;
}

json SentJson(const traffic_gen::GeneratorReport& s) {
  json malformed = json::object();
  for (std::size_t k = 1; k < traffic_gen::kInjectKinds; ++k) {
    if (s.malformed_sent[k] > 0) malformed[traffic_gen::InjectKindName(k)] = s.malformed_sent[k];
  }
  return {{"packets_sent", s.packets_sent},
          {"warmup_sent", s.warmup_sent},
          {"send_errors", s.send_errors},
          {"send_calls", s.send_calls},
          {"first_send_ns", s.first_send_ns},
          {"last_send_ns", s.last_send_ns},
          {"first_due_ns", s.first_due_ns},
          {"last_due_ns", s.last_due_ns},
          {"offered_pps", s.offered_pps},
          {"achieved_pps", s.achieved_pps()},
          {"last_errno", s.last_errno},
          {"cpu_ns", s.usage.cpu_ns},
          {"malformed_sent", malformed},
          {"stream_sent", s.stream_sent},
          {"access_units_sent", s.access_units_sent ? json(*s.access_units_sent) : json(nullptr)},
          {"impairments", s.impairments ? json{{"losses", s.impairments->losses},
                                               {"duplicates", s.impairments->duplicates},
                                               {"reorders", s.impairments->reorders}}
                                        : json(nullptr)}};
}

bool SentFromJson(const json& j, traffic_gen::GeneratorReport* s, std::string* why) {
  if (!j.is_object()) {
    *why = "the sent report is not a JSON object";
    return false;
  }
  json malformed;
  const bool ok = Get(j, "packets_sent", &s->packets_sent, why) && Get(j, "warmup_sent", &s->warmup_sent, why) &&
                  Get(j, "send_errors", &s->send_errors, why) && Get(j, "send_calls", &s->send_calls, why) &&
                  Get(j, "first_send_ns", &s->first_send_ns, why) && Get(j, "last_send_ns", &s->last_send_ns, why) &&
                  Get(j, "first_due_ns", &s->first_due_ns, why) && Get(j, "last_due_ns", &s->last_due_ns, why) &&
                  Get(j, "offered_pps", &s->offered_pps, why) && Get(j, "last_errno", &s->last_errno, why) &&
                  Get(j, "cpu_ns", &s->usage.cpu_ns, why) && Get(j, "malformed_sent", &malformed, why);
  if (!ok) return false;
  if (s->warmup_sent > s->packets_sent) {
    *why = "warmup_sent exceeds packets_sent";
    return false;
  }
  if (!malformed.is_object()) {
    *why = "'malformed_sent' is not an object";
    return false;
  }
  s->malformed_sent.fill(0);
  for (const auto& [name, count] : malformed.items()) {
    const std::size_t kind = InjectKindByName(name);
    if (kind == traffic_gen::kNoMalformed || !count.is_number_unsigned()) {
      *why = "malformed_sent: bad entry '" + name + "'";
      return false;
    }
    s->malformed_sent[kind] = count.get<std::uint64_t>();
  }
  // Absent (version 1, or a part's totals): no per-stream counts here.
  s->stream_sent.clear();
  if (!GetIfPresent(j, "stream_sent", &s->stream_sent, why)) return false;
  if (s->stream_sent.size() > traffic_gen::kMaxStreams) {
    *why = "more per-stream counts than streams may be";
    return false;
  }
  s->access_units_sent.reset();
  if (const auto it = j.find("access_units_sent"); it != j.end() && !it->is_null()) {
    std::uint64_t units = 0;
    if (!Get(j, "access_units_sent", &units, why)) return false;
    s->access_units_sent = units;
  }
  if (!s->stream_sent.empty()) {
    std::uint64_t sum = 0;
    for (std::uint64_t n : s->stream_sent) sum += n;
    if (sum != s->packets_sent) {
      *why = "the per-stream counts add up to " + std::to_string(sum) + ", packets_sent is " +
             std::to_string(s->packets_sent);
      return false;
    }
  }
  // --impair: what the sender withheld, doubled and swapped (absent or null: none).
  s->impairments.reset();
  if (const auto it = j.find("impairments"); it != j.end() && !it->is_null()) {
    traffic_gen::ImpairmentReport impairments;
    if (!Get(*it, "losses", &impairments.losses, why) || !Get(*it, "duplicates", &impairments.duplicates, why) ||
        !Get(*it, "reorders", &impairments.reorders, why)) {
      *why = "impairments: " + *why;
      return false;
    }
    s->impairments = impairments;
  }
  return true;
}

std::vector<std::uint8_t> EncodeRunMessage(const RunMessage& m, std::uint32_t ssrc, std::string* why) {
  json body = {{"version", kRunMessageVersion}, {"run_id", m.run_id}};
  if (m.kind == RunMessageKind::kPlan) {
    body["plan"] = PlanJson(m.plan);
  } else {
    body["part"] = m.part;
    body["parts"] = m.parts;
    if (m.part == 0) {
      body["sent"] = SentJson(m.sent);
      body["sent"].erase("stream_sent");  // a slice of them below, in every part
    }
    if (m.streams > 0) {
      body["stream_sent"] = {{"first", m.first_stream}, {"of", m.streams}, {"counts", m.sent.stream_sent}};
    }
  }
  const std::string text = body.dump();
  rtp::AppPacket app;
  app.subtype = static_cast<std::uint8_t>(m.kind);
  app.ssrc = ssrc;
  app.name = kRunMessageName;
  app.data.assign(text.begin(), text.end());
  std::vector<std::uint8_t> datagram = rtp::WriteApp(app);
  if (datagram.empty() || datagram.size() > kMaxRunMessageBytes) {
    *why = std::string("the ") + ToString(m.kind) + " message is " + std::to_string(datagram.size()) +
           " bytes, more than " + std::to_string(kMaxRunMessageBytes);
    return {};
  }
  return datagram;
}

std::vector<std::vector<std::uint8_t>> EncodeRunMessageParts(const RunMessage& whole, std::uint32_t ssrc,
                                                             std::string* why) {
  const std::vector<std::uint64_t>& counts = whole.sent.stream_sent;
  if (whole.kind == RunMessageKind::kPlan || counts.empty()) {
    RunMessage one = whole;
    one.part = 0;
    one.parts = 1;
    one.streams = 0;
    std::vector<std::uint8_t> datagram = EncodeRunMessage(one, ssrc, why);
    if (datagram.empty()) return {};
    return {std::move(datagram)};
  }
  // Slices as long as fit: a part's size grows by a count's digits and a
  // comma per count; what else it holds is measured with an empty slice, with
  // room for the part numbers' own digits.
  constexpr std::size_t kRoomForPartNumbers = 24;
  const auto base_size = [&](std::uint32_t part) {
    RunMessage empty = whole;
    empty.part = part;
    empty.parts = 1;
    empty.first_stream = 0;
    empty.streams = counts.size();
    empty.sent.stream_sent.clear();
    std::string ignored;
    return EncodeRunMessage(empty, ssrc, &ignored).size() + kRoomForPartNumbers;
  };
  const std::size_t first_base = base_size(0), later_base = base_size(1);
  if (first_base == kRoomForPartNumbers || first_base >= kMaxRunMessageBytes) {
    *why = std::string("the ") + ToString(whole.kind) + " message's totals do not fit one datagram";
    return {};
  }
  std::vector<std::pair<std::size_t, std::size_t>> slices;  // [first, end)
  for (std::size_t first = 0; first < counts.size();) {
    std::size_t size = slices.empty() ? first_base : later_base;
    std::size_t end = first;
    while (end < counts.size() && size + std::to_string(counts[end]).size() + 1 <= kMaxRunMessageBytes) {
      size += std::to_string(counts[end]).size() + 1;
      ++end;
    }
    slices.emplace_back(first, end);
    first = end;
  }
  std::vector<std::vector<std::uint8_t>> datagrams;
  for (std::size_t i = 0; i < slices.size(); ++i) {
    RunMessage part = whole;
    part.part = static_cast<std::uint32_t>(i);
    part.parts = static_cast<std::uint32_t>(slices.size());
    part.first_stream = slices[i].first;
    part.streams = counts.size();
    part.sent.stream_sent.assign(counts.begin() + static_cast<std::ptrdiff_t>(slices[i].first),
                                 counts.begin() + static_cast<std::ptrdiff_t>(slices[i].second));
    datagrams.push_back(EncodeRunMessage(part, ssrc, why));
    if (datagrams.back().empty()) return {};
  }
  return datagrams;
}

RunMessageParse ParseRunMessage(const std::uint8_t* data, std::size_t size, RunMessage* m, std::string* why) {
  rtp::AppPacket app;
  switch (rtp::FindApp(data, size, kRunMessageName, &app)) {
    case rtp::AppLookup::kFound: break;
    case rtp::AppLookup::kAbsent: return RunMessageParse::kNotOurs;
    case rtp::AppLookup::kMalformed: *why = "not an RTCP datagram"; return RunMessageParse::kMalformed;
  }
  if (app.subtype > static_cast<std::uint8_t>(RunMessageKind::kEnd)) {
    *why = "unknown message subtype " + std::to_string(app.subtype);
    return RunMessageParse::kMalformed;
  }
  m->kind = static_cast<RunMessageKind>(app.subtype);
  const json body = json::parse(app.data.begin(), app.data.end(), nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    *why = "the message's data is not a JSON object";
    return RunMessageParse::kMalformed;
  }
  int version = 0;
  if (!Get(body, "version", &version, why)) return RunMessageParse::kMalformed;
  if (version < kOldestRunMessageVersion || version > kRunMessageVersion) {
    *why = "format version " + std::to_string(version) + ", this rxbench reads " +
           std::to_string(kOldestRunMessageVersion) + ".." + std::to_string(kRunMessageVersion);
    return RunMessageParse::kMalformed;
  }
  if (!Get(body, "run_id", &m->run_id, why)) return RunMessageParse::kMalformed;
  if (m->kind == RunMessageKind::kPlan) {
    json plan;
    if (!Get(body, "plan", &plan, why) || !PlanFromJson(plan, &m->plan, why)) return RunMessageParse::kMalformed;
    if (m->plan.run_id != m->run_id) {
      *why = "the plan's run id differs from the message's";
      return RunMessageParse::kMalformed;
    }
    return RunMessageParse::kMessage;
  }
  // Version 1: one part, no per-stream counts.
  m->part = 0;
  m->parts = 1;
  m->first_stream = m->streams = 0;
  if (!GetIfPresent(body, "part", &m->part, why) || !GetIfPresent(body, "parts", &m->parts, why)) {
    return RunMessageParse::kMalformed;
  }
  if (m->parts < 1 || m->parts > kMaxRunMessageParts || m->part >= m->parts) {
    *why = "part " + std::to_string(m->part) + " of " + std::to_string(m->parts);
    return RunMessageParse::kMalformed;
  }
  m->sent = traffic_gen::GeneratorReport{};
  if (m->part == 0) {
    json sent;
    if (!Get(body, "sent", &sent, why) || !SentFromJson(sent, &m->sent, why)) return RunMessageParse::kMalformed;
    if (!m->sent.stream_sent.empty()) {
      *why = "per-stream counts in the totals";  // they go in stream_sent, sliced
      return RunMessageParse::kMalformed;
    }
  }
  if (const auto it = body.find("stream_sent"); it != body.end()) {
    if (!it->is_object() || !Get(*it, "first", &m->first_stream, why) || !Get(*it, "of", &m->streams, why) ||
        !Get(*it, "counts", &m->sent.stream_sent, why)) {
      *why = "stream_sent: " + *why;
      return RunMessageParse::kMalformed;
    }
    if (m->streams < 1 || m->streams > traffic_gen::kMaxStreams || m->first_stream > m->streams ||
        m->sent.stream_sent.size() > m->streams - m->first_stream) {
      *why = "stream_sent: counts of streams " + std::to_string(m->first_stream) + ".." +
             std::to_string(m->first_stream + m->sent.stream_sent.size()) + " of " + std::to_string(m->streams);
      return RunMessageParse::kMalformed;
    }
  }
  return RunMessageParse::kMessage;
}

}  // namespace rxbench::harness
