#include "platform/udp_counters.h"

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace rxbench::platform {
namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Fields(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> fields;
  for (std::string field; in >> field;) fields.push_back(field);
  return fields;
}

std::optional<std::uint64_t> ToNumber(const std::string& text) {
  try {
    std::size_t used = 0;
    const unsigned long long value = std::stoull(text, &used);
    if (used != text.size()) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<std::uint64_t> UdpCounters::ParseSocketDrops(std::string_view proc_net_udp, std::uint64_t inode) {
  std::istringstream in{std::string(proc_net_udp)};
  std::string line;
  std::getline(in, line);  // header
  const std::string wanted = std::to_string(inode);
  while (std::getline(in, line)) {
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
    const std::vector<std::string> f = Fields(line);
    if (f.size() >= 13 && f[9] == wanted) return ToNumber(f[12]);
  }
  return std::nullopt;
}

std::optional<std::uint64_t> UdpCounters::ParseRcvbufErrors(std::string_view proc_net_snmp) {
  // Pairs of lines: "Udp: Name Name ..." then "Udp: value value ...".
  std::istringstream in{std::string(proc_net_snmp)};
  std::string names, values;
  while (std::getline(in, names) && std::getline(in, values)) {
    if (names.rfind("Udp:", 0) != 0) continue;
    const std::vector<std::string> n = Fields(names), v = Fields(values);
    for (std::size_t i = 1; i < n.size() && i < v.size(); ++i) {
      if (n[i] == "RcvbufErrors") return ToNumber(v[i]);
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> UdpCounters::ParseUdp6RcvbufErrors(std::string_view proc_net_snmp6) {
  // One counter a line: "Udp6RcvbufErrors<spaces and a tab>28".
  std::istringstream in{std::string(proc_net_snmp6)};
  for (std::string line; std::getline(in, line);) {
    const std::vector<std::string> f = Fields(line);
    if (f.size() == 2 && f[0] == "Udp6RcvbufErrors") return ToNumber(f[1]);
  }
  return std::nullopt;
}

std::optional<std::uint64_t> UdpCounters::SocketDrops(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return std::nullopt;
  for (const char* path : {"/proc/thread-self/net/udp", "/proc/thread-self/net/udp6"}) {
    if (auto drops = ParseSocketDrops(ReadFile(path), st.st_ino)) return drops;
  }
  return std::nullopt;
}

std::vector<std::optional<std::uint64_t>> UdpCounters::SocketsDrops(const std::vector<int>& fds) {
  std::vector<std::optional<std::uint64_t>> drops(fds.size());
  std::map<std::uint64_t, std::size_t> by_inode;
  for (std::size_t i = 0; i < fds.size(); ++i) {
    struct stat st;
    if (fstat(fds[i], &st) == 0) by_inode[st.st_ino] = i;
  }
  // The calling thread's namespace, as SocketDrops reads (a veth run's
  // receive side is in its own).
  for (const char* path : {"/proc/thread-self/net/udp", "/proc/thread-self/net/udp6"}) {
    std::istringstream in{ReadFile(path)};
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      const std::vector<std::string> f = Fields(line);
      if (f.size() < 13) continue;
      const std::optional<std::uint64_t> inode = ToNumber(f[9]);
      if (!inode) continue;
      if (auto it = by_inode.find(*inode); it != by_inode.end()) drops[it->second] = ToNumber(f[12]);
    }
  }
  return drops;
}

std::optional<std::uint64_t> UdpCounters::HostRcvbufErrors() {
  std::optional<std::uint64_t> errors = ParseRcvbufErrors(ReadFile("/proc/thread-self/net/snmp"));
  // A kernel without IPv6 has no snmp6: its IPv4 count is the whole count.
  if (errors) *errors += ParseUdp6RcvbufErrors(ReadFile("/proc/thread-self/net/snmp6")).value_or(0);
  return errors;
}

}  // namespace rxbench::platform
