#include "commands/subcommand_summary.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace rxbench::harness {
namespace {

// {name, summary} of the table's `harness` lines, generated from
// subcommands.txt by commands/subcommand_summaries.awk.
constexpr std::pair<const char*, const char*> kSummaries[] = {
#include "commands/subcommand_summaries.inc"
};

}  // namespace

std::string SubcommandSummary(const std::string& name) {
  for (const auto& [known, summary] : kSummaries) {
    if (name == known) return summary;
  }
  std::fprintf(stderr, "rxbench: subcommand '%s' is not in subcommands.txt\n", name.c_str());
  std::abort();
}

}  // namespace rxbench::harness
