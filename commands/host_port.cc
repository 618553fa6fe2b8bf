#include "commands/host_port.h"

#include <cstdlib>

#include "commands/command_line.h"

namespace rxbench::harness {

HostPort ParseHostPort(const std::string& text, const std::string& flag, bool allow_any_port) {
  const std::string usage = flag + " " + text + ": want ADDR:PORT, e.g. 10.0.0.2:5004 or [::1]:5004";
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) throw UsageError{usage};
  std::string host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') throw UsageError{usage};
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    throw UsageError{usage + " (IPv6 addresses in brackets)"};
  }
  const std::string port_text = text.substr(colon + 1);
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < (allow_any_port ? 0 : 1) || port > 65535) {
    throw UsageError{usage + (allow_any_port ? " (port 0..65535)" : " (port 1..65535)")};
  }
  return {host, static_cast<std::uint16_t>(port)};
}

}  // namespace rxbench::harness
