#include "traffic_gen/generator.h"

#include <sys/prctl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "platform/this_thread.h"
#include "rtp/rtp_packet.h"
#include "traffic_gen/gso_send.h"
#include "traffic_gen/impaired_schedule.h"
#include "traffic_gen/tx_timestamps.h"

namespace rxbench::traffic_gen {
namespace {

// Streams interleaved on one schedule: the spec's, at streams x the rate, its
// counts per stream scaled up alike (traffic_spec.h, `streams`).
TrafficSpec Interleaved(TrafficSpec spec) {
  if (spec.streams <= 1) return spec;
  const std::uint64_t n = spec.streams;
  spec.packet_count = spec.TotalPackets() * n;
  spec.rate_pps *= static_cast<double>(n);
  spec.warmup_packets *= n;
  return spec;
}

}  // namespace

double GeneratorReport::achieved_pps() const {
  if (last_send_ns <= first_send_ns || last_due_ns <= first_due_ns) return 0;
  return offered_pps * static_cast<double>(last_due_ns - first_due_ns) /
         static_cast<double>(last_send_ns - first_send_ns);
}

bool GeneratorReport::fell_behind() const {
  const double achieved = achieved_pps();
  return achieved > 0 && achieved < offered_pps * (1 - kFellBehindFraction);
}

Generator::Generator(TrafficSpec spec, GeneratorHooks hooks, PacingClock* clock)
    : spec_(std::move(spec)),
      hooks_(std::move(hooks)),
      clock_(clock != nullptr ? *clock : MonotonicPacingClock()),
      packet_bytes_(rtp::kHeaderBytes + spec_.payload_bytes) {}

Generator::~Generator() { Stop(); }

bool Generator::Start(std::string* error) {
  if (started_) {
    *error = "generator already started";
    return false;
  }
  const std::string invalid = Validate(spec_);
  if (!invalid.empty()) {
    *error = invalid;
    return false;
  }
  if (std::string problem = payload_.Open(spec_); !problem.empty()) {
    *error = problem;
    return false;
  }
  for (unsigned k = 0; k < spec_.streams; ++k) {
    senders_.push_back(std::make_unique<UdpSender>());
    const std::uint16_t port = spec_.stream_ports.empty() ? spec_.dest_port : spec_.stream_ports[k];
    if (!senders_.back()->Open(spec_.dest_host, port, error)) {
      if (spec_.streams > 1) *error = "stream " + std::to_string(k) + ": " + *error;
      senders_.clear();
      return false;
    }
  }

  // GSO: a call's packets lie back to back in buffers_, as a batch's do.
  const bool gso = spec_.gso_segments > 1;
  const unsigned batch =
      gso ? GsoSegmentsPerCall(packet_bytes_, spec_.gso_segments) : std::min(spec_.send_batch, kMaxBatch);
  if (gso) gso_ = std::make_unique<GsoSender>(senders_[0].get(), batch);
  buffers_.assign(batch * packet_bytes_, 0);
  if (!spec_.malformed.empty()) malformed_buffer_.assign(std::max(packet_bytes_, spec_.receiver_buffer_bytes + 64), 0);
  iovecs_.assign(batch, iovec{});
  messages_.assign(batch, mmsghdr{});
  slot_indices_.assign(batch, 0);
  for (unsigned k = 0; k < batch; ++k) {
    iovecs_[k].iov_base = buffers_.data() + k * packet_bytes_;
    iovecs_[k].iov_len = packet_bytes_;
    messages_[k].msg_hdr.msg_iov = &iovecs_[k];
    messages_[k].msg_hdr.msg_iovlen = 1;  // connected socket: no msg_name
  }

  started_ = true;
  running_.store(true, std::memory_order_release);
  std::promise<std::string> setup_done;
  std::future<std::string> setup_result = setup_done.get_future();
  thread_ = std::thread(&Generator::Run, this, std::move(setup_done));
  const std::string setup_error = setup_result.get();
  if (!setup_error.empty()) {
    Join();
    *error = setup_error;
    return false;
  }
  return true;
}

void Generator::Wait() { Join(); }

void Generator::Stop() {
  stop_.store(true, std::memory_order_relaxed);
  Join();
}

void Generator::Join() {
  std::lock_guard<std::mutex> lock(join_mutex_);
  if (thread_.joinable()) thread_.join();
}

GeneratorReport Generator::Report() const {
  std::lock_guard<std::mutex> lock(report_mutex_);
  return report_;
}

void Generator::Run(std::promise<std::string> setup_done) {
  const std::string setup_error = SetUpSenderThread();
  GeneratorReport report;
  report.tid = platform::CurrentTid();
  if (setup_error.empty() && hooks_.on_thread_start) hooks_.on_thread_start(report.tid);
  setup_done.set_value(setup_error);
  if (setup_error.empty()) SendStream(&report);
  report.usage = metrics::SampleCallingThread();
  {
    std::lock_guard<std::mutex> lock(report_mutex_);
    report_ = std::move(report);
  }
  running_.store(false, std::memory_order_release);
}

std::string Generator::SetUpSenderThread() const {
  // Best effort: a missing name only makes `top -H` less readable.
  platform::NameCurrentThread("rxgen");
  // The default 50 us of timer slack would let the kernel coalesce our wake-ups
  // and smear a 100 us CBR interval; 1 ns asks for the deadline as given.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  if (spec_.cpu >= 0) {
    if (std::string problem = platform::PinThread(0, spec_.cpu); !problem.empty()) return "sender: " + problem;
  }
  return "";
}

