#include "results/output_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace rxbench::harness {
namespace fs = std::filesystem;

namespace {

// Whether a file can really be created in `dir`: creates and removes a probe
// file. access(W_OK) is not enough: it says yes to root for a directory on a
// read-only mount or in /proc, where every write then fails.
std::string CanCreateIn(const fs::path& dir) {
  const std::string probe = (dir / (".rxbench-write-check." + std::to_string(getpid()))).string();
  const int fd = open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return std::strerror(errno);
  close(fd);
  unlink(probe.c_str());
  return "";
}

// "" when all of `text` was written to `fd`, else why not.
std::string WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::strerror(errno);
    done += static_cast<size_t>(n);
  }
  return "";
}

}  // namespace

std::string CheckWritableFile(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return what + " " + path + " is a directory, not a file";
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec)) return what + " " + path + ": directory " + dir.string() + " does not exist";
  if (std::string why = CanCreateIn(dir); !why.empty()) {
    return what + " " + path + ": cannot write in " + dir.string() + " (" + why + ")";
  }
  // An existing file is replaced by a rename (results) or opened for writing
  // (the history database): it must be writable itself too.
  if (fs::exists(path, ec)) {
    const int fd = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return what + " " + path + ": cannot write it (" + std::strerror(errno) + ")";
    close(fd);
  }
  return "";
}

std::string PrepareDirectory(const std::string& path, const std::string& what) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return "cannot create " + what + " directory " + path + ": " + ec.message();
  if (std::string why = CanCreateIn(path); !why.empty()) {
    return "cannot write in " + what + " directory " + path + " (" + why + ")";
  }
  return "";
}

bool WriteFileAtomically(const std::string& path, const std::string& text, std::string* error) {
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot create " + temporary + ": " + std::strerror(errno);
    return false;
  }
  // The data must be on disk before the rename makes it the file: otherwise a
  // crash soon after can leave `path` renamed but empty (ext4, xfs), which
  // loses the old results as well as the new.
  std::string why = WriteAll(fd, text);
  if (why.empty() && fsync(fd) != 0) why = std::strerror(errno);
  if (close(fd) != 0 && why.empty()) why = std::strerror(errno);
  if (!why.empty()) {
    *error = "cannot write " + temporary + ": " + why;
    unlink(temporary.c_str());
    return false;
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    *error = "cannot rename " + temporary + " to " + path + ": " + std::strerror(errno);
    std::remove(temporary.c_str());
    return false;
  }
  // The rename itself is an entry in the directory: until the directory is
  // synced, a crash can bring back the old file. Best effort: the new file is
  // complete either way, so a directory that cannot be synced is not an error.
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return true;
}

}  // namespace rxbench::harness
