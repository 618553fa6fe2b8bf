// Where results go, checked before any traffic is sent and written so that a
// reader never sees half a file: a run that cannot save what it measured must
// say so before it measures, not after.
#pragma once

#include <string>

namespace rxbench::harness {

// "" when `path` can be written as a file (its directory exists and is
// writable, and it is not a directory), else a one-line reason naming `what`
// (e.g. "--out").
std::string CheckWritableFile(const std::string& path, const std::string& what);

// Creates directory `path` (and its parents) if needed; "" or a one-line
// reason naming `what`.
std::string PrepareDirectory(const std::string& path, const std::string& what);

// Writes `text` to `path` through a temporary file in the same directory and
// a rename, so that `path` holds either its old content or all of the new,
// also after a crash: the file is synced before the rename, the directory
// after it.
bool WriteFileAtomically(const std::string& path, const std::string& text, std::string* error);

}  // namespace rxbench::harness
