// Ctrl-C (SIGINT) and SIGTERM as a request to finish the way a normal end
// does (the results of what ran are still counted and written), for the
// subcommands that run until told otherwise: `recv` and `gen`.
#pragma once

namespace rxbench::harness {

// Installs the handlers (once per process).
void CatchStopRequests();
// True once SIGINT or SIGTERM arrived.
bool StopRequested();

}  // namespace rxbench::harness
