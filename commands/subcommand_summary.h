// The one-line help of each C++ subcommand, as ./rxbench's table of
// subcommands (subcommands.txt) defines it: the wrapper's list and the
// binary's own help say the same thing because both read that one table.
#ifndef RXBENCH_HARNESS_SUBCOMMAND_SUMMARY_H_
#define RXBENCH_HARNESS_SUBCOMMAND_SUMMARY_H_

#include <string>

namespace rxbench::harness {

// The table's line for NAME; a name the table does not have is a build
// mistake, so it aborts with a message rather than show an empty help.
std::string SubcommandSummary(const std::string& name);

}  // namespace rxbench::harness

#endif  // RXBENCH_HARNESS_SUBCOMMAND_SUMMARY_H_
