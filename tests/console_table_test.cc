// The console table's --impair line, on hand-made results: it says what the
// generator withheld, sent twice and sent late, summed over repetitions,
// against what the sink counted, and says so when nothing counted.
#include "results/console_table.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace rxbench::harness {
namespace {

std::string Render(const std::vector<RunResult>& runs) {
  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&text, &size);
  PrintResultsTable(runs, out, /*color=*/false);
  std::fclose(out);
  std::string rendered(text, size);
  std::free(text);
  return rendered;
}

RunResult Impaired(const std::string& strategy, bool tracked) {
  RunResult r;
  r.strategy = strategy;
  r.packets_sent = 1000;
  r.packets_delivered = 1000;
  r.impairments_injected = traffic_gen::ImpairmentReport{3, 2, 4};
  if (tracked) {
    r.latency.count = 900;
    r.seq_gaps = 3;
    r.duplicates = 2;
    r.reordered = 4;
  }
  return r;
}

TEST(ConsoleTable, ImpairmentLineSumsRepetitionsAgainstTheSink) {
  RunResult jitterbuffered = Impaired("baseline", true);
  jitterbuffered.jitterbuffer_duplicates = 2;
  jitterbuffered.jitterbuffer_late = 1;
  const std::string text = Render({Impaired("baseline", true), jitterbuffered});
  EXPECT_NE(
      text.find("--impair: 6 withheld (never sent, not in sent), 4 sent twice, 8 sent after their successor; "
                "the sink saw 6 seq gaps, 4 duplicates, 8 reordered (rtpjitterbuffer dropped 2 duplicates, 1 late)"),
      std::string::npos)
      << text;
}

TEST(ConsoleTable, ImpairmentLineSaysWhenNothingTrackedSequences) {
  const std::string text = Render({Impaired("null", false)});
  EXPECT_NE(text.find("3 withheld"), std::string::npos) << text;
  EXPECT_NE(text.find("no sequence numbers tracked"), std::string::npos) << text;
  EXPECT_EQ(text.find("the sink saw"), std::string::npos) << text;
}

TEST(ConsoleTable, NoImpairmentLineWithoutImpair) {
  RunResult r;
  r.strategy = "baseline";
  r.packets_sent = r.packets_delivered = 10;
  EXPECT_EQ(Render({r}).find("--impair"), std::string::npos);
}

}  // namespace
}  // namespace rxbench::harness
