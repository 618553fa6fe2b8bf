// Busy polling, the `wait` axis of a strategy (strategy.h): how the receiver
// waits for datagrams when the socket is empty.
//
//   sleep             block in the kernel until a datagram comes (today's receivers)
//   busy-poll         SO_BUSY_POLL=us on the socket: a blocking read (recvfrom)
//                     polls the device's NAPI queue for up to `us` before it
//                     sleeps; the loops that wait in ppoll (recvmmsg, gro) wait
//                     in epoll instead, with epoll's own busy poll (EPIOCSPARAMS)
//   prefer-busy-poll  busy-poll with SO_PREFER_BUSY_POLL and SO_BUSY_POLL_BUDGET:
//                     the device's interrupts stay off while the receiver polls
//                     (needs CAP_NET_ADMIN, and the NAPI defer settings of the
//                     device, below)
//   napi              io_uring's NAPI busy polling (IORING_REGISTER_NAPI):
//                     io_uring_enter polls while it waits for completions
//                     (recv=iouring only)
//
// Why an axis: busy polling trades CPU for latency, and only where packets come
// through a NAPI instance (a NIC, a veth with GRO on). Loopback has none
// (SO_INCOMING_NAPI_ID 0): every wait there is a plain sleep, and the results
// say so (napi_id, busy_poll_no_effect) rather than the run being refused,
// since only the socket knows what path its datagrams took.
//
// Not set here: the device's /sys/class/net/<dev>/napi_defer_hard_irqs and
// gro_flush_timeout, which prefer-busy-poll needs to keep interrupts deferred.
// They belong to a device, not to a socket: whoever creates the device sets
// them (tests/busy_poll_veth_test.sh does on its own veth pair); rxbench never
// writes them on a device it did not create.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "receivers/strategy.h"

namespace rxbench::receivers {

// SO_BUSY_POLL_BUDGET of prefer-busy-poll: NAPI_POLL_WEIGHT, what a driver's
// own poll takes in one pass (the kernel's busy-poll default is 8).
inline constexpr int kPreferBusyPollBudget = 64;

// Sets the socket options of `wait` on `fd`; "" when done (sleep sets
// nothing), else one line naming what failed and why: EPERM names the
// missing capability (CAP_NET_ADMIN).
std::string ApplyWaitToSocket(int fd, WaitKind wait, int busy_poll_us);

// Why busy polling has no effect for a run that waited with `wait` and saw
// `napi_id`; "" when it may have had one, or the wait sleeps, or it is unknown.
std::string BusyPollNoEffect(WaitKind wait, std::optional<std::uint32_t> napi_id);

// An epoll instance that busy polls (EPIOCSPARAMS, kernel 6.9) while it waits
// for one socket: the idle wait of recvmmsg-based calls under busy-poll and
// prefer-busy-poll. Waits at most `timeout_ms`.
class BusyPollEpoll {
 public:
  // Invalid (valid() false, *error set) when epoll or its parameters cannot be set.
  BusyPollEpoll(int fd, WaitKind wait, int busy_poll_us, std::string* error);
  ~BusyPollEpoll();
  BusyPollEpoll(const BusyPollEpoll&) = delete;
  BusyPollEpoll& operator=(const BusyPollEpoll&) = delete;
  bool valid() const { return epfd_ >= 0; }
  void Wait(int timeout_ms);

 private:
  int epfd_ = -1;
  int fd_ = -1;
  bool napi_known_ = false;  // added again since the socket had a NAPI instance
};

// io_uring NAPI busy polling on `ring_fd` (IORING_REGISTER_NAPI): io_uring_enter
// then busy polls the NAPI instances of the sockets the ring serves for up to
// `busy_poll_us` while it waits. Returns the syscall's result (0, or -errno).
int RegisterIoUringNapi(int ring_fd, int busy_poll_us, bool prefer_busy_poll);
// IORING_UNREGISTER_NAPI; 0 or -errno.
int UnregisterIoUringNapi(int ring_fd);

}  // namespace rxbench::receivers
