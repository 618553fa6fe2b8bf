#include "netpath/veth_names.h"

namespace rxbench::netpath {
namespace {

constexpr std::string_view kPrefix = "rxbv";
// A network device's name has at most 15 characters (IFNAMSIZ - 1): "rxbv",
// a pid of up to 7 digits (pid_max <= 4194304) and one letter fit.
constexpr std::string_view kSuffixes[] = {"-snd", "-rcv", "s", "r"};

}  // namespace

VethNames NamesFor(pid_t owner) {
  const std::string stem = std::string(kPrefix) + std::to_string(owner);
  return {stem + "-snd", stem + "-rcv", stem + "s", stem + "r"};
}

std::optional<pid_t> OwnerOf(std::string_view name) {
  if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  name.remove_prefix(kPrefix.size());
  std::size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') ++digits;
  // No leading zero: NamesFor never writes one, so such a name is not ours.
  if (digits == 0 || digits > 7 || name[0] == '0') return std::nullopt;
  const std::string_view rest = name.substr(digits);
  for (std::string_view suffix : kSuffixes) {
    if (rest == suffix) return static_cast<pid_t>(std::stol(std::string(name.substr(0, digits))));
  }
  return std::nullopt;
}

std::vector<std::string> LeftBehind(const std::vector<std::string>& names, pid_t self,
                                    const std::function<bool(pid_t)>& alive) {
  std::vector<std::string> left;
  for (const std::string& name : names) {
    const std::optional<pid_t> owner = OwnerOf(name);
    if (owner && (*owner == self || !alive(*owner))) left.push_back(name);
  }
  return left;
}

}  // namespace rxbench::netpath
