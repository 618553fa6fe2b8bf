// io_uring: multishot recvmsg into a provided buffer ring; the GstBuffers wrap
// the ring memory in place (see iouring_call.h for the contract).
#include "receivers/iouring_call.h"

#include <errno.h>
#include <liburing.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "metrics/thread_usage.h"
#include "pools/packet_slot.h"
#include "pools/ring_buffers.h"
#include "receivers/busy_poll.h"
#include "receivers/recvmmsg_call.h"

namespace rxbench::receivers {
namespace {

constexpr std::uint64_t kRecvTag = 1;    // user_data of the multishot recvmsg
constexpr std::uint64_t kCancelTag = 2;  // user_data of the destructor's cancel
constexpr int kBufferGroup = 0;
// Buffer ids are 16 bit and the kernel takes rings of at most 32768 entries.
constexpr std::size_t kMaxRingBuffers = 32768;
// Ring buffers start on cache lines, so headers and cmsgs are aligned.
constexpr std::size_t kBufferAlign = 64;
// How long the destructor waits for the cancelled multishot's last completion.
constexpr int kCancelWaitMs = 1000;

bool KernelAtLeast(int want_major, int want_minor) {
  utsname name;
  int major = 0, minor = 0;
  if (uname(&name) != 0 || std::sscanf(name.release, "%d.%d", &major, &minor) != 2) {
    return true;  // unknown: let io_uring itself answer
  }
  return major > want_major || (major == want_major && minor >= want_minor);
}

std::string Failure(const char* what, int negative_errno) {
  return std::string("io_uring unavailable: ") + what + ": " + std::strerror(-negative_errno);
}

class IoUringCall final : public ReceiveCall {
 public:
  IoUringCall(int fd, const spec::ReceiverSpec& receiver)
      : fd_(fd),
        // Each ring buffer holds the recvmsg header and control messages ahead of
        // the payload: add their room so that `buffer_size` means the same
        // largest whole datagram as for every other receive call.
        buffer_size_(receiver.buffer_size + sizeof(io_uring_recvmsg_out) + ControlBytesPerMessage()),
        stride_((buffer_size_ + kBufferAlign - 1) / kBufferAlign * kBufferAlign),
        ring_buffers_(receiver.pool_size),
        napi_busy_poll_us_(receiver.strategy.wait == WaitKind::kNapi ? receiver.busy_poll_us : 0),
        realtime_minus_monotonic_ns_(RealtimeMinusMonotonicNs()) {
    // Multishot recvmsg writes io_uring_recvmsg_out, then the (empty) name, then
    // up to msg_controllen bytes of cmsgs, then the payload into each buffer.
    msg_.msg_controllen = ControlBytesPerMessage();
  }
  ~IoUringCall() override;

  bool Init(std::string* error);
  pools::BufferSource* provided_buffers() override { return &source_; }
  int Receive(pools::PacketSlot* slots, int max, ReceiverStats* stats) override;
  std::int64_t socket_drops_seen() const override { return drops_seen_; }
  bool kernel_timestamps() const override { return true; }
  std::uint64_t StopReceiving() override;

 private:
  std::uint8_t* BufferAt(unsigned bid) const { return memory_->base + bid * stride_; }
  void AddToRing(unsigned bid);
  void PublishAdds();
  void Recycle();
  bool WaitForReturns(ReceiverStats* stats);
  void Arm(ReceiverStats* stats);
  bool ArmWhenBuffers(ReceiverStats* stats);
  int Reap(pools::PacketSlot* slots, int max, ReceiverStats* stats);
  std::uint64_t DiscardCompletions();

  const int fd_;
  const std::size_t buffer_size_;
  const std::size_t stride_;
  const std::size_t ring_buffers_;
  unsigned ring_entries_ = 1;    // ring_buffers_ rounded up to a power of two
  const int napi_busy_poll_us_;  // wait=napi: io_uring's NAPI busy poll timeout; 0: it sleeps

  io_uring ring_{};
  bool ring_ready_ = false;
  io_uring_buf_ring* buf_ring_ = nullptr;  // the ring of buffer descriptors
  std::size_t buf_ring_bytes_ = 0;
  pools::RingMemory* memory_ = nullptr;  // the buffers themselves (shared)
  msghdr msg_{};                         // multishot template: sizes only

