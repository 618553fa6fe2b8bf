#include "pipeline/thread_roles.h"

namespace rxbench::harness {
namespace {

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

const char* ToString(ThreadRole role) {
  switch (role) {
    case ThreadRole::kReceiver: return "receiver";
    case ThreadRole::kPipeline: return "pipeline";
    case ThreadRole::kGenerator: return "generator";
    case ThreadRole::kHarness: return "harness";
    case ThreadRole::kOther: return "other";
    case ThreadRole::kDecoder: return "decoder";
  }
  return "other";
}

const std::vector<ThreadNameRule>& ThreadNameRules() {
  static const std::vector<ThreadNameRule> rules = {
      {"rxrecv", false, ThreadRole::kReceiver, ""},        {"rxnull", false, ThreadRole::kReceiver, ""},
      {"iou-wrk-", true, ThreadRole::kReceiver, ""},       {"iou-sqp-", true, ThreadRole::kReceiver, ""},
      {"src:src", false, ThreadRole::kReceiver, "udpsrc"}, {"rxgen", false, ThreadRole::kGenerator, ""},
      {"rxbench", false, ThreadRole::kHarness, ""},
  };
  return rules;
}

ThreadRoles::ThreadRoles(std::vector<pid_t> existing, pid_t harness)
    : existing_(existing.begin(), existing.end()), harness_(harness) {}

void ThreadRoles::Announce(pid_t tid, ThreadRole role, const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  announced_[tid] = ThreadIdentity{role, name};
}

void ThreadRoles::AnnounceDecoder(pid_t tid, const std::string& comm) {
  std::lock_guard<std::mutex> lock(mutex_);
  announced_[tid] = ThreadIdentity{ThreadRole::kDecoder, "decoder"};
  decoder_comms_.insert(comm);
}

ThreadIdentity ThreadRoles::Identify(pid_t tid, const std::string& comm) const {
  bool decoder_comm = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = announced_.find(tid); it != announced_.end()) return it->second;
    decoder_comm = decoder_comms_.count(comm) > 0;
  }
  if (tid == harness_) return {ThreadRole::kHarness, "harness"};
  // io_uring's workers run requests the receiver submitted (named after the
  // thread that submitted them); they do receive work.
  for (const ThreadNameRule& rule : ThreadNameRules()) {
    if (rule.prefix && rule.role == ThreadRole::kReceiver && StartsWith(comm, rule.comm.c_str())) {
      return {ThreadRole::kReceiver, "receiver:" + comm.substr(0, 7)};
    }
  }
  if (existing_.count(tid) == 0) {
    if (decoder_comm) return {ThreadRole::kDecoder, "decoder"};
    return {ThreadRole::kPipeline, "pipeline:" + comm};
  }
  return {ThreadRole::kOther, "other:" + comm};
}

}  // namespace rxbench::harness
