#include "harness/output_files.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace rxbench::harness {
namespace fs = std::filesystem;

std::string CheckWritableFile(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return what + " " + path + " is a directory, not a file";
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec)) return what + " " + path + ": directory " + dir.string() + " does not exist";
  if (access(dir.c_str(), W_OK) != 0) {
    return what + " " + path + ": cannot write in " + dir.string() + " (" + std::strerror(errno) + ")";
  }
  return "";
}

std::string PrepareDirectory(const std::string& path, const std::string& what) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return "cannot create " + what + " directory " + path + ": " + ec.message();
  if (access(path.c_str(), W_OK) != 0) return "cannot write in " + what + " directory " + path;
  return "";
}

bool WriteFileAtomically(const std::string& path, const std::string& text, std::string* error) {
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      *error = "cannot write " + temporary;
      std::remove(temporary.c_str());
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    *error = "cannot rename " + temporary + " to " + path + ": " + std::strerror(errno);
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace rxbench::harness
