// WriteFileAtomically as the kernel sees it: a crash must leave the old file
// or all of the new one, which takes fsync(file) < rename < fsync(directory).
// The test runs this binary again under strace (Debian `strace`) and reads
// the order of those calls off the trace.
#include "results/output_files.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace rxbench::harness {
namespace {

namespace fs = std::filesystem;

constexpr char kTargetVariable[] = "RXBENCH_TRACED_WRITE_TARGET";

// The traced half: runs only inside the strace that the test below starts.
TEST(TracedWrite, Child) {
  const char* target = std::getenv(kTargetVariable);
  if (target == nullptr) GTEST_SKIP() << "run by WriteFileAtomically.SyncsFileThenRenamesThenSyncsDirectory";
  std::string error;
  ASSERT_TRUE(WriteFileAtomically(target, "{\"new\": true}\n", &error)) << error;
}

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

TEST(WriteFileAtomically, SyncsFileThenRenamesThenSyncsDirectory) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const fs::path dir = fs::canonical(tmp != nullptr ? tmp : "/tmp") / "atomic";
  fs::create_directories(dir);
  const fs::path target = dir / "results.json";
  std::ofstream(target) << "{\"old\": true}\n";
  const fs::path trace = dir / "trace.txt";
  const fs::path self = fs::read_symlink("/proc/self/exe");

  // -y prints the path behind each descriptor, so the trace says which fsync
  // was the file's and which the directory's.
  const std::string command = std::string(kTargetVariable) + "=" + Quoted(target.string()) +
                              " strace -f -qq -y -e signal=none" +
                              " -e trace=fsync,fdatasync,rename,renameat,renameat2 -o " + Quoted(trace.string()) + " " +
                              Quoted(self.string()) + " --gtest_filter=TracedWrite.Child > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command << " failed (is Debian's strace installed?)";

  std::ifstream in(trace);
  std::vector<std::string> events;
  for (std::string line; std::getline(in, line);) {
    const bool sync = line.find("fsync(") != std::string::npos || line.find("fdatasync(") != std::string::npos;
    if (sync && line.find(".tmp.") != std::string::npos) events.push_back("fsync(file)");
    else if (sync && line.find("<" + dir.string() + ">") != std::string::npos) events.push_back("fsync(dir)");
    else if (line.find("rename") != std::string::npos && line.find(target.string() + "\"") != std::string::npos)
      events.push_back("rename");
  }
  std::ostringstream seen;
  for (const std::string& e : events) seen << e << " ";
  EXPECT_EQ(events, (std::vector<std::string>{"fsync(file)", "rename", "fsync(dir)"})) << "trace: " << seen.str();

  std::ifstream written(target);
  std::string content((std::istreambuf_iterator<char>(written)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "{\"new\": true}\n");
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_TRUE(entry.path() == target || entry.path() == trace) << "left behind: " << entry.path();
  }
}

}  // namespace
}  // namespace rxbench::harness
