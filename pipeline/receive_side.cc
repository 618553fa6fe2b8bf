#include "pipeline/receive_side.h"

#include "metrics/callgrind_window.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "metrics/thread_usage.h"
#include "pipeline/element_names.h"
#include "pipeline/stream_totals.h"
#include "platform/napi_id.h"
#include "platform/this_thread.h"
#include "platform/udp_counters.h"
#include "receivers/busy_poll.h"

namespace rxbench::harness {

ReceiveSide::ReceiveSide(const spec::ReceiveSideSpec& spec, ReceiveSideHooks hooks)
    : spec_(spec), hooks_(std::move(hooks)) {}

ReceiveSide::~ReceiveSide() {
  StopReceivers();
  for (Stream& s : streams_) s.pipeline.reset();
  for (Stream& s : streams_) {
    if (s.sink) s.sink->Detach();
    if (s.frames) s.frames->Detach();
  }
  for (const receivers::UdpSocket& socket : sockets_) close(socket.fd);
}

void ReceiveSide::StopReceivers() {
  // A receiver waiting to push into a full appsrc would never see its stop.
  for (Stream& s : streams_) {
    if (s.pipeline) s.pipeline->UnblockSource();
  }
  for (auto& receiver : receivers_) receiver->Stop();
}

std::vector<std::uint16_t> ReceiveSide::stream_ports() const {
  std::vector<std::uint16_t> ports;
  const bool per_stream = spec_.streams.sockets == spec::StreamSockets::kPerStream;
  for (std::size_t k = 0; k < streams_.size(); ++k) ports.push_back(sockets_[per_stream ? k : 0].port);
  return ports;
}

std::vector<int> ReceiveSide::SocketFds() const {
  std::vector<int> fds;
  for (const receivers::UdpSocket& socket : sockets_) fds.push_back(socket.fd);
  return fds;
}

bool ReceiveSide::Start(std::string* error) {
  const receivers::ReceiverKind kind = spec_.receiver.strategy.receiver;
  report_.is_null = kind == receivers::ReceiverKind::kNull;
  report_.is_udpsrc = kind == receivers::ReceiverKind::kUdpsrc;
  report_.gro = kind != receivers::ReceiverKind::kUdpsrc && spec_.receiver.strategy.recv == receivers::RecvKind::kGro;
  const spec::StreamsSpec& many = spec_.streams;
  const bool per_stream = many.sockets == spec::StreamSockets::kPerStream;
  if (many.streams < 1 || many.receivers < 1) {
    *error = "--streams and --receivers must be at least 1";
    return false;
  }
  if (report_.is_udpsrc && many.receivers > 1) {
    *error = "udpsrc reads each socket on its own pipeline's thread: --receivers does not apply to it";
    return false;
  }
  if (report_.is_udpsrc && many.streams > 1 && !per_stream) {
    *error =
        "udpsrc cannot route datagrams by SSRC to each stream's pipeline: use --stream-sockets per-stream "
        "(one udpsrc per stream socket)";
    return false;
  }
  if (per_stream && many.receivers > many.streams) {
    *error = "--receivers " + std::to_string(many.receivers) + " > --streams " + std::to_string(many.streams) +
             " with per-stream sockets: a receiver thread would have no socket";
    return false;
  }
  // A thread reading several sockets idles in its own epoll set, which does
  // not busy poll; SO_BUSY_POLL alone would make a busy-polling wait that
  // polls about once. Refused rather than reported as busy polling.
  if (per_stream && many.streams > many.receivers && spec_.receiver.strategy.wait != receivers::WaitKind::kSleep &&
      !report_.is_udpsrc) {
    *error = std::string("wait=") + receivers::ToString(spec_.receiver.strategy.wait) +
             " busy polls one socket per receiver thread: with --stream-sockets per-stream give as many "
             "--receivers as --streams, or use reuseport";
    return false;
  }
  if (hooks_.read_gate != nullptr && many.receivers > 1) {
    *error = "--lock-step releases rounds to one receiver thread: not with --receivers > 1";
    return false;
  }
  report_.socket_per_stream = per_stream || report_.is_udpsrc;
  // Threads alive now predate the run: what they do cannot be attributed to it.
  roles_ = std::make_unique<ThreadRoles>(platform::ListThreads(), platform::CurrentTid());

  const receivers::WaitKind wait = spec_.receiver.strategy.wait;
  if (wait != receivers::WaitKind::kSleep) report_.busy_poll_us = spec_.receiver.busy_poll_us;
  const unsigned socket_count = report_.is_udpsrc ? many.streams : many.socket_count();
  for (unsigned i = 0; i < socket_count; ++i) {
    receivers::UdpSocketOptions socket_options;
    socket_options.bind_host = spec_.socket.bind_host;
    socket_options.port = spec_.socket.port;
    // The group shares the first socket's port; per-stream sockets given a
    // port P take P + 2i (RFC 3550: RTP on even ports, each stream's RTCP on
    // the port after it, so P + 1 stays the control port), else any free ones.
    if (i > 0 && !per_stream) socket_options.port = sockets_.front().port;
    if (i > 0 && per_stream && spec_.socket.port != 0)
      socket_options.port = static_cast<std::uint16_t>(spec::StreamPort(spec_.socket.port, i));
    socket_options.reuseport = many.many() && !per_stream;
    socket_options.rcvbuf_bytes = spec_.socket.rcvbuf_bytes;
    // Kernel receive timestamps cost the kernel work on every datagram, on
    // every socket that asks for them, whether or not the strategy reads them:
    // opt-in, and then on for every strategy alike, so comparisons stay fair.
    socket_options.timestamps = spec_.socket.kernel_timestamps;
    socket_options.drop_counter = spec_.socket.kernel_timestamps;
    sockets_.push_back(receivers::OpenUdpSocket(socket_options, error));
    if (sockets_.back().fd < 0) {
      sockets_.pop_back();
      if (socket_count > 1) *error = "socket " + std::to_string(i) + ": " + *error;
      return false;
    }
    if (std::string problem = receivers::ApplyWaitToSocket(sockets_.back().fd, wait, spec_.receiver.busy_poll_us);
        !problem.empty()) {
      *error = problem;
      return false;
    }
  }
  rcvbuf_errors_before_ = platform::UdpCounters::HostRcvbufErrors();

  // Before the first packet can be sent, so that every send time fits a
  // stamp; one epoch for every stream's receiver and sink.
  const std::uint64_t stamp_epoch_ns = metrics::MonotonicNs();
  const std::uint32_t first_ssrc = spec_.receiver.expected_ssrc.value_or(traffic_gen::TrafficSpec{}.ssrc);
  streams_.resize(many.streams);
  // Threads born while a pipeline is made and started are its own (with many
  // streams: which stream an element's private thread serves): the threads
  // alive before it, sorted, listed once per pipeline.
  std::vector<pid_t> alive;
  if (many.many()) {
    alive = platform::ListThreads();
    std::sort(alive.begin(), alive.end());
  }
  for (std::size_t k = 0; k < streams_.size(); ++k) {
    Stream& stream = streams_[k];
    stream.ssrc = first_ssrc + static_cast<std::uint32_t>(k);
    SinkProbeConfig sink_config;
    sink_config.measure = spec_.measurement.per_packet;
    // udpsrc does not stamp buffers: its offsets mean something else.
    sink_config.receiver_stamps = spec_.measurement.per_packet && !report_.is_udpsrc;
    sink_config.stamp_epoch_ns = stamp_epoch_ns;
    sink_config.verify_payload = spec_.measurement.verify_payload;
    sink_config.observer = hooks_.observer;
    sink_config.window = &window_;
    if (!report_.is_null) {
      stream.pipeline = Pipeline::Create(
          spec_.pipeline.description.empty() ? kDefaultPipeline : spec_.pipeline.description,
          report_.is_udpsrc ? sockets_[k].fd : -1,
          [this, k](pid_t tid, GstElement* owner) { OnStreamingThread(k, tid, owner); }, error,
          spec_.receiver.expected_payload_type.value_or(kDefaultPayloadType));
      if (!stream.pipeline) return false;
    }
    // Where the pipeline depayloads, packets end at the depayloader and frames
    // go on to the sink.
    GstElement* depay = stream.pipeline ? stream.pipeline->depayloader() : nullptr;
    if (depay != nullptr) {
      stream.frames = std::make_unique<FrameProbe>(hooks_.frame_reference, &window_);
      sink_config.on_packet = [frames = stream.frames.get()](GstBuffer* packet, const stamps::PacketStamp& stamp) {
        frames->OnPacket(packet, stamp);
      };
    }
    stream.sink = std::make_unique<SinkProbe>(sink_config);
    if (!stream.pipeline) continue;
    stream.sink->Attach(depay != nullptr ? depay : stream.pipeline->sink());
    if (stream.frames) stream.frames->Attach(depay, stream.pipeline->decoder(), stream.pipeline->sink());
    if (!stream.pipeline->Play(error)) return false;
    if (many.many()) NoteThreadsBornSince(&alive, k);
  }
  report_.receiver_threads = report_.is_udpsrc ? static_cast<int>(many.streams) : static_cast<int>(many.receivers);
  if (!report_.is_udpsrc) return StartReceivers(stamp_epoch_ns, error);
  return true;
}

bool ReceiveSide::StartReceivers(std::uint64_t stamp_epoch_ns, std::string* error) {
  const spec::StreamsSpec& many = spec_.streams;
  const bool per_stream = many.sockets == spec::StreamSockets::kPerStream;
  receiver_sockets_.assign(many.receivers, {});
  for (std::size_t i = 0; i < sockets_.size(); ++i) receiver_sockets_[per_stream ? i % many.receivers : i].push_back(i);
  for (unsigned r = 0; r < many.receivers; ++r) {
    receivers::ReceiverConfig rc;
    rc.spec = &spec_.receiver;
    rc.fd = sockets_[receiver_sockets_[r].front()].fd;
    for (std::size_t i = 1; i < receiver_sockets_[r].size(); ++i)
      rc.more_fds.push_back(sockets_[receiver_sockets_[r][i]].fd);
    if (!report_.is_null && streams_.size() == 1) rc.appsrc = streams_.front().pipeline->appsrc();
    if (!report_.is_null && streams_.size() > 1) {
      for (const Stream& s : streams_) rc.routes.push_back({s.ssrc, s.pipeline->appsrc()});
    }
    rc.stamp_buffers = spec_.measurement.per_packet;
    rc.stamp_epoch_ns = stamp_epoch_ns;
    rc.window = &window_;
    rc.read_gate = hooks_.read_gate;
    rc.on_thread_start = [this, r](pid_t tid) {
      roles_->Announce(tid, ThreadRole::kReceiver, "receiver");
      if (r == 0) receiver_tid_ = tid;
    };
    receivers_.push_back(receivers::MakeReceiver(rc));
    if (!receivers_.back()->Start(error)) {
      if (many.receivers > 1) *error = "receiver " + std::to_string(r) + ": " + *error;
      return false;
    }
  }
  return true;
}

void ReceiveSide::NoteThreadsBornSince(std::vector<pid_t>* alive, std::size_t stream) {
  std::vector<pid_t> now = platform::ListThreads();
  std::sort(now.begin(), now.end());
  {
    std::lock_guard<std::mutex> lock(thread_streams_mutex_);
    for (pid_t tid : now) {
      // A streaming thread that announced itself already says whose it is.
      if (!std::binary_search(alive->begin(), alive->end(), tid)) thread_streams_.emplace(tid, stream);
    }
  }
  *alive = std::move(now);
}

// On the streaming thread itself, as it enters its loop.
void ReceiveSide::OnStreamingThread(std::size_t stream, pid_t tid, GstElement* owner) {
  {
    // A later announcement wins: GStreamer's task pool reuses threads.
    std::lock_guard<std::mutex> lock(thread_streams_mutex_);
    thread_streams_[tid] = stream;
  }
  const Pipeline* pipeline = streams_[stream].pipeline.get();
  if (pipeline != nullptr && owner == pipeline->source() && report_.is_udpsrc) {
    // udpsrc's own thread does the receiver's job.
    roles_->Announce(tid, ThreadRole::kReceiver, "receiver");
    if (spec_.receiver.cpu >= 0) platform::PinThread(0, spec_.receiver.cpu);
    if (stream == 0) receiver_tid_ = tid;
    return;
  }
  if (pipeline != nullptr && owner == pipeline->decoder_thread_owner()) {
    roles_->AnnounceDecoder(tid, platform::CurrentThreadName());
  } else {
    roles_->Announce(tid, ThreadRole::kPipeline, ReportedName(owner));
  }
  if (spec_.pipeline.cpu >= 0) platform::PinThread(0, spec_.pipeline.cpu);
}

receivers::ReceiverStats ReceiveSide::ReceiverSnapshot() const {
  receivers::ReceiverStats sum;
  for (const auto& receiver : receivers_) sum += receiver->Snapshot();
  return sum;
}

std::uint64_t ReceiveSide::Delivered() const {
  if (report_.is_null) return ReceiverSnapshot().packets;
  std::uint64_t n = 0;
  for (const Stream& s : streams_) n += s.sink ? s.sink->delivered() : 0;
  return n;
}

std::uint64_t ReceiveSide::Received() const { return ReceiverSnapshot().packets; }

std::uint64_t ReceiveSide::Explained(std::uint64_t target) const {
  std::uint64_t n = Delivered();
  if (!receivers_.empty() && !report_.is_null) {
    const receivers::ReceiverStats s = ReceiverSnapshot();
    n += s.truncated + s.malformed + s.push_errors;
  }
  // The socket's drop counter is a walk through /proc/net/udp: only when the
  // cheap counts do not explain everything.
  if (n < target) {
    if (sockets_.size() == 1) {
      if (auto drops = platform::UdpCounters::SocketDrops(sockets_.front().fd)) n += *drops;
    } else {
      for (const auto& drops : platform::UdpCounters::SocketsDrops(SocketFds())) n += drops.value_or(0);
    }
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
  // The counters and syscalls are one thread's: with several receiver
  // threads they would say what one did, divided by what all delivered.
  const bool one_receiver = report_.receiver_threads <= 1;
  if (one_receiver && WaitForReceiverThread()) {
    const pid_t tid = receiver_tid_.load();
    counters_ = metrics::PerfCounters::OpenWithFallback(spec_.measurement.counters, tid);
    if (spec_.measurement.count_syscalls) {
      syscalls_ = metrics::SyscallCounter::Open(tid);
    }
  }
  report_.counters_available = counters_.available();
  report_.counters_unavailable = counters_.unavailable();
  report_.counters_user_only = counters_.user_only();
  if (!one_receiver) {
    for (const std::string& name : spec_.measurement.counters) {
      report_.counters_unavailable[name] = "counted on one receiver thread only: not with several (--receivers)";
    }
  }
  if (!spec_.measurement.count_syscalls) {
    report_.syscalls_unavailable = "not asked for (--count-syscalls)";
  } else if (!one_receiver) {
    report_.syscalls_unavailable = "counted on one receiver thread only: not with several (--receivers)";
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
  stream_delivered_at_open_.clear();
  for (const Stream& s : streams_) stream_delivered_at_open_.push_back(s.sink ? s.sink->delivered() : 0);
  if (!receivers_.empty()) {
    const receivers::ReceiverStats s = ReceiverSnapshot();
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
  stream_window_delivered_.clear();
  for (std::size_t k = 0; k < streams_.size() && k < stream_delivered_at_open_.size(); ++k) {
    const std::uint64_t now = streams_[k].sink ? streams_[k].sink->delivered() : 0;
    stream_window_delivered_.push_back(now - stream_delivered_at_open_[k]);
  }
  {
    std::lock_guard<std::mutex> lock(thread_streams_mutex_);
    report_.thread_streams = thread_streams_;
  }
  if (!receivers_.empty()) {
    const receivers::ReceiverStats s = ReceiverSnapshot();
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
  StopReceivers();
  stream_pipelines_.assign(streams_.size(), std::nullopt);
  for (std::size_t k = 0; k < streams_.size(); ++k) {
    Pipeline* pipeline = streams_[k].pipeline.get();
    if (pipeline == nullptr) continue;
    std::string error;
    // udpsrc is still reading: its end-of-stream comes after what it has read.
    if (std::string bus = pipeline->BusError(); !bus.empty()) {
      error = bus;
    } else {
      // Frames still move past the last packet while the decoder works
      // through what is queued for it.
      const SinkProbe* sink = streams_[k].sink.get();
      const FrameProbe* frames = streams_[k].frames.get();
      const Pipeline::Drain drain = pipeline->DrainToEos(
          drain_timeout_s, [sink, frames] { return sink->delivered() + (frames ? frames->at_sink() : 0); });
      report_.pipeline_flushed |= drain != Pipeline::Drain::kEndOfStream;
      if (drain == Pipeline::Drain::kTimedOut) {
        error = "pipeline still moving " + std::to_string(drain_timeout_s) +
                " s after the last packet: flushed and stopped";
      }
      // Every streaming thread has stopped or passed end-of-stream: final.
      stream_pipelines_[k] = pipeline->Counts();
    }
    pipeline->Stop();
    streams_[k].sink->Detach();
    if (streams_[k].frames) streams_[k].frames->Detach();
    if (std::string bus = pipeline->BusError(); !bus.empty() && error.empty()) error = bus;
    if (!error.empty() && streams_.size() > 1) error = "stream " + std::to_string(k) + ": " + error;
    if (report_.error.empty()) report_.error = error;
  }
  ReadFinalCounts();
  return std::move(report_);
}

ReceiveReport ReceiveSide::Stop() {
  const std::uint64_t start_ns = metrics::MonotonicNs();
  StopReceivers();  // within one idle wait (receive_call.h)
  // Nothing moves past a pad from here on: the counts stand still.
  for (Stream& s : streams_) {
    if (s.pipeline) s.pipeline->FlushFromSource();
  }
  stream_pipelines_.assign(streams_.size(), std::nullopt);
  for (std::size_t k = 0; k < streams_.size(); ++k) {
    Pipeline* pipeline = streams_[k].pipeline.get();
    if (pipeline == nullptr) continue;
    PipelineCounts counts = pipeline->Counts();
    for (ElementFlow& flow : counts.downstream) {
      flow.level = std::max(flow.level, flow.in > flow.out ? flow.in - flow.out : 0);
    }
    stream_pipelines_[k] = std::move(counts);
    pipeline->Stop();
    streams_[k].sink->Detach();
    if (streams_[k].frames) streams_[k].frames->Detach();
    if (report_.error.empty()) report_.error = pipeline->BusError();
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
  report_.sockets.assign(sockets_.size(), {});
  for (std::size_t i = 0; i < sockets_.size(); ++i) {
    const receivers::Drained drained = receivers::DrainSocket(sockets_[i].fd, hooks_.socket_drain);
    report_.sockets[i].port = sockets_[i].port;
    report_.sockets[i].left_in_socket = drained.datagrams;
    report_.left_in_socket += drained.datagrams;
    report_.socket_drain_hit_bound |= drained.hit_bound;
  }
  if (sockets_.size() == 1) {
    report_.sockets.front().kernel_drops = platform::UdpCounters::SocketDrops(sockets_.front().fd).value_or(0);
  } else {
    const auto drops = platform::UdpCounters::SocketsDrops(SocketFds());
    for (std::size_t i = 0; i < sockets_.size(); ++i) report_.sockets[i].kernel_drops = drops[i].value_or(0);
  }
  for (const ReceiveReport::SocketAccount& socket : report_.sockets) report_.kernel_drops += socket.kernel_drops;
  const std::optional<std::uint64_t> rcvbuf_errors_after = platform::UdpCounters::HostRcvbufErrors();
  if (rcvbuf_errors_before_ && rcvbuf_errors_after) {
    report_.host_rcvbuf_errors = *rcvbuf_errors_after - *rcvbuf_errors_before_;
  }

  report_.streams.assign(streams_.size(), {});
  const bool per_stream = spec_.streams.sockets == spec::StreamSockets::kPerStream || report_.is_udpsrc;
  const std::vector<std::uint16_t> ports = stream_ports();
  for (std::size_t k = 0; k < streams_.size(); ++k) {
    ReceiveReport::StreamAccount& stream = report_.streams[k];
    stream.ssrc = streams_[k].ssrc;
    stream.port = ports[k];
    if (per_stream || sockets_.size() == 1) stream.socket = per_stream ? k : 0;
    if (streams_[k].sink) stream.sink = streams_[k].sink->result();
    if (k < stream_pipelines_.size() && stream_pipelines_[k]) stream.pipeline = *stream_pipelines_[k];
    if (k < stream_window_delivered_.size()) stream.window_delivered = stream_window_delivered_[k];
  }

  for (std::size_t r = 0; r < receivers_.size(); ++r) {
    const receivers::ReceiverResult& result = receivers_[r]->Result();
    if (r == 0) {
      report_.receiver = result;
    } else {
      AddReceiverResult(result, &report_.receiver);
    }
    const std::vector<std::size_t>& mine = receiver_sockets_[r];
    for (std::size_t i = 0; i < mine.size() && i < result.received_per_socket.size(); ++i) {
      report_.sockets[mine[i]].received = result.received_per_socket[i];
    }
    if (mine.size() == 1) report_.sockets[mine.front()].left_in_receive_call = result.left_in_receive_call;
    // Reuseport: a stream this thread routed came to its one socket, and the
    // kernel's hash sends all of a stream's datagrams to the same socket.
    for (std::size_t k = 0; k < result.routed.size(); ++k) {
      if (result.routed[k] > 0 && !report_.streams[k].socket) report_.streams[k].socket = mine.front();
    }
    // One stream routes nothing: whichever thread took its datagrams names its socket.
    if (streams_.size() == 1 && mine.size() == 1 && result.stats.packets > 0 && !report_.streams.front().socket) {
      report_.streams.front().socket = mine.front();
    }
  }
  // The receiver ended on its own: the cause of whatever else went wrong.
  if (!report_.receiver.error.empty()) report_.error = report_.receiver.error;
  if (report_.is_udpsrc) {
    // What left each udpsrc is what it took off its socket.
    for (std::size_t k = 0; k < report_.streams.size(); ++k) {
      if (k < stream_pipelines_.size() && stream_pipelines_[k])
        report_.sockets[k].received = stream_pipelines_[k]->source_out;
    }
  }
  if (streams_.size() == 1) {
    report_.sink = report_.streams.front().sink;
    report_.pipeline = report_.streams.front().pipeline;
  } else {
    for (const ReceiveReport::StreamAccount& stream : report_.streams) {
      AddSinkResult(stream.sink, &report_.sink);
      AddPipelineCounts(stream.pipeline, &report_.pipeline);
    }
  }
  // An unconnected UDP socket keeps the NAPI id of the first datagram queued
  // on it (sk_mark_napi_id_once), so reading it here, once, is reading it
  // after the first datagram, without a syscall in the receive path. Every
  // socket of a run is on the same path: the first one datagrams came to says.
  for (std::size_t i = 0; i < report_.sockets.size() && i < sockets_.size(); ++i) {
    const ReceiveReport::SocketAccount& account = report_.sockets[i];
    if (account.received.value_or(0) + account.kernel_drops + account.left_in_socket > 0) {
      report_.napi_id = platform::IncomingNapiId(sockets_[i].fd);
      break;
    }
  }
  report_.busy_poll_no_effect = receivers::BusyPollNoEffect(spec_.receiver.strategy.wait, report_.napi_id);
  // Frames are one stream's: media is sent as one stream (traffic_spec.h).
  if (streams_.size() == 1 && streams_.front().frames) report_.frames = streams_.front().frames->result();
}

}  // namespace rxbench::harness
