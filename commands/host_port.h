// "ADDR:PORT" as the two-host subcommands take it: 192.0.2.1:5004,
// host.example:5004, or [2001:db8::1]:5004 (IPv6 in brackets).
#pragma once

#include <cstdint>
#include <string>

namespace rxbench::harness {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

// Throws UsageError naming `flag` when `text` is not ADDR:PORT (port 0..65535,
// 0 only when allow_any_port).
HostPort ParseHostPort(const std::string& text, const std::string& flag, bool allow_any_port);

}  // namespace rxbench::harness
