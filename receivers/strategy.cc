#include "receivers/strategy.h"

namespace rxbench::receivers {
namespace {

template <typename Kind, std::size_t N>
std::optional<Kind> ParseKind(std::string_view name, const Kind (&kinds)[N]) {
  for (Kind k : kinds) {
    if (name == ToString(k)) return k;
  }
  return std::nullopt;
}

// "pool" in the performance plan: the faster of GstBufferPool and the free
// list, measured end to end on this machine (README, "Buffer sources").
// GstBufferPool wins there although the free list wins the single-threaded
// microbenchmark: in the pipeline the release happens on another core.
constexpr pools::BufferKind kPool = pools::BufferKind::kGstPool;

// The gro preset's buffer source, measured end to end (README, "UDP GSO and
// GRO").
constexpr pools::BufferKind kGroPool = pools::BufferKind::kFreeList;

}  // namespace

const char* ToString(SyncKind kind) { return kind == SyncKind::kMutex ? "mutex" : "atomic"; }
const char* ToString(PushKind kind) { return kind == PushKind::kSingle ? "single" : "list"; }
const char* ToString(RecvKind kind) {
  switch (kind) {
    case RecvKind::kRecvfrom: return "recvfrom";
    case RecvKind::kRecvmmsg: return "recvmmsg";
    case RecvKind::kIoUring: return "iouring";
    case RecvKind::kGro: return "gro";
  }
  return "?";
}

const char* ToString(WaitKind kind) {
  switch (kind) {
    case WaitKind::kSleep: return "sleep";
    case WaitKind::kBusyPoll: return "busy-poll";
    case WaitKind::kPreferBusyPoll: return "prefer-busy-poll";
    case WaitKind::kNapi: return "napi";
  }
  return "?";
}

const char* ToString(ReceiverKind kind) {
  switch (kind) {
    case ReceiverKind::kLoop: return "loop";
    case ReceiverKind::kUdpsrc: return "udpsrc";
    case ReceiverKind::kNull: return "null";
  }
  return "?";
}

const char* ToString(StrategyRole role) {
  switch (role) {
    case StrategyRole::kOrdinary: return "ordinary";
    case StrategyRole::kReference: return "reference";
    case StrategyRole::kFloor: return "floor";
  }
  return "?";
}

StrategyRole StrategySpec::Role() const {
  switch (receiver) {
    case ReceiverKind::kUdpsrc: return StrategyRole::kReference;
    case ReceiverKind::kNull: return StrategyRole::kFloor;
    case ReceiverKind::kLoop: break;
  }
  return StrategyRole::kOrdinary;
}

std::optional<SyncKind> ParseSyncKind(std::string_view name) {
  static constexpr SyncKind kAll[] = {SyncKind::kMutex, SyncKind::kAtomic};
  return ParseKind(name, kAll);
}
std::optional<RecvKind> ParseRecvKind(std::string_view name) {
  static constexpr RecvKind kAll[] = {RecvKind::kRecvfrom, RecvKind::kRecvmmsg, RecvKind::kIoUring, RecvKind::kGro};
  return ParseKind(name, kAll);
}
std::optional<PushKind> ParsePushKind(std::string_view name) {
  static constexpr PushKind kAll[] = {PushKind::kSingle, PushKind::kList};
  return ParseKind(name, kAll);
}

std::optional<WaitKind> ParseWaitKind(std::string_view name) {
  static constexpr WaitKind kAll[] = {WaitKind::kSleep, WaitKind::kBusyPoll, WaitKind::kPreferBusyPoll,
                                      WaitKind::kNapi};
  return ParseKind(name, kAll);
}

std::string StrategySpec::Policies() const {
  switch (receiver) {
    case ReceiverKind::kUdpsrc: return "GStreamer udpsrc replaces appsrc";
    case ReceiverKind::kNull:
      return recv == RecvKind::kGro ? "gro, drop (no GStreamer)" : "recvmmsg, drop (no GStreamer)";
    case ReceiverKind::kLoop: break;
  }
  std::string policies =
      std::string(pools::ToString(buffer)) + "/" + ToString(sync) + "/" + ToString(recv) + "/" + ToString(push);
  if (wait != WaitKind::kSleep) policies += std::string("/") + ToString(wait);
  return policies;
}

std::string CheckPolicies(const StrategySpec& spec) {
  if (spec.receiver == ReceiverKind::kNull) {
    if (spec.recv == RecvKind::kRecvmmsg || spec.recv == RecvKind::kGro) return "";
    return std::string("the null receiver reads with recvmmsg or gro, not recv=") + ToString(spec.recv);
  }
  if (spec.receiver != ReceiverKind::kLoop) return "";
  const bool ring = spec.buffer == pools::BufferKind::kRing;
  const bool iouring = spec.recv == RecvKind::kIoUring;
  if (iouring && !ring) {
    return std::string("recv=iouring receives into its own provided-buffer ring: buffer=") +
           pools::ToString(spec.buffer) + " cannot apply (use buffer=ring)";
  }
  if (ring && !iouring) {
    return std::string("buffer=ring is io_uring's provided-buffer ring: it needs recv=iouring, not recv=") +
           ToString(spec.recv);
  }
  if (spec.wait == WaitKind::kNapi && !iouring) {
    return std::string("wait=napi is io_uring's NAPI busy polling: it needs recv=iouring, not recv=") +
           ToString(spec.recv) + " (use wait=busy-poll or prefer-busy-poll)";
  }
  if (iouring && (spec.wait == WaitKind::kBusyPoll || spec.wait == WaitKind::kPreferBusyPoll)) {
    return std::string("recv=iouring waits in io_uring, which busy polls only with wait=napi, not wait=") +
           ToString(spec.wait);
  }
  return "";
}

const std::vector<StrategySpec>& Presets() {
  using pools::BufferKind;
  static const std::vector<StrategySpec> presets = {
      {"baseline", "the original receiver: allocate+map per datagram, GMutex per packet, recvfrom", ReceiverKind::kLoop,
       BufferKind::kAlloc, SyncKind::kMutex, RecvKind::kRecvfrom, PushKind::kSingle},
      {"pooled", "baseline with recycled buffers", ReceiverKind::kLoop, kPool, SyncKind::kMutex, RecvKind::kRecvfrom,
       PushKind::kSingle},
      {"lockfree", "baseline with an atomic stop flag and lock-free stats", ReceiverKind::kLoop, BufferKind::kAlloc,
       SyncKind::kAtomic, RecvKind::kRecvfrom, PushKind::kSingle},
      {"recvmmsg", "batched receive into pooled buffers", ReceiverKind::kLoop, kPool, SyncKind::kMutex,
       RecvKind::kRecvmmsg, PushKind::kSingle},
      {"combined", "pooled + lock-free + recvmmsg", ReceiverKind::kLoop, kPool, SyncKind::kAtomic, RecvKind::kRecvmmsg,
       PushKind::kSingle},
      {"combined-list", "combined, pushing each batch as one GstBufferList", ReceiverKind::kLoop, kPool,
       SyncKind::kAtomic, RecvKind::kRecvmmsg, PushKind::kList},
      {"iouring", "io_uring multishot recvmsg into a provided buffer ring, pushed as lists", ReceiverKind::kLoop,
       BufferKind::kRing, SyncKind::kAtomic, RecvKind::kIoUring, PushKind::kList},
      {"udpsrc", "reference: GStreamer's stock udpsrc instead of appsrc, same downstream pipeline",
       ReceiverKind::kUdpsrc},
      {"gro", "UDP_GRO: coalesced datagrams split into zero-copy segment buffers, pushed as lists", ReceiverKind::kLoop,
       kGroPool, SyncKind::kAtomic, RecvKind::kGro, PushKind::kList},
      {"null", "reference: the kernel floor, receive and drop with the fastest call", ReceiverKind::kNull,
       BufferKind::kAlloc, SyncKind::kAtomic, RecvKind::kRecvmmsg},
      {"null+gro", "reference: the kernel floor with UDP_GRO, receive coalesced datagrams and drop",
       ReceiverKind::kNull, BufferKind::kAlloc, SyncKind::kAtomic, RecvKind::kGro},
  };
  return presets;
}

std::optional<StrategySpec> FindPreset(std::string_view name) {
  for (const StrategySpec& s : Presets()) {
    if (s.name == name) return s;
  }
  return std::nullopt;
}

std::vector<std::string> PresetNames() {
  std::vector<std::string> names;
  for (const StrategySpec& s : Presets()) names.push_back(s.name);
  return names;
}

std::string PresetNameOf(std::string_view name) {
  std::string best;
  for (const StrategySpec& s : Presets()) {
    const bool starts = name.substr(0, s.name.size()) == s.name;
    if (starts && (name.size() == s.name.size() || name[s.name.size()] == '+') && s.name.size() > best.size()) {
      best = s.name;
    }
  }
  return best;
}

}  // namespace rxbench::receivers
