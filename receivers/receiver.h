// A receiver takes datagrams off a bound UDP socket (or several: many
// streams) and pushes them into the pipeline's appsrc (or, by SSRC, into each
// stream's), on a thread of its own. Two kinds exist: the receive loop
// (every preset of the four policies) and the null receiver (the kernel floor).
// GStreamer's udpsrc is the third reference, but it lives inside the pipeline
// (pipeline/pipeline.h builds it) rather than behind this interface.
#pragma once

#include <gst/app/gstappsrc.h>
#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <array>

#include "metrics/log_histogram.h"
#include "metrics/measurement_window.h"
#include "metrics/sampled_cost.h"
#include "pools/buffer_source.h"
#include "receivers/receiver_stats.h"
#include "receivers/strategy.h"
#include "rtp/datagram_check.h"
#include "spec/run_spec.h"

namespace rxbench::receivers {

class ReadGate;

// A receiver's settings are the run's (spec::ReceiverSpec: the strategy,
// batch, buffer and pool sizes, pinning, injected cost, phase timing, the
// expected stream), read where they are held; beside them, what only exists
// at run time.
struct ReceiverConfig {
  const spec::ReceiverSpec* spec = nullptr;  // not owned; outlives the receiver
  int fd = -1;                               // bound UDP socket, owned by the caller
  GstAppSrc* appsrc = nullptr;               // not owned; unused by the null receiver
  // Many streams (spec::StreamsSpec): further sockets this thread reads
  // besides `fd` (per-stream sockets), owned by the caller.
  std::vector<int> more_fds;
  // The streams it routes to by SSRC, each to its own pipeline's appsrc (not
  // owned). Empty: one stream, every datagram to `appsrc`, the SSRC locked as
  // given or on the first packet. Otherwise an SSRC not routed is foreign.
  struct Route {
    std::uint32_t ssrc = 0;
    GstAppSrc* appsrc = nullptr;
  };
  std::vector<Route> routes;
  // recv=gro: bytes per buffer, each taking a coalesced datagram; 0 = enough
  // for any (GroBufferBytes(buffer_size), gro_call.h). Tests set it smaller
  // to truncate.
  std::size_t gro_buffer_size = 0;
  // Per-packet measurement: record send -> receive and receive -> push, and
  // stamp each buffer with what the sink needs (packet_stamps.h). false =
  // `--measure minimal` (count only).
  bool stamp_buffers = false;
  std::uint64_t stamp_epoch_ns = 0;  // before the first send; the sink's too
  // Per-packet figures are recorded only while it is open (nullptr: always).
  const metrics::MeasurementWindow* window = nullptr;
  // Lock-step (read_gate.h): read only what the generator released; nullptr:
  // read whatever the socket holds. Not owned; outlives the receiver.
  ReadGate* read_gate = nullptr;
  // On the receiver thread as it starts: its kernel thread id, so that the
  // harness can attribute its CPU time and count its syscalls and counters.
  std::function<void(pid_t tid)> on_thread_start;
};

// What the receiver thread counted and recorded; complete after Stop(). (Its
// CPU time, syscalls and counters are measured from outside, by the harness,
// over the measurement window.)
struct ReceiverResult {
  ReceiverStats stats;
  pools::BufferSourceStats buffers;
  // Datagrams refused as malformed, by rtp::Malformed kind (receiver thread
  // only: read after Stop(); the published stats carry the total).
  std::array<std::uint64_t, rtp::kMalformedKinds> malformed_by_kind{};
  metrics::LogHistogram network_latency;     // send -> receive (kernel, else the push), ns
  metrics::LogHistogram processing_latency;  // kernel receive -> push, ns (kernel timestamps only)
  metrics::SampledCost stamp_cost;           // stamping buffers, per batch (stamp_buffers only)
  // phase_timing: thread CPU time of each phase of the loop, sampled per batch.
  struct Phases {
    metrics::SampledCost receive_call, acquire, validate_stamp, push;
  };
  Phases phases;
  std::int64_t socket_drops_seen = -1;  // SO_RXQ_OVFL; -1 = not read by this call
  // Taken off the socket by the receive call but never returned to the loop
  // (io_uring completions not reaped at stop): in flight at stop.
  std::uint64_t left_in_receive_call = 0;
  bool kernel_timestamps = false;  // false: receive time read in user space
  // Per socket read (fd, then more_fds): datagrams of the sender taken off it.
  std::vector<std::uint64_t> received_per_socket;
  // Per route (ReceiverConfig::routes): datagrams accepted for its stream.
  std::vector<std::uint64_t> routed;
  // The receive call's errors by errno name (receive_errors.h).
  std::map<std::string, std::uint64_t> receive_errors;
  // Why the thread ended on its own (an error that persisted); "" when it
  // stopped because it was asked to.
  std::string error;
};

class Receiver {
 public:
  virtual ~Receiver() = default;
  // Starts the receiver thread. False with *error when it cannot run here.
  virtual bool Start(std::string* error) = 0;
  // Returns when the thread has exited (within ~100 ms), provided its push
  // returns: a push into a full appsrc with block=true waits for room, so the
  // harness lifts appsrc's limits first (pipeline/pipeline.h: UnblockSource).
  // Idempotent.
  virtual void Stop() = 0;
  // Consistent statistics, from any thread, at any time.
  virtual ReceiverStats Snapshot() const = 0;
  // Any thread: the thread ended on its own, without a Stop() (its receive
  // call failed persistently; Result().error says how, after Stop()).
  virtual bool Failed() const = 0;
  // Valid after Stop().
  virtual const ReceiverResult& Result() const = 0;
};

// The receive loop for ReceiverKind::kLoop, the null receiver for kNull.
std::unique_ptr<Receiver> MakeReceiver(const ReceiverConfig& config);

}  // namespace rxbench::receivers
