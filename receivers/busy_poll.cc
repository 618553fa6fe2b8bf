#include "receivers/busy_poll.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string.h>  // strerrordesc_np: thread-safe, unlike strerror

#include "platform/napi_id.h"

namespace rxbench::receivers {
namespace {

// Kernel 6.9's epoll busy-poll parameters (uapi/linux/eventpoll.h), which
// Debian 12's headers (Linux 6.1) lack: defined here, as the kernel does.
struct EpollParams {
  std::uint32_t busy_poll_usecs;
  std::uint16_t busy_poll_budget;
  std::uint8_t prefer_busy_poll;
  std::uint8_t pad;
};
constexpr unsigned long kEpiocSparams = _IOW(0x8A, 0x01, EpollParams);

// io_uring NAPI busy polling (kernel 6.9, uapi/linux/io_uring.h), which neither
// Debian 12's <linux/io_uring.h> nor liburing 2.3 has: the register opcodes
// and argument as the kernel defines them. Later kernels split pad[0] into an
// opcode and resv into op_param + resv; zero means the 6.9 behaviour (track
// the NAPI instances of the ring's sockets as they come).
constexpr unsigned kIoringRegisterNapi = 27;
constexpr unsigned kIoringUnregisterNapi = 28;
struct IoUringNapi {
  std::uint32_t busy_poll_to;  // microseconds
  std::uint8_t prefer_busy_poll;
  std::uint8_t pad[3];
  std::uint64_t resv;
};
static_assert(sizeof(IoUringNapi) == 16, "the kernel's struct io_uring_napi is 16 bytes");

std::string SetOption(int fd, int option, const char* name, int value) {
  if (setsockopt(fd, SOL_SOCKET, option, &value, sizeof value) == 0) return "";
  const int error = errno;
  if (error == EPERM) {
    return std::string(name) + " needs CAP_NET_ADMIN, which this process lacks (run as root, or grant it)";
  }
  return std::string(name) + ": " + strerrordesc_np(error);
}

}  // namespace

std::string ApplyWaitToSocket(int fd, WaitKind wait, int busy_poll_us) {
  if (wait == WaitKind::kSleep || wait == WaitKind::kNapi) return "";  // napi is the ring's (RegisterIoUringNapi)
  std::string error = SetOption(fd, SO_BUSY_POLL, "SO_BUSY_POLL", busy_poll_us);
  if (error.empty() && wait == WaitKind::kPreferBusyPoll) {
    error = SetOption(fd, SO_PREFER_BUSY_POLL, "SO_PREFER_BUSY_POLL", 1);
    if (error.empty()) error = SetOption(fd, SO_BUSY_POLL_BUDGET, "SO_BUSY_POLL_BUDGET", kPreferBusyPollBudget);
  }
  return error.empty() ? "" : std::string("wait=") + ToString(wait) + ": " + error;
}

std::string BusyPollNoEffect(WaitKind wait, std::optional<std::uint32_t> napi_id) {
  if (wait == WaitKind::kSleep || !napi_id || *napi_id != 0) return "";
  return "no NAPI instance: loopback (SO_INCOMING_NAPI_ID 0; nor has a veth without GRO), so the busy wait "
         "polled nothing";
}

BusyPollEpoll::BusyPollEpoll(int fd, WaitKind wait, int busy_poll_us, std::string* error) {
  const int epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) {
    *error = std::string("epoll_create1: ") + strerrordesc_np(errno);
    return;
  }
  EpollParams params{};
  params.busy_poll_usecs = static_cast<std::uint32_t>(busy_poll_us);
  const bool prefer = wait == WaitKind::kPreferBusyPoll;
  params.busy_poll_budget = prefer ? kPreferBusyPollBudget : 0;  // 0: the kernel's default (8)
  params.prefer_busy_poll = prefer ? 1 : 0;
  epoll_event event{};
  event.events = EPOLLIN;
  if (ioctl(epfd, kEpiocSparams, &params) != 0) {
    *error = std::string("epoll busy poll (EPIOCSPARAMS, kernel 6.9): ") + strerrordesc_np(errno);
  } else if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) != 0) {
    *error = std::string("epoll_ctl: ") + strerrordesc_np(errno);
  } else {
    epfd_ = epfd;
    fd_ = fd;
    return;
  }
  close(epfd);
}

BusyPollEpoll::~BusyPollEpoll() {
  if (epfd_ >= 0) close(epfd_);
}

void BusyPollEpoll::Wait(int timeout_ms) {
  // epoll learns the socket's NAPI instance when the socket is added: added
  // before its first datagram, it has none to poll. Added again once the
  // socket has one.
  if (!napi_known_) {
    if (std::optional<std::uint32_t> id = platform::IncomingNapiId(fd_); id && *id != 0) {
      epoll_event event{};
      event.events = EPOLLIN;
      epoll_ctl(epfd_, EPOLL_CTL_DEL, fd_, nullptr);
      epoll_ctl(epfd_, EPOLL_CTL_ADD, fd_, &event);
      napi_known_ = true;
    }
  }
  epoll_event event{};
  epoll_wait(epfd_, &event, 1, timeout_ms);
}

int RegisterIoUringNapi(int ring_fd, int busy_poll_us, bool prefer_busy_poll) {
  IoUringNapi napi{};
  napi.busy_poll_to = static_cast<std::uint32_t>(busy_poll_us);
  napi.prefer_busy_poll = prefer_busy_poll ? 1 : 0;
  const long rc = syscall(__NR_io_uring_register, ring_fd, kIoringRegisterNapi, &napi, 1);
  return rc < 0 ? -errno : static_cast<int>(rc);
}

int UnregisterIoUringNapi(int ring_fd) {
  IoUringNapi napi{};
  const long rc = syscall(__NR_io_uring_register, ring_fd, kIoringUnregisterNapi, &napi, 1);
  return rc < 0 ? -errno : static_cast<int>(rc);
}

}  // namespace rxbench::receivers
