#include "harness/preflight.h"

#include <unistd.h>

#include "receivers/receive_call.h"
#include "receivers/udp_socket.h"

namespace rxbench::harness {

std::string Preflight(const receivers::StrategySpec& strategy, const PreflightConfig& config) {
  std::string error;
  if (config.port != 0) {
    // Bound and closed again: a UDP port is free again as soon as it closes.
    // Another process may still take it before the run binds it; the run then
    // fails with the same reason.
    receivers::UdpSocketOptions options;
    options.bind_host = config.bind_host;
    options.port = config.port;
    options.timestamps = options.drop_counter = false;
    const receivers::UdpSocket socket = receivers::OpenUdpSocket(options, &error);
    if (socket.fd < 0) return "--port " + std::to_string(config.port) + ": " + error;
    close(socket.fd);
  }
  if (strategy.receiver == receivers::ReceiverKind::kLoop && strategy.recv == receivers::RecvKind::kIoUring) {
    // The ring and its buffers as the run will set them up (the socket is
    // needed only once the receive is armed, at the first receive).
    receivers::ReceiveCallConfig call;
    call.batch = config.batch > 0 ? config.batch : receivers::kDefaultBatch;
    call.buffer_size = config.buffer_size;
    call.ring_buffers = config.pool_size;
    if (!receivers::MakeReceiveCall(strategy.recv, call, &error)) return "strategy '" + strategy.name + "': " + error;
  }
  return "";
}

}  // namespace rxbench::harness
