// How threads are named and given a role for CPU attribution.
#include "pipeline/thread_roles.h"

#include <gtest/gtest.h>

namespace rxbench::harness {
namespace {

TEST(ThreadRolesTest, AnnouncedThenByOriginAndName) {
  ThreadRoles roles({100, 101, 102}, 100);  // 100: the harness; 101, 102: predate the run
  roles.Announce(200, ThreadRole::kReceiver, "receiver");
  roles.Announce(201, ThreadRole::kPipeline, "queue0");
  roles.Announce(102, ThreadRole::kPipeline, "src");  // a pooled thread reused for a task

  const ThreadIdentity harness = roles.Identify(100, "rxbench");
  EXPECT_EQ(harness.role, ThreadRole::kHarness);
  EXPECT_EQ(harness.name, "harness");
  EXPECT_EQ(roles.Identify(200, "rxrecv").name, "receiver");
  EXPECT_EQ(roles.Identify(201, "queue0:src").name, "queue0");
  EXPECT_EQ(roles.Identify(102, "pool-rxbench").name, "src");
  // Predates the run and said nothing: not attributable to it.
  const ThreadIdentity old = roles.Identify(101, "gmain");
  EXPECT_EQ(old.role, ThreadRole::kOther);
  EXPECT_EQ(old.name, "other:gmain");
  // Born during the run, silent: an element's private thread.
  const ThreadIdentity timer = roles.Identify(300, "timer");
  EXPECT_EQ(timer.role, ThreadRole::kPipeline);
  EXPECT_EQ(timer.name, "pipeline:timer");
  // io_uring's workers do the receiver's work, whenever they were born.
  const ThreadIdentity worker = roles.Identify(101, "iou-wrk-200");
  EXPECT_EQ(worker.role, ThreadRole::kReceiver);
  EXPECT_EQ(worker.name, "receiver:iou-wrk");
  // A later announcement of the same tid wins.
  roles.Announce(201, ThreadRole::kPipeline, "rtpjitterbuffer0");
  EXPECT_EQ(roles.Identify(201, "x").name, "rtpjitterbuffer0");
}

// The decoder's thread, and every thread born during the run under its name
// (a thread inherits its creator's: the decoder's own workers), are the
// decoder's; another pipeline thread is not, nor one that predates the run.
TEST(ThreadRolesTest, TheDecoderAndThreadsItStarted) {
  ThreadRoles roles({100, 101}, 100);
  roles.AnnounceDecoder(200, "queue1:src");
  roles.Announce(201, ThreadRole::kPipeline, "rtpjitterbuffer");
  EXPECT_EQ(roles.Identify(200, "queue1:src").role, ThreadRole::kDecoder);
  EXPECT_EQ(roles.Identify(200, "queue1:src").name, "decoder");
  const ThreadIdentity worker = roles.Identify(300, "queue1:src");
  EXPECT_EQ(worker.role, ThreadRole::kDecoder);
  EXPECT_EQ(worker.name, "decoder");
  EXPECT_EQ(roles.Identify(301, "timer").role, ThreadRole::kPipeline);
  EXPECT_EQ(roles.Identify(101, "queue1:src").role, ThreadRole::kOther);
  EXPECT_STREQ(ToString(ThreadRole::kDecoder), "decoder");
}

}  // namespace
}  // namespace rxbench::harness
