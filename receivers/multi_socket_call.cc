#include "receivers/multi_socket_call.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pools/packet_slot.h"

namespace rxbench::receivers {
namespace {

class MultiSocketCall final : public ReceiveCall {
 public:
  MultiSocketCall(int epoll_fd, std::vector<std::unique_ptr<ReceiveCall>> calls)
      : epoll_fd_(epoll_fd), calls_(std::move(calls)), received_(calls_.size(), 0) {
    ready_.reserve(calls_.size());
  }
  ~MultiSocketCall() override { close(epoll_fd_); }

  int Receive(pools::PacketSlot* slots, int max, ReceiverStats* stats) override {
    if (next_ == ready_.size()) {
      if (const int waited = Wait(stats); waited <= 0) return waited;
    }
    // The ready sockets in turn, until the slots are full: a batch (or a
    // lock-step round) spread over several sockets is read in one call.
    int got = 0;
    while (got < max && next_ < ready_.size()) {
      const std::uint32_t socket = ready_[next_++];
      const int n = calls_[socket]->Receive(slots + got, max - got, stats);
      if (n < 0) {
        if (got == 0) return n;
        --next_;  // its error comes back on the next call, counted then
        break;
      }
      for (int i = got; i < got + n; ++i) received_[socket] += slots[i].segments;
      got += n;
    }
    return got;
  }

  std::int64_t socket_drops_seen() const override {
    std::int64_t sum = 0;
    for (const auto& call : calls_) {
      if (call->socket_drops_seen() < 0) return -1;
      sum += call->socket_drops_seen();
    }
    return sum;
  }
  bool kernel_timestamps() const override { return calls_.front()->kernel_timestamps(); }
  std::uint64_t StopReceiving() override {
    std::uint64_t left = 0;
    for (auto& call : calls_) left += call->StopReceiving();
    return left;
  }
  std::vector<std::uint64_t> received_per_socket() const override { return received_; }

 private:
  // Waits for readable sockets into ready_: 1 when some are, 0 after an idle
  // (or interrupted) wait, -errno when epoll_wait failed.
  int Wait(ReceiverStats* stats) {
    ready_.clear();
    next_ = 0;
    epoll_event events[kEventsPerWait];
    ++stats->syscalls;
    const int n = epoll_wait(epoll_fd_, events, kEventsPerWait, kIdleWaitMs);
    if (n < 0 && errno != EINTR) return -errno;
    if (n <= 0) {
      ++stats->idle_waits;
      return 0;
    }
    for (int i = 0; i < n; ++i) ready_.push_back(events[i].data.u32);
    return 1;
  }

  static constexpr int kEventsPerWait = 64;
  const int epoll_fd_;
  std::vector<std::unique_ptr<ReceiveCall>> calls_;
  std::vector<std::uint64_t> received_;  // per socket, datagrams of the sender
  std::vector<std::uint32_t> ready_;     // sockets the last wait reported, read from next_ on
  std::size_t next_ = 0;
};

}  // namespace

std::unique_ptr<ReceiveCall> MakeSocketsCall(RecvKind kind, const std::vector<int>& fds, int batch,
                                             const spec::ReceiverSpec& receiver, std::string* error) {
  if (fds.size() == 1) return MakeReceiveCall(kind, fds.front(), batch, receiver, error);
  if (kind == RecvKind::kIoUring) {
    *error =
        "recv=iouring reads one socket per ring: with per-stream sockets give as many --receivers as --streams, "
        "or use --stream-sockets reuseport";
    return nullptr;
  }
  std::vector<std::unique_ptr<ReceiveCall>> calls;
  for (int fd : fds) {
    calls.push_back(MakeReceiveCall(kind, fd, batch, receiver, error));
    if (!calls.back()) return nullptr;
  }
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) {
    *error = std::string("epoll_create1: ") + std::strerror(errno);
    return nullptr;
  }
  for (std::uint32_t i = 0; i < fds.size(); ++i) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u32 = i;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[i], &event) != 0) {
      *error = std::string("epoll_ctl: ") + std::strerror(errno);
      close(epoll_fd);
      return nullptr;
    }
  }
  return std::make_unique<MultiSocketCall>(epoll_fd, std::move(calls));
}

}  // namespace rxbench::receivers
