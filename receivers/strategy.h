// A receive strategy is a named preset of five independent policies, so that
// any combination can be A/B-tested through one receive loop:
//
//   buffer source  alloc | gstpool | freelist            (pools/)
//   sync           mutex | atomic                        (sync_policy.h)
//   receive call   recvfrom | recvmmsg | iouring | gro   (receive_call.h)
//   push           single | list                         (push_policy.h)
//   wait           sleep | busy-poll | prefer-busy-poll | napi   (busy_poll.h)
//
// Every preset waits by sleeping; busy polling is an override
// (`combined-list+wait=busy-poll`), since it trades CPU for latency only where
// the packets come through a NAPI instance (not on loopback).
//
// Two reference receivers are not presets of the loop: `udpsrc` (GStreamer's
// stock element in place of appsrc) and `null` (fastest receive, drop
// everything: the kernel floor). This table only names udpsrc, so that it is
// chosen, listed and compared like any strategy; it is built by the pipeline
// package (pipeline/pipeline.h, with the socket the receive side opened), since
// it is a pipeline element and no receiver here reads for it. `null+gro` is the null receiver reading with
// recv=gro, the floor once the kernel coalesces.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pools/buffer_kind.h"

namespace rxbench::receivers {

enum class SyncKind { kMutex, kAtomic };
enum class RecvKind { kRecvfrom, kRecvmmsg, kIoUring, kGro };
enum class PushKind { kSingle, kList };
enum class WaitKind { kSleep, kBusyPoll, kPreferBusyPoll, kNapi };
enum class ReceiverKind { kLoop, kUdpsrc, kNull };

// What a strategy is in a comparison: `reference` is GStreamer's stock
// receiver (udpsrc), what an appsrc receiver must beat; `floor` receives and
// drops (null, null+gro), what the kernel alone costs, never a contender;
// every other strategy is `ordinary`. The reports take it from the results
// (strategy_role), never from the names.
enum class StrategyRole { kOrdinary, kReference, kFloor };

// The strategy `compare` measures the others against unless --reference says.
inline constexpr const char* kDefaultReference = "baseline";

const char* ToString(ReceiverKind kind);
const char* ToString(StrategyRole role);
const char* ToString(SyncKind kind);
const char* ToString(RecvKind kind);
const char* ToString(PushKind kind);
const char* ToString(WaitKind kind);
std::optional<SyncKind> ParseSyncKind(std::string_view name);
std::optional<RecvKind> ParseRecvKind(std::string_view name);
std::optional<PushKind> ParsePushKind(std::string_view name);
std::optional<WaitKind> ParseWaitKind(std::string_view name);

struct StrategySpec {
  std::string name;
  std::string description;
  ReceiverKind receiver = ReceiverKind::kLoop;
  pools::BufferKind buffer = pools::BufferKind::kAlloc;
  SyncKind sync = SyncKind::kMutex;
  RecvKind recv = RecvKind::kRecvfrom;
  PushKind push = PushKind::kSingle;
  WaitKind wait = WaitKind::kSleep;

  // "alloc/mutex/recvfrom/single", with "/busy-poll" (the wait) only when it
  // is not sleep, so that every result from before the axis reads the same;
  // or the receiver kind for udpsrc and null.
  // The null receiver reads with recvmmsg, or with gro when recv is kGro.
  std::string Policies() const;
  StrategyRole Role() const;
};

// Datagrams per receive call for batching calls; chosen by measurement
// (README, "Batch size").
inline constexpr int kDefaultBatch = 32;

// "" when the policies make sense together, else why not: io_uring receives
// into its own provided-buffer ring (buffer=ring), which no other receive
// call can use, and no other buffer source can serve it. wait=napi is io_uring's
// own busy polling (recv=iouring only); busy-poll and prefer-busy-poll act on
// the socket's and epoll's waits, which io_uring does not use.
std::string CheckPolicies(const StrategySpec& spec);

// The named presets, in the order `rxbench list` shows them.
const std::vector<StrategySpec>& Presets();
std::optional<StrategySpec> FindPreset(std::string_view name);
std::vector<std::string> PresetNames();

// The preset a strategy's name starts with: "pooled" of
// "pooled+buffer=freelist". A preset's own name may hold a '+' (null+gro):
// the longest that starts the text and ends at a '+' or the end wins. ""
// when none does.
std::string PresetNameOf(std::string_view name);

}  // namespace rxbench::receivers
