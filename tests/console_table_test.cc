// The console table on hand-made results. Its --impair line says what the
// generator withheld, sent twice and sent late, summed over repetitions,
// against what the sink counted, and says so when nothing counted. Its
// "x null" column is a ratio only where null is a comparable floor
// (results/floor_comparability.h).
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

// Receiver figures per packet as the issue measured them free-running
// (null woke 0.13 times per packet, combined-list 0.03), and as lock-step has
// them (null 0.016, once per round of 64; combined-list more, pushing).
RunResult Receiving(const std::string& strategy, double path_ns, double ctx, double syscalls, bool lock_step) {
  RunResult r;
  r.strategy = strategy;
  r.packets_sent = r.packets_delivered = 10000;
  r.cpu_ns_per_packet_receive_path = path_ns;
  if (strategy.rfind("null", 0) == 0) r.cpu_ns_per_packet_receiver = path_ns;  // null has no pipeline
  r.ctx_switches_per_packet = ctx;
  r.syscalls_per_packet = syscalls;
  if (lock_step) r.lock_step = RunResult::LockStep{64, 156, 157, 0, 0};
  return r;
}

TEST(ConsoleTable, NullIsNoFloorWhereItWokeMorePerPacket) {
  const std::string text =
      Render({Receiving("combined-list", 1813, 0.03, 0.06, false), Receiving("null", 1977, 0.13, 0.51, false)});
  EXPECT_NE(text.find("x null: null is not a comparable floor here: it woke 0.13 times per packet against "
                      "combined-list's 0.03; run with --lock-step 64 for a comparable floor"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("0.92x"), std::string::npos) << "a ratio to a floor that is none:\n" << text;
}

TEST(ConsoleTable, NullIsNoFloorWhereItMadeMoreSyscallsPerPacket) {
  const std::string text =
      Render({Receiving("combined-list", 1813, 0.03, 0.06, false), Receiving("null", 1977, 0.035, 0.51, false)});
  EXPECT_NE(text.find("it made 0.51 syscalls per packet against combined-list's 0.06; run with --lock-step 64"),
            std::string::npos)
      << text;
}

TEST(ConsoleTable, NullIsTheFloorWithinTheTolerance) {
  // Lock-step: null wakes less than combined-list, with the same syscalls.
  std::string text =
      Render({Receiving("combined-list", 4000, 0.046, 0.031, true), Receiving("null", 700, 0.016, 0.031, true)});
  EXPECT_NE(text.find("5.71x"), std::string::npos) << text;
  EXPECT_EQ(text.find("not a comparable floor"), std::string::npos) << text;
  // Free-running, within 25 % above: still the floor.
  text = Render({Receiving("combined-list", 4000, 0.10, 0.20, false), Receiving("null", 700, 0.12, 0.24, false)});
  EXPECT_NE(text.find("5.71x"), std::string::npos) << text;
  EXPECT_EQ(text.find("not a comparable floor"), std::string::npos) << text;
}

// compare --path loopback,veth: a veth row's floor is null over veth, whose
// path (the pair, NAPI, GRO) costs more than loopback's.
TEST(ConsoleTable, EachPathHasItsOwnNullFloor) {
  const std::string text =
      Render({Receiving("combined-list", 4000, 0.046, 0.031, true), Receiving("null", 700, 0.016, 0.031, true),
              Receiving("combined-list+path=veth", 5000, 0.046, 0.031, true),
              Receiving("null+path=veth", 1000, 0.016, 0.031, true)});
  EXPECT_NE(text.find("5.71x"), std::string::npos) << text;  // 4000 / 700
  EXPECT_NE(text.find("5.00x"), std::string::npos) << text;  // 5000 / 1000
  EXPECT_EQ(text.find("7.14x"), std::string::npos) << "veth against loopback's null:\n" << text;
}

TEST(ConsoleTable, NoLockStepHintForWhatCannotLockStep) {
  const std::string text =
      Render({Receiving("udpsrc", 4000, 0.03, 0.06, false), Receiving("null", 700, 0.13, 0.51, false)});
  EXPECT_NE(text.find("null is not a comparable floor here: it woke 0.13 times per packet against udpsrc's 0.03\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace rxbench::harness

namespace rxbench::harness {
namespace {

// A depayloading pipeline's row has a frames line; what is unknown is '-'.
TEST(ConsoleTable, FramesLine) {
  RunResult r;
  r.strategy = "combined";
  r.frames = RunResult::Frames{};
  r.frames->sent = 120;
  r.frames->depayloaded = 118;
  r.frames->decoded = 117;
  r.frames->damaged = 3;
  r.receive_share = 0.125;
  const std::string text = Render({r});
  EXPECT_NE(text.find("frames: sent 120, depayloaded 118, decoded 117, damaged 3; lost or damaged per 1000 "
                      "packets lost -;"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("receive share 12.5 %"), std::string::npos) << text;
  RunResult production;
  production.strategy = "combined";
  EXPECT_EQ(Render({production}).find("frames:"), std::string::npos);
}

}  // namespace
}  // namespace rxbench::harness
