#include "traffic_gen/tx_timestamps.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

#include <cstring>

namespace rxbench::traffic_gen {
namespace {

std::int64_t NowNs(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

std::string TxTimestamps::Enable(int fd) {
  const unsigned flags =
      SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY;
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags) != 0) {
    return std::string("SO_TIMESTAMPING: ") + std::strerror(errno);
  }
  fd_ = fd;
  // SO_TIMESTAMPING reports CLOCK_REALTIME; stamps are monotonic.
  realtime_minus_monotonic_ns_ = NowNs(CLOCK_REALTIME) - NowNs(CLOCK_MONOTONIC);
  return "";
}

void TxTimestamps::Collect() {
  if (fd_ < 0) return;
  alignas(cmsghdr) char control[256];
  for (;;) {
    msghdr message{};
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    if (recvmsg(fd_, &message, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return;  // EAGAIN: all read
    std::int64_t tx_ns = -1;
    std::int64_t id = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
        scm_timestamping stamps;
        std::memcpy(&stamps, CMSG_DATA(c), sizeof stamps);
        tx_ns = std::int64_t{stamps.ts[0].tv_sec} * 1'000'000'000 + stamps.ts[0].tv_nsec - realtime_minus_monotonic_ns_;
      } else if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                 (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
        sock_extended_err error;
        std::memcpy(&error, CMSG_DATA(c), sizeof error);
        if (error.ee_origin == SO_EE_ORIGIN_TIMESTAMPING) id = error.ee_data;
      }
    }
    if (tx_ns < 0 || id < 0 || static_cast<std::size_t>(id) >= stamps_.size() || stamps_[id] == 0) {
      ++unmatched_;
      continue;
    }
    const auto stamp = static_cast<std::int64_t>(stamps_[id]);
    error_ns_.Record(tx_ns > stamp ? static_cast<std::uint64_t>(tx_ns - stamp) : 0);
  }
}

}  // namespace rxbench::traffic_gen
