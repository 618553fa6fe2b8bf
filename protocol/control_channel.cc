#include "protocol/control_channel.h"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "receivers/udp_socket.h"

namespace rxbench::harness {

bool ControlSender::Open(const std::string& host, std::uint16_t port, std::string* error) {
  return socket_.Open(host, port, error);
}

bool ControlSender::Announce(const RunMessage& message, std::uint32_t ssrc, std::string* error) {
  const std::vector<std::vector<std::uint8_t>> parts = EncodeRunMessageParts(message, ssrc, error);
  if (parts.empty()) return false;
  std::vector<std::uint64_t> sent(parts.size(), 0);
  int last_errno = 0;
  for (int k = 0; k < kRunMessageRepeats; ++k) {
    if (k > 0) std::this_thread::sleep_for(std::chrono::milliseconds(kRunMessageRepeatGapMs));
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const traffic_gen::SendOutcome outcome = socket_.SendBytes(parts[i].data(), parts[i].size());
      sent[i] += outcome.sent;
      if (outcome.failed != 0) last_errno = outcome.last_errno;
    }
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (sent[i] > 0) continue;
    *error = std::string("the ") + ToString(message.kind) + " message" +
             (parts.size() > 1 ? " (part " + std::to_string(i) + " of " + std::to_string(parts.size()) + ")" : "") +
             " could not be sent: " + std::strerror(last_errno);
    return false;
  }
  return true;
}

ControlListener::~ControlListener() {
  if (fd_ >= 0) close(fd_);
}

bool ControlListener::Open(const std::string& bind_host, std::uint16_t port, std::string* error) {
  receivers::UdpSocketOptions options;
  options.bind_host = bind_host;
  options.port = port;
  options.timestamps = false;
  options.drop_counter = false;
  const receivers::UdpSocket socket = receivers::OpenUdpSocket(options, error);
  if (socket.fd < 0) {
    *error = "control port " + std::to_string(port) + ": " + *error;
    return false;
  }
  fd_ = socket.fd;
  return true;
}

void ControlListener::Poll() {
  if (fd_ < 0) return;
  std::array<std::uint8_t, 2048> buffer;
  for (;;) {
    const ssize_t n = recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // EAGAIN: nothing more waiting
    }
    RunMessage message;
    std::string why;
    switch (ParseRunMessage(buffer.data(), static_cast<std::size_t>(n), &message, &why)) {
      case RunMessageParse::kMessage: Take(message); break;
      case RunMessageParse::kNotOurs: ++not_ours_; break;
      case RunMessageParse::kMalformed:
        ++malformed_;
        last_problem_ = why;
        break;
    }
  }
}

void ControlListener::Take(const RunMessage& m) {
  if (run_id_.empty()) run_id_ = m.run_id;
  if (m.run_id != run_id_) {
    ++foreign_run_;
    return;
  }
  std::string why;
  switch (m.kind) {
    case RunMessageKind::kPlan:
      if (!plan_) plan_ = m.plan;
      break;
    case RunMessageKind::kWarmupDone:
      if (!warmup_done_.Add(m, &why)) {
        ++malformed_;
        last_problem_ = "warmup-done: " + why;
      }
      break;
    case RunMessageKind::kEnd:
      if (!end_.Add(m, &why)) {
        ++malformed_;
        last_problem_ = "end: " + why;
      }
      break;
  }
}

}  // namespace rxbench::harness