// After valid packet `index` (still in buffers_[0]), the malformed datagram
// the plan puts there, if any: built from a copy of that packet.
void Generator::SendMalformed(MalformedPlan* plan, std::uint64_t index, std::size_t packet_length,
                              GeneratorReport* report) {
  const std::size_t kind = plan->Take(index);
  if (kind == kNoMalformed) return;
  std::copy(buffers_.begin(), buffers_.begin() + static_cast<std::ptrdiff_t>(packet_length), malformed_buffer_.begin());
  const std::size_t length = MakeMalformed(kind, malformed_buffer_.data(), packet_length, malformed_buffer_.size(),
                                           spec_.receiver_buffer_bytes);
  const SendOutcome outcome = senders_[0]->SendBytes(malformed_buffer_.data(), length);
  report->packets_sent += outcome.sent;
  report->send_errors += outcome.failed;
  report->send_calls += outcome.calls;
  report->malformed_sent[kind] += outcome.sent;
  report->stream_sent[0] += outcome.sent;  // malformed datagrams go with one stream only
}

void Generator::SendStream(GeneratorReport* report) {
  const TrafficSpec interleaved = Interleaved(spec_);
  ImpairedSchedule schedule(interleaved, payload_.media_frames());
  const std::uint64_t streams = spec_.streams;
  report->stream_sent.assign(streams, 0);
  MalformedPlan malformed(spec_.malformed, spec_.seed, schedule.total());
  TxTimestamps tx;
  if (spec_.tx_timestamps) {
    report->tx_timestamps_unavailable = tx.Enable(senders_[0]->fd());
  }
  const bool timestamping = spec_.tx_timestamps && report->tx_timestamps_unavailable.empty();
  const unsigned batch = static_cast<unsigned>(messages_.size());
  std::int64_t start_ns = clock_.NowNs();
  bool warmup_done = schedule.warmup_end() == 0;

  // Lock-step: rounds of `round` packets by schedule index, the warm-up's
  // and the measured stream's apart; round_end is where the current one stops.
  const std::uint64_t round = spec_.lock_step_packets;
  auto round_end_after = [&](std::uint64_t index) {
    const bool in_warmup = index < schedule.warmup_end();
    const std::uint64_t base = in_warmup ? 0 : schedule.warmup_end();
    const std::uint64_t limit = in_warmup ? schedule.warmup_end() : schedule.total();
    return std::min(base + ((index - base) / round + 1) * round, limit);
  };
  std::uint64_t round_end = round == 0 ? 0 : round_end_after(0);
  std::uint64_t released = 0;  // packets_sent when the round hook last returned
  auto end_round = [&] {
    if (report->packets_sent + report->send_errors != released && hooks_.after_round) hooks_.after_round(*report);
    released = report->packets_sent + report->send_errors;
  };

  // Media: access units of which a packet went out, told by timestamps that
  // move forward (a packet sent after its successor, or twice, is no new one).
  const bool media = payload_.media_frames() != nullptr;
  std::uint64_t units = 0;
  std::uint32_t last_unit = 0;
  auto count_unit = [&](const rtp::Header& header) {
    if (!media || (units > 0 && static_cast<std::int32_t>(header.timestamp - last_unit) <= 0)) return;
    ++units;
    last_unit = header.timestamp;
  };

  // Lock-step has no rate: nothing says how fast it should have gone.
  report->offered_pps = round != 0                           ? 0
                        : payload_.media_frames() != nullptr ? payload_.media_pps()
                                                             : interleaved.rate_pps;
  report->schedule_origin_ns = start_ns;
  // due_ns: when the (last) packet of the call was due after the schedule's start.
  auto account = [&](const SendOutcome& outcome, std::uint64_t send_ns, std::int64_t due_ns, bool measured) {
    report->packets_sent += outcome.sent;
    report->send_errors += outcome.failed;
    report->send_calls += outcome.calls;
    if (outcome.failed != 0) report->last_errno = outcome.last_errno;
    if (!measured) report->warmup_sent += outcome.sent;
    if (measured && outcome.sent != 0) {
      if (report->first_send_ns == 0) {
        report->first_send_ns = send_ns;
        report->first_due_ns = due_ns;
      }
      report->last_send_ns = send_ns;
      report->last_due_ns = due_ns;
    }
    if (timestamping) {
      for (std::uint64_t k = 0; k < outcome.sent; ++k) tx.Sent(send_ns);
      tx.Collect();
    }
  };

  while (!schedule.done() && !stop_.load(std::memory_order_relaxed)) {
    if (round != 0 && schedule.index() >= round_end) {
      end_round();
      round_end = round_end_after(schedule.index());
      continue;
    }
    if (!warmup_done && schedule.index() == schedule.warmup_end()) {
      warmup_done = true;
      const std::int64_t paused_at = clock_.NowNs();
      if (hooks_.after_warmup) hooks_.after_warmup(*report);
      // The measured stream keeps its own spacing: its schedule starts now.
      start_ns += clock_.NowNs() - paused_at;
      report->schedule_origin_ns = start_ns;
      continue;
    }
    const std::int64_t now_ns = clock_.NowNs();
    if (round == 0 && start_ns + schedule.due_ns() > now_ns) {
      clock_.SleepUntil(std::min(start_ns + schedule.due_ns(), now_ns + kStopPollNs));
      continue;
    }
    const bool measured = warmup_done;
    if (batch == 1) {
      // One packet per call, with its own time, read last, right before its
      // own send. The loop comes back here without sleeping while packets are
      // overdue.
      std::uint8_t* packet = buffers_.data();
      // Packet i of the schedule is packet i / streams of stream i % streams.
      const std::uint64_t stream = schedule.index() % streams, stream_index = schedule.index() / streams;
      rtp::Header header = schedule.header();
      if (streams > 1) {
        header.ssrc = spec_.ssrc + static_cast<std::uint32_t>(stream);
        header.sequence = static_cast<std::uint16_t>(spec_.first_sequence + stream_index);
      }
      const std::size_t length = payload_.Write(stream_index, header, packet);
      count_unit(header);
      iovecs_[0].iov_len = length;
      const auto send_ns = static_cast<std::uint64_t>(clock_.NowNs());
      rtp::WriteProbe(rtp::Probe{send_ns, stream_index}, packet + payload_.probe_offset());
      const std::int64_t due_ns = schedule.due_ns();
      const std::uint64_t index = schedule.index();
      // A malformed datagram follows a packet's first copy only: the plan
      // asks once per packet.
      const bool repeated = schedule.repeated();
      schedule.Advance();
      const SendOutcome outcome = senders_[stream]->Send(messages_.data(), 1);
      report->stream_sent[stream] += outcome.sent;
      account(outcome, send_ns, due_ns, measured);
      if (!malformed_buffer_.empty() && !repeated) SendMalformed(&malformed, index, length, report);
      continue;
    }
    // Batches: everything due by now_ns, up to `batch` per call, never
    // spanning the end of the warm-up, sharing one time read last (so that
    // building the batch is not part of the latency a receiver measures).
    std::int64_t due_ns = 0;
    unsigned count = 0;
    while (count < batch && !schedule.done() &&
           (round != 0 ? schedule.index() < round_end : start_ns + schedule.due_ns() <= now_ns) &&
           (warmup_done || schedule.index() < schedule.warmup_end())) {
      std::uint8_t* packet = buffers_.data() + count * packet_bytes_;
      iovecs_[count].iov_len = payload_.Write(schedule.index(), schedule.header(), packet);
      count_unit(schedule.header());
      slot_indices_[count] = schedule.index();
      due_ns = schedule.due_ns();
      schedule.Advance();
      ++count;
    }
    const auto send_ns = static_cast<std::uint64_t>(clock_.NowNs());
    for (unsigned k = 0; k < count; ++k) {
      rtp::WriteProbe(rtp::Probe{send_ns, slot_indices_[k]},
                      buffers_.data() + k * packet_bytes_ + payload_.probe_offset());
    }
    const SendOutcome outcome = gso_ ? gso_->Send(buffers_.data(), packet_bytes_, count * packet_bytes_)
                                     : senders_[0]->Send(messages_.data(), count);
    report->stream_sent[0] += outcome.sent;  // batches and GSO are for one stream only
    account(outcome, send_ns, due_ns, measured);
  }
  if (round != 0 && !stop_.load(std::memory_order_relaxed)) end_round();
  if (gso_) {
    report->gso_segments_per_call = static_cast<unsigned>(messages_.size());
    report->gso_calls = gso_->gso_calls();
    report->gso_refusal = gso_->refusal();
  }
  if (timestamping) {
    tx.Collect();
    report->send_stamp_error = tx.error_ns();
  }
  if (!spec_.impair.empty()) report->impairments = schedule.injected();
  if (media) report->access_units_sent = units;
}

}  // namespace rxbench::traffic_gen
