// The receiving half of a run: the bound socket, the production pipeline with
// its sink probe, and the strategy's receiver (or GStreamer's udpsrc), plus
// everything that measures them over one window: a census of every thread at
// the window's two bounds, the receiver thread's syscalls and counters.
//
// Many streams (spec::StreamsSpec): N pipelines, one per stream (SSRC), each
// with its sink probe; M receiver threads; M sockets in one SO_REUSEPORT group
// or N sockets, one per stream, dealt to the threads in turn (stream k to
// thread k mod M). Every receiver routes by SSRC, so a datagram reaches its
// own stream's pipeline whichever socket it came to. udpsrc runs one pipeline
// per per-stream socket (its thread is that stream's receiver); in reuseport
// mode it is refused, as it cannot route by SSRC. The null receiver reads
// every socket, either way. The stamps' epoch is one for all. The report's
// figures are whole-run totals (stream_totals.h), with each socket's and
// each stream's beside them.
//
// It shares nothing with the sender but the network, so the same object runs
// the receive side of `run`/`compare` (sender in this process) and of `recv`
// (sender on another host).
//
//   Start()        socket, pipeline PLAYING, receiver running
//   OpenWindow()   when the warm-up has gone through: start measuring
//   CloseWindow()  when the stream has drained: stop measuring
//   Finish()       stop the receiver, drain the pipeline to end-of-stream,
//                  read every count; the report is plain data
//   Stop()         or instead: stop now, within 100 ms whatever the pipeline
//                  does; what it held is reported in flight (no drain)
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "metrics/measurement_window.h"
#include "metrics/perf_counters.h"
#include "metrics/syscall_counter.h"
#include "pipeline/frame_probe.h"
#include "pipeline/frame_reference.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_counts.h"
#include "pipeline/sink_probe.h"
#include "pipeline/thread_roles.h"
#include "platform/thread_census.h"
#include "receivers/read_gate.h"
#include "receivers/receiver.h"
#include "receivers/strategy.h"
#include "receivers/udp_socket.h"
#include "spec/run_spec.h"

namespace rxbench::harness {

// What a test may attach to a receive side besides its settings.
struct ReceiveSideHooks {
  // Every packet a sink sees; with many streams, from every pipeline's
  // streaming thread at once.
  std::function<void(const DeliveredPacket&)> observer;
  receivers::DrainLimits socket_drain;  // what is left in the socket at the end
  // Lock-step: the receiver reads only what the generator released (not
  // owned; outlives the receive side). nullptr: it reads what comes.
  receivers::ReadGate* read_gate = nullptr;
  // A loss-free decode of the stream the sender sends (not owned; outlives
  // the receive side): decoded frames are judged damaged against it.
  // nullptr: none (a third party's stream), damage is unknown.
  const FrameReference* frame_reference = nullptr;
};

// Everything the receive side counted and measured, as plain data.
struct ReceiveReport {
  bool is_null = false, is_udpsrc = false;
  // A socket per stream (per-stream sockets, or udpsrc's one per stream): a
  // socket's drops are its stream's. Otherwise a socket may carry several.
  bool socket_per_stream = false;
  bool gro = false;                    // the socket has UDP_GRO on: it may drop a coalesced datagram whole
  receivers::ReceiverResult receiver;  // empty for udpsrc
  SinkResult sink;                     // empty for null
  std::optional<FrameResult> frames;   // where the pipeline depayloads
  PipelineCounts pipeline;
  bool pipeline_flushed = false;  // it stalled while draining and was flushed
  // Stop() rather than Finish(): not drained; what each element held (what
  // entered it and did not leave) is in its flow's `level`, so in flight.
  bool stopped_without_drain = false;
  double stop_s = 0;  // how long Stop() took
  std::uint64_t kernel_drops = 0;
  std::uint64_t left_in_socket = 0;  // drained after the receiver stopped
  // The drain stopped at its limits, datagrams still coming (a sender that
  // did not stop): those after it are in no count.
  bool socket_drain_hit_bound = false;
  std::optional<std::uint64_t> host_rcvbuf_errors;  // delta over the run, whole host
  // The socket's SO_INCOMING_NAPI_ID once datagrams came (0: no NAPI
  // instance, as on loopback); unset when none came.
  std::optional<std::uint32_t> napi_id;
  std::optional<int> busy_poll_us;  // the strategy's busy-poll timeout; unset when it sleeps
  std::string busy_poll_no_effect;  // why its busy polling did nothing here ("": it may have)

