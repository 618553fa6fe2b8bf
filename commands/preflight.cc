#include "commands/preflight.h"

#include <unistd.h>

#include "receivers/busy_poll.h"
#include "receivers/receive_call.h"
#include "receivers/udp_socket.h"

namespace rxbench::harness {

std::string Preflight(const spec::ReceiveSideSpec& spec) {
  const receivers::StrategySpec& strategy = spec.receiver.strategy;
  std::string error;
  if (spec.socket.port != 0) {
    // Bound and closed again: a UDP port is free again as soon as it closes.
    // Another process may still take it before the run binds it; the run then
    // fails with the same reason.
    receivers::UdpSocketOptions options;
    options.bind_host = spec.socket.bind_host;
    options.port = spec.socket.port;
    options.timestamps = options.drop_counter = false;
    const receivers::UdpSocket socket = receivers::OpenUdpSocket(options, &error);
    if (socket.fd < 0) return "--port " + std::to_string(spec.socket.port) + ": " + error;
    close(socket.fd);
  }
  if (strategy.wait != receivers::WaitKind::kSleep) {
    // The capability a busy wait needs, tried on a scratch socket with the
    // run's own setsockopt calls: refused now, in one line, not mid-run.
    receivers::UdpSocketOptions options;
    options.timestamps = options.drop_counter = false;
    const receivers::UdpSocket socket = receivers::OpenUdpSocket(options, &error);
    if (socket.fd < 0) return "strategy '" + strategy.name + "': " + error;
    error = receivers::ApplyWaitToSocket(socket.fd, strategy.wait, spec.receiver.busy_poll_us);
    close(socket.fd);
    if (!error.empty()) return "strategy '" + strategy.name + "': " + error;
  }
  if (strategy.receiver == receivers::ReceiverKind::kLoop && strategy.recv == receivers::RecvKind::kIoUring) {
    // The ring and its buffers as the run will set them up (the socket is
    // needed only once the receive is armed, at the first receive).
    if (!receivers::MakeReceiveCall(strategy.recv, -1, spec.receiver.batch, spec.receiver, &error))
      return "strategy '" + strategy.name + "': " + error;
  }
  return "";
}

}  // namespace rxbench::harness
