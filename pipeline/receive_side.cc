#include "pipeline/receive_side.h"

#include "metrics/callgrind_window.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "metrics/thread_usage.h"
#include "pipeline/element_names.h"
#include "platform/this_thread.h"
#include "platform/udp_counters.h"

namespace rxbench::harness {

ReceiveSide::ReceiveSide(const spec::ReceiveSideSpec& spec, ReceiveSideHooks hooks)
    : spec_(spec), hooks_(std::move(hooks)) {}

ReceiveSide::~ReceiveSide() {
  // A receiver waiting to push into a full appsrc would never see its stop.
  if (pipeline_) pipeline_->UnblockSource();
  if (receiver_) receiver_->Stop();
  pipeline_.reset();
  if (sink_) sink_->Detach();
  if (frames_) frames_->Detach();
  if (socket_.fd >= 0) close(socket_.fd);
}

bool ReceiveSide::Start(std::string* error) {
  const receivers::ReceiverKind kind = spec_.receiver.strategy.receiver;
  report_.is_null = kind == receivers::ReceiverKind::kNull;
  report_.is_udpsrc = kind == receivers::ReceiverKind::kUdpsrc;
  report_.gro = kind != receivers::ReceiverKind::kUdpsrc && spec_.receiver.strategy.recv == receivers::RecvKind::kGro;
  // Threads alive now predate the run: what they do cannot be attributed to it.
  roles_ = std::make_unique<ThreadRoles>(platform::ListThreads(), platform::CurrentTid());

  receivers::UdpSocketOptions socket_options;
  socket_options.bind_host = spec_.socket.bind_host;
  socket_options.port = spec_.socket.port;
  socket_options.rcvbuf_bytes = spec_.socket.rcvbuf_bytes;
  // Kernel receive timestamps cost the kernel work on every datagram, on
  // every socket that asks for them, whether or not the strategy reads them:
  // opt-in, and then on for every strategy alike, so comparisons stay fair.
  socket_options.timestamps = spec_.socket.kernel_timestamps;
  socket_options.drop_counter = spec_.socket.kernel_timestamps;
  socket_ = receivers::OpenUdpSocket(socket_options, error);
  if (socket_.fd < 0) return false;
  rcvbuf_errors_before_ = platform::UdpCounters::HostRcvbufErrors();

  SinkProbeConfig sink_config;
  sink_config.measure = spec_.measurement.per_packet;
  // udpsrc does not stamp buffers: its offsets mean something else.
  sink_config.receiver_stamps = spec_.measurement.per_packet && !report_.is_udpsrc;
  // Before the first packet can be sent, so that every send time fits a stamp.
  sink_config.stamp_epoch_ns = metrics::MonotonicNs();
  sink_config.verify_payload = spec_.measurement.verify_payload;
  sink_config.observer = hooks_.observer;
  sink_config.window = &window_;
  if (!report_.is_null) {
    pipeline_ = Pipeline::Create(
        spec_.pipeline.description.empty() ? kDefaultPipeline : spec_.pipeline.description,
        report_.is_udpsrc ? socket_.fd : -1, [this](pid_t tid, GstElement* owner) { OnStreamingThread(tid, owner); },
        error, spec_.receiver.expected_payload_type.value_or(kDefaultPayloadType));
    if (!pipeline_) return false;
  }
  // Where the pipeline depayloads, packets end at the depayloader and frames
  // go on to the sink.
  GstElement* depay = pipeline_ ? pipeline_->depayloader() : nullptr;
  if (depay != nullptr) {
    frames_ = std::make_unique<FrameProbe>(hooks_.frame_reference, &window_);
    sink_config.on_packet = [frames = frames_.get()](GstBuffer* packet, const stamps::PacketStamp& stamp) {
      frames->OnPacket(packet, stamp);
    };
  }
  sink_ = std::make_unique<SinkProbe>(sink_config);
  if (pipeline_) {
    sink_->Attach(depay != nullptr ? depay : pipeline_->sink());
    if (frames_) frames_->Attach(depay, pipeline_->decoder(), pipeline_->sink());
    if (!pipeline_->Play(error)) return false;
  }
  if (!report_.is_udpsrc) {
    receivers::ReceiverConfig rc;
    rc.spec = &spec_.receiver;
    rc.fd = socket_.fd;
    rc.appsrc = pipeline_ ? pipeline_->appsrc() : nullptr;
    rc.stamp_buffers = spec_.measurement.per_packet;
    rc.stamp_epoch_ns = sink_config.stamp_epoch_ns;
    rc.window = &window_;
    rc.read_gate = hooks_.read_gate;
    rc.on_thread_start = [this](pid_t tid) {
      roles_->Announce(tid, ThreadRole::kReceiver, "receiver");
      receiver_tid_ = tid;
    };
    receiver_ = receivers::MakeReceiver(rc);
    if (!receiver_->Start(error)) return false;
  }
  return true;
}

// On the streaming thread itself, as it enters its loop.
void ReceiveSide::OnStreamingThread(pid_t tid, GstElement* owner) {
  if (pipeline_ != nullptr && owner == pipeline_->source() && report_.is_udpsrc) {
    // udpsrc's own thread does the receiver's job.
    roles_->Announce(tid, ThreadRole::kReceiver, "receiver");
    if (spec_.receiver.cpu >= 0) platform::PinThread(0, spec_.receiver.cpu);
    receiver_tid_ = tid;
    return;
  }
  if (pipeline_ != nullptr && owner == pipeline_->decoder_thread_owner()) {
    roles_->AnnounceDecoder(tid, platform::CurrentThreadName());
  } else {
    roles_->Announce(tid, ThreadRole::kPipeline, ReportedName(owner));
  }
  if (spec_.pipeline.cpu >= 0) platform::PinThread(0, spec_.pipeline.cpu);
}

std::uint64_t ReceiveSide::Delivered() const {
  if (report_.is_null) return receiver_ ? receiver_->Snapshot().packets : 0;
  return sink_ ? sink_->delivered() : 0;
}

std::uint64_t ReceiveSide::Received() const { return receiver_ ? receiver_->Snapshot().packets : 0; }

std::uint64_t ReceiveSide::Explained(std::uint64_t target) const {
  std::uint64_t n = Delivered();
  if (receiver_ && !report_.is_null) {
    const receivers::ReceiverStats s = receiver_->Snapshot();
    n += s.truncated + s.malformed + s.push_errors;
  }
  // The socket's drop counter is a walk through /proc/net/udp: only when the
  // cheap counts do not explain everything.
  if (n < target) {
    if (auto drops = platform::UdpCounters::SocketDrops(socket_.fd)) n += *drops;
  }
  return n;
}

void ReceiveSide::WaitUntilExplained(std::uint64_t target, double timeout_s) const {
  // How long a stage may stand still before a drain gives up waiting for it.
  constexpr std::uint64_t kStallNs = 200'000'000;
  const std::uint64_t deadline = metrics::MonotonicNs() + static_cast<std::uint64_t>(timeout_s * 1e9);
  std::uint64_t last = Explained(target), last_change = metrics::MonotonicNs();
  while (last < target && metrics::MonotonicNs() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::uint64_t now = Explained(target);
    if (now != last) {
      last = now;
      last_change = metrics::MonotonicNs();
    } else if (metrics::MonotonicNs() - last_change > kStallNs) {
      return;
    }
  }
}

// The receiver announces its thread from the thread itself, just after
// Start(); udpsrc's thread announces itself while the pipeline starts.
bool ReceiveSide::WaitForReceiverThread() {
  for (int waited_ms = 0; receiver_tid_.load() == 0 && waited_ms < 2000; ++waited_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return receiver_tid_.load() != 0;
}

void ReceiveSide::OpenWindow() {
  if (WaitForReceiverThread()) {
    const pid_t tid = receiver_tid_.load();
    counters_ = metrics::PerfCounters::OpenWithFallback(spec_.measurement.counters, tid);
    if (spec_.measurement.count_syscalls) {
      syscalls_ = metrics::SyscallCounter::Open(tid);
    }
  }
  report_.counters_available = counters_.available();
  report_.counters_unavailable = counters_.unavailable();
  report_.counters_user_only = counters_.user_only();
  if (!spec_.measurement.count_syscalls) {
    report_.syscalls_unavailable = "not asked for (--count-syscalls)";
  } else if (!syscalls_.IsValid()) {
    report_.syscalls_unavailable = syscalls_.unavailable().empty() ? "no receiver thread" : syscalls_.unavailable();
  }
  // Pipeline threads that did not announce themselves (an element's private
  // threads) are pinned now, with the rest of the pipeline.
  if (spec_.pipeline.cpu >= 0) {
    for (const platform::ThreadSample& t : platform::TakeThreadCensus().threads) {
      const ThreadRole role = roles_->Identify(t.tid, t.comm).role;
      if (role == ThreadRole::kPipeline || role == ThreadRole::kDecoder) platform::PinThread(t.tid, spec_.pipeline.cpu);
    }
  }
  counters_.Start();
  syscalls_.Start();
  delivered_at_open_ = Delivered();
  if (receiver_) {
    const receivers::ReceiverStats s = receiver_->Snapshot();
    received_at_open_ = s.packets;
    calls_at_open_ = s.syscalls;
  }
  report_.census_start = platform::TakeThreadCensus();
  window_.Open();
  // Under valgrind (the exact tier) counting starts here in every thread.
  metrics::OpenCallgrindWindow();
}

void ReceiveSide::CloseWindow(std::map<pid_t, platform::ThreadSample> exited) {
  report_.census_end = platform::TakeThreadCensus();
  metrics::CloseCallgrindWindow();
  window_.Close();
  report_.counters = counters_.Read();
  counters_.Stop();
  report_.syscalls = syscalls_.Read();
  report_.window_delivered = Delivered() - delivered_at_open_;
  if (receiver_) {
    const receivers::ReceiverStats s = receiver_->Snapshot();
    report_.window_received = s.packets - received_at_open_;
    report_.window_receive_calls = s.syscalls - calls_at_open_;
  } else {
    report_.window_received = report_.window_delivered;
  }
  for (const platform::ThreadCensus* census : {&report_.census_start, &report_.census_end}) {
    for (const platform::ThreadSample& t : census->threads) report_.identities[t.tid] = roles_->Identify(t.tid, t.comm);
  }
  for (const auto& [tid, sample] : exited) {
    report_.identities[tid] = roles_->Identify(tid, sample.comm);
    report_.census_exited[tid] = sample;
  }
}

ReceiveReport ReceiveSide::Finish(double drain_timeout_s) {
  // A receiver waiting to push into a full appsrc would never see its stop;
  // what it pushes then drains like the rest.
  if (pipeline_) pipeline_->UnblockSource();
  if (receiver_) receiver_->Stop();
  if (pipeline_) {
    // udpsrc is still reading: its end-of-stream comes after what it has read.
    if (std::string bus = pipeline_->BusError(); !bus.empty()) {
      report_.error = bus;
    } else {
      // Frames still move past the last packet while the decoder works
      // through what is queued for it.
      const Pipeline::Drain drain =
          pipeline_->DrainToEos(drain_timeout_s, [this] { return Delivered() + (frames_ ? frames_->at_sink() : 0); });
      report_.pipeline_flushed = drain != Pipeline::Drain::kEndOfStream;
      if (drain == Pipeline::Drain::kTimedOut) {
        report_.error = "pipeline still moving " + std::to_string(drain_timeout_s) +
                        " s after the last packet: flushed and stopped";
      }
      // Every streaming thread has stopped or passed end-of-stream: final.
      report_.pipeline = pipeline_->Counts();
    }
    pipeline_->Stop();
    sink_->Detach();
    if (frames_) frames_->Detach();
    if (std::string bus = pipeline_->BusError(); !bus.empty() && report_.error.empty()) report_.error = bus;
  }
  ReadFinalCounts();
  return std::move(report_);
}

ReceiveReport ReceiveSide::Stop() {
  const std::uint64_t start_ns = metrics::MonotonicNs();
  if (pipeline_) pipeline_->UnblockSource();
  if (receiver_) receiver_->Stop();  // within one idle wait (receive_call.h)
  if (pipeline_) {
    // Nothing moves past a pad from here on: the counts stand still.
    pipeline_->FlushFromSource();
    report_.pipeline = pipeline_->Counts();
    for (ElementFlow& flow : report_.pipeline.downstream) {
      flow.level = std::max(flow.level, flow.in > flow.out ? flow.in - flow.out : 0);
    }
    pipeline_->Stop();
    sink_->Detach();
    if (frames_) frames_->Detach();
    report_.error = pipeline_->BusError();
  }
  report_.stopped_without_drain = true;
  ReadFinalCounts();
  report_.stop_s = static_cast<double>(metrics::MonotonicNs() - start_ns) / 1e9;
  return std::move(report_);
}

void ReceiveSide::ReadFinalCounts() {
  // The drain first, the drop counter after it: a datagram that came while
  // the drain made room and did not fit is a drop, and would otherwise be in
  // no count (unexplained).
  const receivers::Drained drained = receivers::DrainSocket(socket_.fd, hooks_.socket_drain);
  report_.left_in_socket = drained.datagrams;
  report_.socket_drain_hit_bound = drained.hit_bound;
  report_.kernel_drops = platform::UdpCounters::SocketDrops(socket_.fd).value_or(0);
  const std::optional<std::uint64_t> rcvbuf_errors_after = platform::UdpCounters::HostRcvbufErrors();
  if (rcvbuf_errors_before_ && rcvbuf_errors_after) {
    report_.host_rcvbuf_errors = *rcvbuf_errors_after - *rcvbuf_errors_before_;
  }
  if (receiver_) {
    report_.receiver = receiver_->Result();
    // The receiver ended on its own: the cause of whatever else went wrong.
    if (!report_.receiver.error.empty()) report_.error = report_.receiver.error;
  }
  if (sink_) report_.sink = sink_->result();
  if (frames_) report_.frames = frames_->result();
}

}  // namespace rxbench::harness