  // Each socket, in the order bound, and each stream, in SSRC order; one of
  // each for one stream. The totals above are their sums.
  struct SocketAccount {
    std::uint16_t port = 0;
    std::optional<std::uint64_t> received;  // taken off it (udpsrc: what left its udpsrc); nullopt: unknown
    std::uint64_t kernel_drops = 0;
    std::uint64_t left_in_socket = 0;
    std::uint64_t left_in_receive_call = 0;  // io_uring, one socket per thread
  };
  std::vector<SocketAccount> sockets;
  struct StreamAccount {
    std::uint32_t ssrc = 0;
    std::uint16_t port = 0;  // where it is sent
    // The socket its datagrams came to (an index into sockets): per-stream,
    // its own; reuseport, the one the kernel hashed it to, known once one of
    // its datagrams was received (the hash is fixed for the run), else nullopt.
    std::optional<std::size_t> socket;
    SinkResult sink;  // empty for null
    PipelineCounts pipeline;
    std::uint64_t window_delivered = 0;  // at its sink inside the window
  };
  std::vector<StreamAccount> streams;
  int receiver_threads = 0;  // receivers, or udpsrc's threads

  // The measurement window.
  platform::ThreadCensus census_start, census_end;
  std::map<pid_t, platform::ThreadSample> census_exited;  // final samples of threads that ended inside
  std::map<pid_t, ThreadIdentity> identities;             // every thread of either census
  // Many streams: each pipeline thread's stream (an index into streams): a
  // streaming thread says so as it starts; an element's private thread (the
  // jitterbuffer's timer) is the stream's whose pipeline was starting when it
  // was born. Receiver threads serve several streams and are in none.
  std::map<pid_t, std::size_t> thread_streams;
  std::uint64_t window_delivered = 0;      // delivered (null: received) inside the window
  std::uint64_t window_received = 0;       // taken off the socket inside the window
  std::uint64_t window_receive_calls = 0;  // the strategy's own syscall count inside it
  std::map<std::string, double> counters;  // receiver thread, inside the window
  std::vector<std::string> counters_available;
  std::map<std::string, std::string> counters_unavailable;
  std::vector<std::string> counters_user_only;
  std::optional<metrics::SyscallCounter::Counts> syscalls;  // receiver thread, inside the window
  std::string syscalls_unavailable;

  std::string error;  // "" when every count is final
};

class ReceiveSide {
 public:
  // Keeps its own copy of `spec`, whole: the receiver reads its part of it
  // there, for as long as the receive side (which owns the receiver) lives.
  explicit ReceiveSide(const spec::ReceiveSideSpec& spec, ReceiveSideHooks hooks = {});
  ~ReceiveSide();
  ReceiveSide(const ReceiveSide&) = delete;
  ReceiveSide& operator=(const ReceiveSide&) = delete;

  // False with a one-line *error when the receive side cannot run.
  bool Start(std::string* error);
  // The port streams are sent to: the reuseport group's, or the first stream's.
  std::uint16_t port() const { return sockets_.empty() ? 0 : sockets_.front().port; }
  // Where stream k is sent (per-stream sockets: a port each).
  std::vector<std::uint16_t> stream_ports() const;
  ThreadRoles& roles() { return *roles_; }