  int pending_adds_ = 0;     // added to buf_ring_ but not yet published
  std::size_t in_ring_ = 0;  // buffers the kernel can pick from
  bool armed_ = false;       // the multishot recvmsg is live
  bool backoff_ = false;     // it failed without receiving: pause before re-arming
  int error_ = 0;            // errno of a failed completion, not yet returned by Receive()
  bool stopped_ = false;     // StopReceiving() ran
  bool kernel_done_ = true;  // the kernel writes into no buffer any more
  std::uint64_t packets_since_arm_ = 0;
  std::int64_t drops_seen_ = 0;
  const std::int64_t realtime_minus_monotonic_ns_;
  pools::RingSource source_;
};

bool IoUringCall::Init(std::string* error) {
  if (ring_buffers_ == 0 || ring_buffers_ > kMaxRingBuffers) {
    *error = "io_uring: ring_buffers must be 1.." + std::to_string(kMaxRingBuffers);
    return false;
  }
  while (ring_entries_ < ring_buffers_) ring_entries_ <<= 1;
  const std::size_t header = sizeof(io_uring_recvmsg_out) + msg_.msg_controllen;
  if (buffer_size_ <= header || buffer_size_ > UINT32_MAX) {
    *error = "io_uring: buffer_size must exceed the " + std::to_string(header) + "-byte recvmsg header";
    return false;
  }
  if (!KernelAtLeast(6, 0)) {
    *error = "io_uring unavailable: multishot recvmsg needs Linux 6.0 or later";
    return false;
  }
  if (!gst_is_initialized()) gst_init(nullptr, nullptr);

  const std::size_t bytes = stride_ * ring_buffers_;
  void* base = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (base == MAP_FAILED) {
    *error = Failure("mmap of ring buffers", -errno);
    return false;
  }
  memory_ = new pools::RingMemory(static_cast<std::uint8_t*>(base), bytes, ring_buffers_);

  // The CQ holds a completion for every buffer in the ring, and then some, so a
  // full ring's worth of datagrams never overflows it.
  io_uring_params params{};
  params.flags = IORING_SETUP_CQSIZE;
  params.cq_entries = 2 * ring_entries_ < 8 ? 8 : 2 * ring_entries_;
  int ret = io_uring_queue_init_params(4, &ring_, &params);
  if (ret < 0) {
    *error = Failure("io_uring_queue_init", ret);
    return false;
  }
  ring_ready_ = true;
  if (napi_busy_poll_us_ > 0) {
    // From here on every io_uring_enter that waits polls the NAPI instances of
    // the socket the multishot reads, for up to the timeout, before it sleeps.
    ret = RegisterIoUringNapi(ring_.ring_fd, napi_busy_poll_us_, /*prefer_busy_poll=*/false);
    if (ret < 0) {
      *error = Failure("IORING_REGISTER_NAPI (io_uring NAPI busy polling needs Linux 6.9)", ret);
      return false;
    }
  }

  buf_ring_bytes_ = ring_entries_ * sizeof(io_uring_buf);
  void* descriptors = mmap(nullptr, buf_ring_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (descriptors == MAP_FAILED) {
    *error = Failure("mmap of buffer ring", -errno);
    return false;
  }
  buf_ring_ = static_cast<io_uring_buf_ring*>(descriptors);
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<std::uintptr_t>(buf_ring_);
  reg.ring_entries = ring_entries_;
  reg.bgid = kBufferGroup;
  ret = io_uring_register_buf_ring(&ring_, &reg, 0);
  if (ret < 0) {
    *error = Failure("io_uring_register_buf_ring (provided buffer rings need Linux 5.19)", ret);
    return false;
  }
  io_uring_buf_ring_init(buf_ring_);
  for (std::size_t bid = 0; bid < ring_buffers_; ++bid) AddToRing(static_cast<unsigned>(bid));
  PublishAdds();
  return true;
}

// Completions already in the CQ carry datagrams the kernel took off the
// socket; the multishot may take more until its cancel completes, and after
// its last completion the kernel takes and writes nothing. Every completion
// that carried a datagram and was not reaped is counted: those datagrams
// never reach the loop, and DrainSocket() cannot find them either. If the last
// completion never comes (kCancelWaitMs), kernel_done_ stays false and the
// destructor leaks the memory rather than free it under the kernel.
std::uint64_t IoUringCall::StopReceiving() {
  if (!ring_ready_ || stopped_) return 0;
  stopped_ = true;
  std::uint64_t unreaped = DiscardCompletions();
  if (armed_) {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (sqe != nullptr) {
      io_uring_prep_cancel64(sqe, kRecvTag, 0);
      io_uring_sqe_set_data64(sqe, kCancelTag);
      io_uring_submit(&ring_);
    }
    // Timed by the clock, not by counting waits: the stop's wake-up signal
    // (thread_wake.h) cuts each wait short.
    const std::uint64_t deadline_ns = metrics::MonotonicNs() + kCancelWaitMs * 1000000ull;
    while (armed_ && metrics::MonotonicNs() < deadline_ns) {
      __kernel_timespec timeout{0, kIdleWaitMs * 1000000LL};
      io_uring_cqe* cqe = nullptr;
      if (io_uring_wait_cqe_timeout(&ring_, &cqe, &timeout) == 0) unreaped += DiscardCompletions();
    }
  }
  kernel_done_ = !armed_;
  return unreaped;
}

// Empties the CQ; returns how many completions carried a datagram.
std::uint64_t IoUringCall::DiscardCompletions() {
  std::uint64_t datagrams = 0;
  unsigned head, seen = 0;
  io_uring_cqe* cqe;
  io_uring_for_each_cqe(&ring_, head, cqe) {
    ++seen;
    if (io_uring_cqe_get_data64(cqe) != kRecvTag) continue;
    if (!(cqe->flags & IORING_CQE_F_MORE)) armed_ = false;
    if (cqe->res >= 0 && (cqe->flags & IORING_CQE_F_BUFFER) != 0) ++datagrams;
  }
  io_uring_cq_advance(&ring_, seen);
  return datagrams;
}

// Lifetime: GStreamer may still hold buffers that wrap ring memory, and the
// kernel may still be writing into the buffers it owns. So: stop receiving
// (above: after it the kernel writes nothing), close the ring (which
// unregisters the buffer ring), then drop the call's reference on the memory;
// outstanding GstBuffers keep it alive and the last one frees it.
IoUringCall::~IoUringCall() {
  if (ring_ready_) {
    StopReceiving();
    io_uring_queue_exit(&ring_);
  }
  if (buf_ring_ != nullptr) munmap(buf_ring_, buf_ring_bytes_);  // pinned by the kernel until it lets go
  if (memory_ != nullptr && kernel_done_) memory_->Unref();
}

void IoUringCall::AddToRing(unsigned bid) {
  io_uring_buf_ring_add(buf_ring_, BufferAt(bid), static_cast<unsigned>(buffer_size_), static_cast<unsigned short>(bid),
                        io_uring_buf_ring_mask(ring_entries_), pending_adds_++);
}

void IoUringCall::PublishAdds() {
  if (pending_adds_ == 0) return;
  io_uring_buf_ring_advance(buf_ring_, pending_adds_);
  in_ring_ += static_cast<std::size_t>(pending_adds_);
  pending_adds_ = 0;
}

// Buffers GStreamer let go of since the last call go back to the kernel. Only
// this thread adds to the ring, so the adds need no lock.
void IoUringCall::Recycle() {
  std::uint64_t returned = 0;
  for (pools::ReturnNode* node = memory_->returned.TakeAll(); node != nullptr; node = node->next, ++returned) {
    AddToRing(node->bid);
  }
  if (returned > 0) pools::RingSource::Bump(source_.recycled, returned);
  PublishAdds();
}

// Every buffer is in the pipeline, so arming would fail at once with -ENOBUFS.
// Nap in 1 ms steps until one comes back, at most kIdleWaitMs.
bool IoUringCall::WaitForReturns(ReceiverStats* stats) {
  for (int waited = 0; waited < kIdleWaitMs; ++waited) {
    timespec nap{0, 1000000};
    nanosleep(&nap, nullptr);
    ++stats->syscalls;
    if (!memory_->returned.empty()) {
      Recycle();
      return true;
    }
  }
  ++stats->idle_waits;
  return false;
}

// Queues the multishot recvmsg; the next io_uring_enter submits it.
void IoUringCall::Arm(ReceiverStats* stats) {
  if (backoff_) {
    // The last one failed without receiving anything (not for lack of buffers):
    // pause so that a persistent error cannot make the loop spin.
    timespec pause{0, kIdleWaitMs * 1000000L};
    nanosleep(&pause, nullptr);
    ++stats->syscalls;
    backoff_ = false;
  }
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);  // never null: at most one SQE is pending
  io_uring_prep_recvmsg_multishot(sqe, fd_, &msg_, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = kBufferGroup;
  io_uring_sqe_set_data64(sqe, kRecvTag);
  armed_ = true;
  packets_since_arm_ = 0;
  ++stats->rearms;
}

bool IoUringCall::ArmWhenBuffers(ReceiverStats* stats) {
  if (in_ring_ == 0 && !WaitForReturns(stats)) return false;
  Arm(stats);
  return true;
}

// Turns up to `max` ready completions into slots; later ones stay in the CQ.
int IoUringCall::Reap(pools::PacketSlot* slots, int max, ReceiverStats* stats) {
  int filled = 0;
  unsigned head, seen = 0;
  io_uring_cqe* cqe;
  io_uring_for_each_cqe(&ring_, head, cqe) {
    if (filled == max) break;
    ++seen;
    if (io_uring_cqe_get_data64(cqe) != kRecvTag) continue;
    if (!(cqe->flags & IORING_CQE_F_MORE)) armed_ = false;  // the multishot ended
    const bool has_buffer = (cqe->flags & IORING_CQE_F_BUFFER) != 0;
    const unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
    if (has_buffer) --in_ring_;
    if (cqe->res < 0) {
      if (cqe->res == -ENOBUFS) {
        ++stats->ring_exhausted;
        pools::RingSource::Bump(source_.exhausted);
      } else {
        error_ = -cqe->res;
        if (packets_since_arm_ == 0) backoff_ = true;
      }
      if (has_buffer) AddToRing(bid);
      continue;
    }
    if (!has_buffer) continue;  // a successful recvmsg always carries one
    std::uint8_t* buffer = BufferAt(bid);
    io_uring_recvmsg_out* out = io_uring_recvmsg_validate(buffer, cqe->res, &msg_);
    if (out == nullptr) {  // shorter than the header: not seen in practice
      AddToRing(bid);
      continue;
    }
    ++packets_since_arm_;
    auto* payload = static_cast<std::uint8_t*>(io_uring_recvmsg_payload(out, &msg_));
    const std::size_t offset = static_cast<std::size_t>(payload - buffer);
    const std::size_t length = io_uring_recvmsg_payload_length(out, cqe->res, &msg_);

    pools::PacketSlot& slot = slots[filled++];
    slot.truncated = (out->flags & MSG_TRUNC) != 0;
    slot.length = length;
    slot.kernel_rx_ns = 0;
    msghdr control{};
    control.msg_control = reinterpret_cast<std::uint8_t*>(out + 1) + msg_.msg_namelen;
    control.msg_controllen = out->controllen;
    ReadControlMessages(&control, realtime_minus_monotonic_ns_, &slot.kernel_rx_ns, &drops_seen_);
    // Zero-copy: the GstBuffer is the ring buffer, offset to the payload.
    slot.buffer = gst_buffer_new_wrapped_full(static_cast<GstMemoryFlags>(0), buffer, buffer_size_, offset, length,
                                              &memory_->nodes[bid], pools::ReturnToRing);
    slot.data = payload;
    slot.capacity = buffer_size_ - offset;
    slot.mapped = false;
  }
  io_uring_cq_advance(&ring_, seen);
  PublishAdds();
  // One reference per buffer handed out; none can be freed before we return.
  if (filled > 0) {
    memory_->refs.fetch_add(static_cast<std::uint64_t>(filled), std::memory_order_relaxed);
    pools::RingSource::Bump(source_.wrapped, static_cast<std::uint64_t>(filled));
  }
  return filled;
}

int IoUringCall::Receive(pools::PacketSlot* slots, int max, ReceiverStats* stats) {
  if (max <= 0) return 0;
  // A failed completion is returned on its own, once (receive_call.h); one
  // reaped with datagrams waits for the next call.
  const auto take_error = [this] {
    const int error = error_;
    error_ = 0;
    return -error;
  };
  if (error_ != 0) return take_error();
  Recycle();
  if (!armed_ && !ArmWhenBuffers(stats)) return 0;
  int filled = Reap(slots, max, stats);
  if (filled == 0 && error_ != 0) return take_error();
  if (filled == 0 && !armed_) {
    // It just ended (e.g. -ENOBUFS): re-arm now rather than wait on nothing.
    Recycle();
    if (!ArmWhenBuffers(stats)) return 0;
  }
  if (filled == 0) {
    // Nothing ready: submit the arm if one is queued and sleep until a
    // completion or the idle timeout (-ETIME), in one io_uring_enter.
    __kernel_timespec timeout{0, kIdleWaitMs * 1000000LL};
    io_uring_cqe* cqe = nullptr;
    io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &timeout, nullptr);
    ++stats->syscalls;
    filled = Reap(slots, max, stats);
    if (filled == 0 && error_ != 0) return take_error();
    if (filled == 0) {
      ++stats->idle_waits;
      return 0;
    }
  } else if (io_uring_sq_ready(&ring_) > 0) {
    io_uring_submit(&ring_);
    ++stats->syscalls;
  }
  ++stats->batches;
  return filled;
}

}  // namespace

std::unique_ptr<ReceiveCall> MakeIoUringCall(int fd, int /*batch*/, const spec::ReceiverSpec& receiver,
                                             std::string* error) {
  // The batch is the caller's `max` at each Receive(): completions reaped per call.
  auto call = std::make_unique<IoUringCall>(fd, receiver);
  if (!call->Init(error)) return nullptr;
  return call;
}

}  // namespace rxbench::receivers
