// The names of a run's veth path carry its pid, and that is how a later run
// finds what a killed one left: names of pids that no longer run, never a
// live run's, never a name that is not rxbench's (a test's "rxb..." names, a
// user's). Liveness is injected: no process is started or killed here.
#include "netpath/veth_names.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace rxbench::netpath {
namespace {

TEST(VethNames, FitADeviceNameForTheLargestPid) {
  // pid_max is at most 4194304 (2^22); a device name at most 15 characters.
  const VethNames n = NamesFor(4194304);
  EXPECT_LE(n.sender_dev.size(), 15u) << n.sender_dev;
  EXPECT_LE(n.receiver_dev.size(), 15u) << n.receiver_dev;
  const std::set<std::string> distinct = {n.sender_netns, n.receiver_netns, n.sender_dev, n.receiver_dev};
  EXPECT_EQ(distinct.size(), 4u);
}

TEST(VethNames, EveryNameCarriesItsOwner) {
  const VethNames n = NamesFor(31337);
  for (const std::string& name : {n.sender_netns, n.receiver_netns, n.sender_dev, n.receiver_dev}) {
    EXPECT_EQ(OwnerOf(name), 31337) << name;
  }
}

TEST(VethNames, OtherNamesHaveNoOwner) {
  for (const char* name : {"eth0", "lo", "rxb12345", "rxbv", "rxbv12345", "rxbv12345-snd2", "rxbv12a45s", "rxbv012345s",
                           "rxbv12345678s", "rxbt12345-snd", "xrxbv12345s", "rxbv12345x"}) {
    EXPECT_EQ(OwnerOf(name), std::nullopt) << name;
  }
}

TEST(VethNames, LeftBehindAreTheDeadOwnersNamesOnly) {
  const VethNames dead = NamesFor(100), live = NamesFor(200);
  const std::vector<std::string> present = {"eth0",         dead.sender_netns,   live.sender_netns,
                                            "rxb-test-300", dead.receiver_netns, live.receiver_netns,
                                            "rxbv300-snd"};
  // 100 and 300 no longer run; 200 does.
  const auto alive = [](pid_t pid) { return pid == 200; };
  EXPECT_EQ(LeftBehind(present, /*self=*/999, alive),
            (std::vector<std::string>{dead.sender_netns, dead.receiver_netns, "rxbv300-snd"}));
}

TEST(VethNames, OwnPidIsAnEarlierRunsReusedPid) {
  // This process has not made its names yet: with its pid they are an
  // earlier run's, even though the pid is alive (it is this one).
  const VethNames mine = NamesFor(4242);
  EXPECT_EQ(LeftBehind({mine.sender_netns, mine.receiver_dev}, /*self=*/4242, [](pid_t) { return true; }),
            (std::vector<std::string>{mine.sender_netns, mine.receiver_dev}));
}

}  // namespace
}  // namespace rxbench::netpath