  // Any thread: packets delivered so far, and whether `target` packets are
  // explained so far (delivered, rejected by the receiver or dropped by the
  // kernel); with how many. Delivered() reads atomics only (the sink's count;
  // the null receiver's, whose sync is always atomic), so it may be polled
  // while the stream is measured; Explained() may take the receiver's lock
  // and parse /proc/net/udp.
  std::uint64_t Delivered() const;
  std::uint64_t Explained(std::uint64_t target) const;
  // Packets the receiver has taken off the socket so far (not for udpsrc).
  std::uint64_t Received() const;
  // Waits until `target` packets are explained, or nothing has moved for
  // 200 ms, or `timeout_s` passed.
  void WaitUntilExplained(std::uint64_t target, double timeout_s) const;

  void OpenWindow();
  // `exited`: final samples of threads that ended inside the window (the
  // generator, when it runs in this process).
  void CloseWindow(std::map<pid_t, platform::ThreadSample> exited = {});
  ReceiveReport Finish(double drain_timeout_s);
  // Stops now, without draining: for a stop a person asks for (recv until
  // SIGINT) or a harness that gives up. Returns within kStopBudgetS even when
  // the pipeline's sink consumes nothing and the receiver's push waits on a
  // full appsrc. Downstream of the source, without a drain, a buffer an
  // element holds cannot be told from one it dropped: both count as in flight
  // at stop. Counts are exact (nothing moves once they are read).
  ReceiveReport Stop();
  static constexpr double kStopBudgetS = 0.1;

 private:
  // After the receiver (or udpsrc) stopped reading: the socket's own account,
  // the receiver's and the sink's results.
  void ReadFinalCounts();
  bool WaitForReceiverThread();
  void OnStreamingThread(std::size_t stream, pid_t tid, GstElement* owner);
  // Threads alive now and not in *alive (sorted) are `stream`'s
  // (thread_streams); *alive becomes the threads alive now.
  void NoteThreadsBornSince(std::vector<pid_t>* alive, std::size_t stream);
  bool StartReceivers(std::uint64_t stamp_epoch_ns, std::string* error);
  std::vector<int> SocketFds() const;
  receivers::ReceiverStats ReceiverSnapshot() const;
  // Stops every receiver, after letting any push waiting on a full appsrc return.
  void StopReceivers();

  struct Stream {
    std::uint32_t ssrc = 0;
    std::unique_ptr<SinkProbe> sink;
    std::unique_ptr<FrameProbe> frames;  // where the pipeline depayloads
    // Declared after the sink and frame probes, so that on every path the pipeline is
    // stopped (by its destructor) before the probe is destroyed: no streaming
    // thread can still be inside the probe.
    std::unique_ptr<Pipeline> pipeline;
  };

  const spec::ReceiveSideSpec spec_;
  const ReceiveSideHooks hooks_;
  metrics::MeasurementWindow window_;
  std::vector<receivers::UdpSocket> sockets_;
  std::unique_ptr<ThreadRoles> roles_;
  std::vector<Stream> streams_;  // sized once, before any thread can read it
  std::vector<std::unique_ptr<receivers::Receiver>> receivers_;
  std::vector<std::vector<std::size_t>> receiver_sockets_;  // per receiver, indices into sockets_
  std::atomic<pid_t> receiver_tid_{0};
  metrics::PerfCounters counters_;
  metrics::SyscallCounter syscalls_;
  std::optional<std::uint64_t> rcvbuf_errors_before_;
  ReceiveReport report_;                                         // filled as the run goes
  std::vector<std::optional<PipelineCounts>> stream_pipelines_;  // each stream's, once final
  std::uint64_t delivered_at_open_ = 0, received_at_open_ = 0, calls_at_open_ = 0;
  std::vector<std::uint64_t> stream_delivered_at_open_, stream_window_delivered_;
  std::mutex thread_streams_mutex_;  // streaming threads announce from their own thread
  std::map<pid_t, std::size_t> thread_streams_;
};

}  // namespace rxbench::harness
