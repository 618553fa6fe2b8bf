// Which thread of the process does what during one run.
//
// Threads that know their job announce it from their own thread: the
// receiver, the generator, and every pipeline streaming thread (at GStreamer's
// stream-status ENTER, with the element that owns its task). Every other
// thread is classified when the CPU is attributed: io_uring's kernel workers
// (comm "iou-wrk-…"/"iou-sqp-…") work for the receiver; a thread born during
// the run that did not announce itself was started by the pipeline (an
// element's private thread, such as rtpjitterbuffer's "timer"), and by the
// decoder when it carries the decoder thread's name (a thread inherits its
// creator's: libav's workers, should it start any); a thread that
// predates the run cannot be attributed to it and stays "other".
//
// Thread-safe: announcements come from the threads themselves.
#pragma once

#include <sys/types.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace rxbench::harness {

// kDecoder: the pipeline thread that runs a video decoder (and whatever the
// decoder starts); its CPU is also the pipeline's in every sum by role.
enum class ThreadRole { kReceiver, kPipeline, kGenerator, kHarness, kOther, kDecoder };

const char* ToString(ThreadRole role);

// How a thread is reported: its role and the name its CPU is listed under
// ("receiver", "generator", "harness", an element such as "queue0",
// "pipeline:timer", "other:<comm>").
struct ThreadIdentity {
  ThreadRole role = ThreadRole::kOther;
  std::string name;
};

// A thread told by its name (comm) alone, as a profile (perf) sees it: the
// names rxbench gives its own threads (set where each starts: the receivers'
// "rxrecv"/"rxnull", the generator's "rxgen"; the process is "rxbench"), and
// io_uring's workers, named by prefix. `receiver_kind` ("" for any): the rule
// holds only for that receiver kind (udpsrc's own task, "src:src", is the
// receiver). The first rule that matches wins; a thread none names is the
// pipeline's in a profile. `rxbench list --json` states these for the
// reports (reports/profile), which must not re-type them.
struct ThreadNameRule {
  std::string comm;
  bool prefix = false;  // comm is a prefix of the name
  ThreadRole role = ThreadRole::kOther;
  std::string receiver_kind;
};
const std::vector<ThreadNameRule>& ThreadNameRules();

class ThreadRoles {
 public:
  // `existing`: the threads alive before anything of the run was created;
  // `harness`: the thread that orchestrates the run.
  ThreadRoles(std::vector<pid_t> existing, pid_t harness);

  // Any thread. A later announcement of the same tid wins (GStreamer reuses
  // pooled threads for new tasks).
  void Announce(pid_t tid, ThreadRole role, const std::string& name);
  // The thread that runs the decoder, with its name (comm) at the time:
  // threads born later under the same name are the decoder's too.
  void AnnounceDecoder(pid_t tid, const std::string& comm);

  ThreadIdentity Identify(pid_t tid, const std::string& comm) const;

 private:
  const std::set<pid_t> existing_;
  const pid_t harness_;
  mutable std::mutex mutex_;
  std::map<pid_t, ThreadIdentity> announced_;
  std::set<std::string> decoder_comms_;
};

}  // namespace rxbench::harness
