// Tests for //traffic_gen: the spec's checks, the schedule's arithmetic
// (exact, no clock), and the generator end to end against a loopback receiver.
//
// Nothing here depends on how fast or how busy the machine is. Pacing --
// rates, lateness, frames sent back to back, the warm-up pause, the stop
// poll -- is checked exactly on a FakePacingClock, which moves only when the
// sender sleeps. On the real clock the tests check what holds at any speed:
// exact counts, order, payloads, and that no packet ever leaves before its
// deadline. What the pacer achieves on a real machine is measured, not
// asserted: `rxbench run` reports achieved_pps and send lateness.
#include "traffic_gen/generator.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "platform/udp_counters.h"
#include "rtp/rtp_packet.h"
#include "tests/fake_pacing_clock.h"
#include "traffic_gen/impairment.h"
#include "traffic_gen/malformed.h"
#include "traffic_gen/packet_schedule.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::traffic_gen {
namespace {

using tests::FakePacingClock;

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kUs = 1'000;

std::int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// One datagram as the test receiver saw it.
struct Arrival {
  std::int64_t recv_ns = 0;  // CLOCK_MONOTONIC right after recv() returned
  bool parsed = false;
  rtp::Header header;
  rtp::Probe probe;
  std::size_t payload_bytes = 0;
  bool pattern_ok = false;
  std::uint16_t source_port = 0;
};

// A plain UDP socket on 127.0.0.1 with a large buffer, drained by its own
// thread, so the generator is measured against the simplest possible receiver.
class LoopbackReceiver {
 public:
  LoopbackReceiver() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const int rcvbuf = 8 << 20;
    // FORCE ignores net.core.rmem_max (needs CAP_NET_ADMIN, fine as root).
    if (setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0) {
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    }
    timeval timeout{0, 200'000};  // bounds every recv(), so the thread always ends
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind_ok_ = bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }

  ~LoopbackReceiver() {
    Finish();
    close(fd_);
  }

  bool ok() const { return fd_ >= 0 && bind_ok_ && port_ != 0; }
  int fd() const { return fd_; }
  std::uint16_t port() const { return port_; }

  // Receives until `expected` datagrams arrived, or the sender is done and
  // nothing arrived for 200 ms, or 60 s passed (a bound for a broken run only).
  void Start(std::size_t expected) {
    arrivals_.reserve(expected + 64);
    thread_ = std::thread([this, expected] { Drain(expected); });
  }

  // Call once the sender is done; returns everything received.
  std::vector<Arrival> Finish() {
    sender_done_ = true;
    if (thread_.joinable()) thread_.join();
    return arrivals_;
  }

 private:
  void Drain(std::size_t expected) {
    std::vector<std::uint8_t> buf(65536);
    const std::int64_t give_up_ns = NowNs() + 60'000 * kMs;
    while (arrivals_.size() < expected && NowNs() < give_up_ns) {
      sockaddr_in from{};
      socklen_t from_len = sizeof from;
      const ssize_t n = recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &from_len);
      const std::int64_t now = NowNs();
      if (n < 0) {
        if (errno == EINTR) continue;
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && !sender_done_) continue;
        break;
      }
      Arrival a;
      a.recv_ns = now;
      a.source_port = ntohs(from.sin_port);
      std::size_t offset = 0;
      a.parsed =
          rtp::ParseHeader(buf.data(), static_cast<std::size_t>(n), &a.header, &offset) == rtp::ParseError::kNone &&
          static_cast<std::size_t>(n) >= offset + rtp::kProbeBytes;
      if (a.parsed) {
        a.payload_bytes = static_cast<std::size_t>(n) - offset;
        a.probe = rtp::ReadProbe(buf.data() + offset);
        a.pattern_ok = rtp::CheckPattern(a.probe.index, buf.data() + offset, a.payload_bytes);
      }
      arrivals_.push_back(a);
    }
  }

  int fd_ = -1;
  bool bind_ok_ = false;
  std::uint16_t port_ = 0;
  std::atomic<bool> sender_done_{false};
  std::thread thread_;
  std::vector<Arrival> arrivals_;
};

TrafficSpec SpecFor(const LoopbackReceiver& receiver) {
  TrafficSpec spec;
  spec.dest_port = receiver.port();
  spec.fill_pattern = true;  // these tests check every payload byte
  return spec;
}

// Runs `spec` to completion against `receiver`; returns what arrived.
// `expected`: datagrams to wait for, when not the measured packet count.
// `clock`: a FakePacingClock, or nullptr for the real one.
std::vector<Arrival> RunToCompletion(const TrafficSpec& spec, LoopbackReceiver* receiver, GeneratorReport* report,
                                     std::size_t expected = 0, PacingClock* clock = nullptr) {
  receiver->Start(expected != 0 ? expected : spec.TotalPackets());
  Generator generator(spec, {}, clock);
  std::string error;
  EXPECT_TRUE(generator.Start(&error)) << error;
  generator.Wait();
  EXPECT_FALSE(generator.running());
  *report = generator.Report();
  return receiver->Finish();
}

// ---------------------------------------------------------------------------
// TrafficSpec

TEST(TrafficSpec, ShapeNamesRoundTrip) {
  EXPECT_EQ(ParseShape("cbr"), Shape::kCbr);
  EXPECT_EQ(ParseShape("burst"), Shape::kBurst);
  EXPECT_FALSE(ParseShape("CBR").has_value());
  EXPECT_FALSE(ParseShape("").has_value());
  EXPECT_STREQ(ToString(Shape::kCbr), "cbr");
  EXPECT_STREQ(ToString(Shape::kBurst), "burst");
}

TEST(TrafficSpec, TotalPacketsPrefersExactCount) {
  TrafficSpec spec;
  spec.rate_pps = 2000;
  spec.duration_s = 1.5;
  EXPECT_EQ(spec.TotalPackets(), 3000u);
  spec.rate_pps = 10;
  spec.duration_s = 0.26;  // 2.6 rounds to 3
  EXPECT_EQ(spec.TotalPackets(), 3u);
  spec.packet_count = 777;
  EXPECT_EQ(spec.TotalPackets(), 777u);
}

TEST(TrafficSpec, RateForBitrateCountsIpUdpRtpHeaders) {
  // 1200 + 12 (RTP) + 8 (UDP) + 20 (IPv4) = 1240 bytes = 9920 bits per packet.
  EXPECT_DOUBLE_EQ(RateForBitrate(9920.0 * 1000, 1200), 1000.0);
  EXPECT_DOUBLE_EQ(RateForBitrate(10e6, 1200), 10e6 / 9920.0);
  // Smallest payload: 16 + 40 = 56 bytes = 448 bits.
  EXPECT_DOUBLE_EQ(RateForBitrate(448.0, rtp::kProbeBytes), 1.0);
  EXPECT_DOUBLE_EQ(RateForBitrate(0, 1200), 0.0);
}

TEST(TrafficSpec, ValidateAcceptsAGoodSpec) {
  TrafficSpec spec;
  spec.dest_port = 5004;
  EXPECT_EQ(Validate(spec), "");
  spec.shape = Shape::kBurst;
  EXPECT_EQ(Validate(spec), "");
  spec.payload_bytes = rtp::kProbeBytes;
  EXPECT_EQ(Validate(spec), "");
  spec.payload_bytes = 65507 - rtp::kHeaderBytes;
  EXPECT_EQ(Validate(spec), "");
}

TEST(TrafficSpec, ValidateRejectsBadSpecsNamingTheField) {
  TrafficSpec good;
  good.dest_port = 5004;
  struct Case {
    const char* field;
    void (*mutate)(TrafficSpec&);
  };
  const Case cases[] = {
      {"rate_pps", [](TrafficSpec& s) { s.rate_pps = 0; }},
      {"rate_pps", [](TrafficSpec& s) { s.rate_pps = -5; }},
      {"rate_pps", [](TrafficSpec& s) { s.rate_pps = std::nan(""); }},
      {"payload_bytes", [](TrafficSpec& s) { s.payload_bytes = rtp::kProbeBytes - 1; }},
      {"payload_bytes", [](TrafficSpec& s) { s.payload_bytes = 65507 - rtp::kHeaderBytes + 1; }},
      {"fps",
       [](TrafficSpec& s) {
         s.shape = Shape::kBurst;
         s.fps = 0;
       }},
      {"fps",
       [](TrafficSpec& s) {
         s.shape = Shape::kBurst;
         s.fps = -30;
       }},
      {"duration_s", [](TrafficSpec& s) { s.duration_s = 0; }},
      {"duration_s",
       [](TrafficSpec& s) {
         s.rate_pps = 1;
         s.duration_s = 0.1;
       }},
      {"dest_port", [](TrafficSpec& s) { s.dest_port = 0; }},
      {"dest_host", [](TrafficSpec& s) { s.dest_host.clear(); }},
      {"cpu", [](TrafficSpec& s) { s.cpu = -2; }},
      {"send_batch", [](TrafficSpec& s) { s.send_batch = 0; }},
  };
  for (const Case& c : cases) {
    TrafficSpec spec = good;
    c.mutate(spec);
    const std::string error = Validate(spec);
    EXPECT_NE(error.find(c.field), std::string::npos) << "field " << c.field << ": " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
  // fps is irrelevant to CBR.
  TrafficSpec cbr = good;
  cbr.fps = 0;
  EXPECT_EQ(Validate(cbr), "");
  // An exact count makes the duration irrelevant.
  TrafficSpec counted = good;
  counted.duration_s = 0;
  counted.packet_count = 10;
  EXPECT_EQ(Validate(counted), "");
}

// ---------------------------------------------------------------------------
// PacketSchedule

TEST(PacketSchedule, CbrDeadlinesTimestampsAndSequenceWrap) {
  TrafficSpec spec;
  spec.rate_pps = 1000;
  spec.packet_count = 5;
  spec.first_sequence = 65534;
  spec.ssrc = 0x01020304;
  PacketSchedule schedule(spec);
  const std::uint16_t sequences[] = {65534, 65535, 0, 1, 2};
  for (std::uint64_t i = 0; i < 5; ++i) {
    ASSERT_FALSE(schedule.done());
    EXPECT_EQ(schedule.index(), i);
    EXPECT_EQ(schedule.due_ns(), static_cast<std::int64_t>(i) * kMs);
    EXPECT_EQ(schedule.header().sequence, sequences[i]);
    EXPECT_EQ(schedule.header().timestamp, i * 90);
    EXPECT_FALSE(schedule.header().marker);
    EXPECT_EQ(schedule.header().payload_type, 96);
    EXPECT_EQ(schedule.header().ssrc, 0x01020304u);
    schedule.Advance();
  }
  EXPECT_TRUE(schedule.done());
}

TEST(PacketSchedule, CbrDeadlinesDoNotDrift) {
  TrafficSpec spec;
  spec.rate_pps = 3;  // 333333333.33 ns: rounding per step would drift
  spec.packet_count = 3001;
  PacketSchedule schedule(spec);
  while (schedule.index() < 3000) schedule.Advance();
  EXPECT_EQ(schedule.due_ns(), 1000 * 1'000'000'000LL);
  EXPECT_EQ(schedule.header().timestamp, 1000u * 90000u);
}

// Walks a burst schedule and groups it into frames by RTP timestamp, checking
// that exactly the last packet of every frame carries the marker.
struct ScheduledFrame {
  std::uint32_t timestamp = 0;
  std::int64_t due_ns = 0;
  std::uint64_t packets = 0;
};

std::vector<ScheduledFrame> Frames(const TrafficSpec& spec) {
  std::vector<ScheduledFrame> frames;
  bool previous_marker = false;
  for (PacketSchedule s(spec); !s.done(); s.Advance()) {
    const bool new_frame = frames.empty() || s.header().timestamp != frames.back().timestamp;
    if (!frames.empty()) {
      EXPECT_EQ(previous_marker, new_frame) << "at index " << s.index();
    }
    if (new_frame) frames.push_back({s.header().timestamp, s.due_ns(), 0});
    EXPECT_EQ(s.due_ns(), frames.back().due_ns);
    ++frames.back().packets;
    previous_marker = s.header().marker;
  }
  EXPECT_TRUE(previous_marker) << "stream must end with a marker";
  return frames;
}

TEST(PacketSchedule, BurstSpreadsFractionalFrameSizes) {
  TrafficSpec spec;
  spec.shape = Shape::kBurst;
  spec.rate_pps = 1000;
  spec.fps = 30;
  spec.duration_s = 1;
  const std::vector<ScheduledFrame> frames = Frames(spec);
  ASSERT_EQ(frames.size(), 30u);
  std::uint64_t total = 0;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    EXPECT_TRUE(frames[f].packets == 33 || frames[f].packets == 34) << frames[f].packets;
    EXPECT_EQ(frames[f].timestamp, 3000u * f);
    EXPECT_EQ(frames[f].due_ns, std::llround(f * 1e9 / 30));
    total += frames[f].packets;
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(frames[0].packets, 34u);
}

TEST(PacketSchedule, BurstMarksTheLastPacketOfEachFrame) {
  TrafficSpec spec;
  spec.shape = Shape::kBurst;
  spec.rate_pps = 3000;
  spec.fps = 30;
  spec.packet_count = 250;  // two full frames and a short last one
  std::vector<bool> markers;
  for (PacketSchedule s(spec); !s.done(); s.Advance()) markers.push_back(s.header().marker);
  ASSERT_EQ(markers.size(), 250u);
  for (std::size_t i = 0; i < markers.size(); ++i) {
    EXPECT_EQ(markers[i], i == 99 || i == 199 || i == 249) << i;
  }
}

TEST(PacketSchedule, BurstSlowerThanFrameRateSkipsEmptyFrames) {
  TrafficSpec spec;
  spec.shape = Shape::kBurst;
  spec.rate_pps = 10;
  spec.fps = 30;
  spec.packet_count = 3;
  PacketSchedule s(spec);
  const std::int64_t due[] = {0, 100 * kMs, 200 * kMs};
  const std::uint32_t ts[] = {0, 9000, 18000};
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(s.done());
    EXPECT_EQ(s.due_ns(), due[i]);
    EXPECT_EQ(s.header().timestamp, ts[i]);
    EXPECT_TRUE(s.header().marker);
    s.Advance();
  }
  EXPECT_TRUE(s.done());
}

// ---------------------------------------------------------------------------
// Generator, end to end over loopback

// On the real clock: every packet, in order, intact, and none before its
// deadline (schedule_origin_ns + index * 500 us) -- true however late the
// machine makes the sender.
TEST(Generator, CbrNeverEarlyOnTheRealClock) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 2000;
  spec.duration_s = 1.0;
  GeneratorReport report;
  const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report);

  EXPECT_EQ(report.packets_sent, 2000u);
  EXPECT_EQ(report.send_errors, 0u);
  ASSERT_EQ(arrivals.size(), 2000u);
  ASSERT_GT(report.schedule_origin_ns, 0);
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    const Arrival& a = arrivals[i];
    ASSERT_TRUE(a.parsed && a.pattern_ok) << i;
    ASSERT_EQ(a.probe.index, i);
    const std::int64_t due = report.schedule_origin_ns + static_cast<std::int64_t>(i) * 500 * kUs;
    EXPECT_GE(static_cast<std::int64_t>(a.probe.send_ns), due) << "packet " << i << " sent early";
  }
}

// On the fake clock the pacer is exact: one sleep per packet to its absolute
// deadline, every stamp equal to its due time, the offered rate achieved.
TEST(Generator, CbrPacingIsExactOnTheFakeClock) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 2000;
  spec.duration_s = 1.0;
  FakePacingClock clock;
  GeneratorReport report;
  const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report, 0, &clock);

  ASSERT_EQ(arrivals.size(), 2000u);
  EXPECT_EQ(report.schedule_origin_ns, FakePacingClock::kEpochNs);
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    ASSERT_EQ(arrivals[i].probe.index, i);
    ASSERT_EQ(static_cast<std::int64_t>(arrivals[i].probe.send_ns),
              FakePacingClock::kEpochNs + static_cast<std::int64_t>(i) * 500 * kUs)
        << "packet " << i;
  }
  EXPECT_DOUBLE_EQ(report.achieved_pps(), 2000);
  // Packet 0 is due at the start; every later one costs exactly one sleep,
  // to its own deadline.
  const std::vector<FakePacingClock::Sleep> sleeps = clock.sleeps();
  ASSERT_EQ(sleeps.size(), 1999u);
  for (std::size_t k = 0; k < sleeps.size(); ++k) {
    ASSERT_EQ(sleeps[k].deadline_ns, FakePacingClock::kEpochNs + static_cast<std::int64_t>(k + 1) * 500 * kUs) << k;
  }
}

// A wake-up 3.5 ms late delays the packets due meanwhile -- they leave at
// once, back to back -- and shifts none after them: deadlines are absolute.
TEST(Generator, LateWakeUpDelaysButDoesNotShiftTheSchedule) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 1000;
  spec.packet_count = 100;
  FakePacingClock clock;
  clock.WakeLate(10, 3'500 * kUs);  // the sleep before packet 11 (due at 11 ms)
  GeneratorReport report;
  const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report, 0, &clock);

  ASSERT_EQ(arrivals.size(), 100u);
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    const std::int64_t sent = static_cast<std::int64_t>(arrivals[i].probe.send_ns) - FakePacingClock::kEpochNs;
    const std::int64_t due = static_cast<std::int64_t>(i) * kMs;
    if (i >= 11 && i <= 14) {
      EXPECT_EQ(sent, 14'500 * kUs) << "packet " << i << ": due meanwhile, sent on the late wake-up";
    } else {
      EXPECT_EQ(sent, due) << "packet " << i;
    }
  }
  // Four packets went out on one wake-up: 100 packets, 96 sleeps.
  EXPECT_EQ(clock.sleeps().size(), 96u);
}

// A slow stream sleeps in steps of at most kStopPollNs, which is what keeps
// Stop() prompt between deadlines 100 ms apart.
TEST(Generator, SlowStreamSleepsInStopPollSteps) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 10;
  spec.packet_count = 3;
  FakePacingClock clock;
  GeneratorReport report;
  const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report, 0, &clock);
  ASSERT_EQ(arrivals.size(), 3u);
  EXPECT_EQ(static_cast<std::int64_t>(arrivals[2].probe.send_ns), FakePacingClock::kEpochNs + 200 * kMs);
  const std::vector<FakePacingClock::Sleep> sleeps = clock.sleeps();
  EXPECT_EQ(sleeps.size(), 2u * (100 * kMs / kStopPollNs));
  for (const FakePacingClock::Sleep& sleep : sleeps) {
    EXPECT_GT(sleep.deadline_ns, sleep.asleep_at_ns);
    EXPECT_LE(sleep.deadline_ns - sleep.asleep_at_ns, kStopPollNs);
  }
}

TEST(Generator, ExactCountInOrderAcrossSequenceWrap) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 50'000;
  spec.packet_count = 777;
  spec.first_sequence = 65000;
  spec.ssrc = 0xdeadbeef;
  spec.payload_bytes = 1000;
  spec.cpu = 0;  // exercise pinning
  GeneratorReport report;
  const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report);

  EXPECT_EQ(report.packets_sent, 777u);
  EXPECT_EQ(report.send_errors, 0u);
  EXPECT_GT(report.usage.cpu_ns, 0u);
  EXPECT_EQ(report.send_calls, 777u);  // one send() per packet, each with its own stamp
  ASSERT_EQ(arrivals.size(), 777u);
  std::uint64_t previous_send_ns = 0;
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    const Arrival& a = arrivals[i];
    ASSERT_TRUE(a.parsed) << i;
    EXPECT_EQ(a.probe.index, i);
    EXPECT_EQ(a.header.sequence, static_cast<std::uint16_t>(65000 + i)) << i;
    EXPECT_EQ(a.header.ssrc, 0xdeadbeefu);
    EXPECT_EQ(a.header.payload_type, 96);
    EXPECT_EQ(a.payload_bytes, 1000u);
    EXPECT_TRUE(a.pattern_ok) << i;
    EXPECT_GE(a.probe.send_ns, previous_send_ns) << i;
    EXPECT_LE(a.probe.send_ns, static_cast<std::uint64_t>(a.recv_ns)) << i;
    previous_send_ns = a.probe.send_ns;
  }
  EXPECT_EQ(arrivals[535].header.sequence, 65535);
  EXPECT_EQ(arrivals[536].header.sequence, 0);
  EXPECT_EQ(report.first_send_ns, arrivals.front().probe.send_ns);
  EXPECT_EQ(report.last_send_ns, arrivals.back().probe.send_ns);
}

// Many streams (traffic_spec.h, `streams`): interleaved on one schedule, each
// with its own SSRC, sequence numbers (wrapping on their own), probe indices,
// payload pattern and source port; to one port, or to a port each.
TEST(Generator, InterleavedStreamsAreEachAWholeStreamOfTheirOwn) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 2'000;  // per stream
  spec.packet_count = 50;
  spec.streams = 3;
  spec.first_sequence = 65530;
  spec.ssrc = 0x100;
  GeneratorReport report;
  const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report, 150);

  EXPECT_EQ(report.packets_sent, 150u);
  EXPECT_EQ(report.stream_sent, (std::vector<std::uint64_t>{50, 50, 50}));
  EXPECT_EQ(report.offered_pps, 6'000);
  ASSERT_EQ(arrivals.size(), 150u);
  std::set<std::uint16_t> ports[3];
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    const Arrival& a = arrivals[i];
    ASSERT_TRUE(a.parsed) << i;
    const std::size_t k = i % 3, index = i / 3;
    EXPECT_EQ(a.header.ssrc, 0x100u + k) << i;
    EXPECT_EQ(a.header.sequence, static_cast<std::uint16_t>(65530 + index)) << i;
    EXPECT_EQ(a.probe.index, index) << i;
    EXPECT_TRUE(a.pattern_ok) << i;
    ports[k].insert(a.source_port);
  }
  for (const auto& p : ports) EXPECT_EQ(p.size(), 1u);
  EXPECT_EQ((std::set<std::uint16_t>{*ports[0].begin(), *ports[1].begin(), *ports[2].begin()}).size(), 3u);
}

TEST(Generator, StreamsGoEachToItsOwnPortWhenGivenOne) {
  LoopbackReceiver first, second;
  ASSERT_TRUE(first.ok() && second.ok());
  TrafficSpec spec = SpecFor(first);
  spec.rate_pps = 2'000;
  spec.packet_count = 20;
  spec.streams = 2;
  spec.stream_ports = {first.port(), second.port()};
  first.Start(20);
  second.Start(20);
  Generator generator(spec);
  std::string error;
  ASSERT_TRUE(generator.Start(&error)) << error;
  generator.Wait();
  for (const auto& [receiver, ssrc] :
       {std::pair<LoopbackReceiver*, std::uint32_t>{&first, spec.ssrc}, {&second, spec.ssrc + 1}}) {
    const std::vector<Arrival> arrivals = receiver->Finish();
    ASSERT_EQ(arrivals.size(), 20u);
    for (const Arrival& a : arrivals) EXPECT_EQ(a.header.ssrc, ssrc);
  }
}

TEST(Generator, BurstShape) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.shape = Shape::kBurst;
  spec.rate_pps = 3000;
  spec.fps = 30;
  spec.duration_s = 0.5;  // 15 frames of 100 packets
  GeneratorReport report;
  const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report);

  EXPECT_EQ(report.packets_sent, 1500u);
  ASSERT_EQ(arrivals.size(), 1500u);

  // Group arrivals into frames by RTP timestamp.
  struct Frame {
    std::uint32_t timestamp;
    std::vector<const Arrival*> packets;
  };
  std::vector<Frame> frames;
  for (const Arrival& a : arrivals) {
    ASSERT_TRUE(a.parsed && a.pattern_ok);
    if (frames.empty() || frames.back().timestamp != a.header.timestamp) {
      frames.push_back({a.header.timestamp, {}});
    }
    frames.back().packets.push_back(&a);
  }
  ASSERT_EQ(frames.size(), 15u);

  for (std::size_t f = 0; f < frames.size(); ++f) {
    const std::vector<const Arrival*>& p = frames[f].packets;
    ASSERT_EQ(p.size(), 100u) << "frame " << f;
    EXPECT_EQ(frames[f].timestamp, 3000u * f);
    const std::int64_t due = report.schedule_origin_ns + std::llround(static_cast<double>(f) * 1e9 / 30);
    for (std::size_t k = 0; k < p.size(); ++k) {
      EXPECT_EQ(p[k]->header.marker, k + 1 == p.size()) << "frame " << f << " packet " << k;
      EXPECT_GE(static_cast<std::int64_t>(p[k]->probe.send_ns), due) << "frame " << f << " sent early";
    }
  }
}

// On the fake clock a frame goes out back to back at its own instant: all 100
// packets stamped with the frame's due time, no sleep inside a frame.
TEST(Generator, BurstFramesLeaveBackToBackOnTheFakeClock) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.shape = Shape::kBurst;
  spec.rate_pps = 3000;
  spec.fps = 30;
  spec.duration_s = 0.5;
  FakePacingClock clock;
  GeneratorReport report;
  const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report, 0, &clock);
  ASSERT_EQ(arrivals.size(), 1500u);
  for (const Arrival& a : arrivals) {
    const std::uint64_t frame = a.probe.index / 100;
    ASSERT_EQ(static_cast<std::int64_t>(a.probe.send_ns),
              FakePacingClock::kEpochNs + std::llround(static_cast<double>(frame) * 1e9 / 30))
        << "packet " << a.probe.index;
  }
  // 15 frames, the first due at once; each 33.3 ms gap slept in steps of at
  // most kStopPollNs (5 ms): 7 sleeps a gap.
  EXPECT_EQ(clock.sleeps().size(), 14u * 7u);
  EXPECT_DOUBLE_EQ(report.achieved_pps(), 3000);
}

// 100 kpps: one send() per packet, every one on its deadline on the fake clock.
TEST(Generator, HighRateKeepsUpOnTheFakeClock) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 100'000;
  spec.duration_s = 0.3;
  spec.fill_pattern = false;
  FakePacingClock clock;
  Generator generator(spec, {}, &clock);
  std::string error;
  ASSERT_TRUE(generator.Start(&error)) << error;
  generator.Wait();
  const GeneratorReport report = generator.Report();
  EXPECT_EQ(report.packets_sent, 30'000u);
  EXPECT_EQ(report.send_errors, 0u);
  EXPECT_EQ(report.send_calls, 30'000u);                                // one send() per packet
  EXPECT_EQ(report.last_send_ns - report.first_send_ns, 299'990'000u);  // the last is due at 0.29999 s
  EXPECT_DOUBLE_EQ(report.achieved_pps(), 100'000);
}

// 100 kpps on the real clock: every packet sent with one send() of its own,
// none early, and each one either received or counted as dropped by the
// receiving socket -- whether this test's receiver keeps up depends on the
// machine; that nothing goes missing does not.
TEST(Generator, HighRateAccountsForEveryPacket) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 100'000;
  spec.duration_s = 0.3;
  receiver.Start(spec.TotalPackets());
  Generator generator(spec);
  std::string error;
  const std::int64_t begin = NowNs();
  ASSERT_TRUE(generator.Start(&error)) << error;
  generator.Wait();
  const std::int64_t elapsed = NowNs() - begin;
  const GeneratorReport report = generator.Report();
  const std::vector<Arrival> arrivals = receiver.Finish();

  EXPECT_EQ(report.packets_sent, 30'000u);
  EXPECT_EQ(report.send_errors, 0u);
  EXPECT_EQ(report.send_calls, 30'000u);
  EXPECT_GE(elapsed, 299'990 * kUs);  // never early: the last packet is due at 0.29999 s
  const std::optional<std::uint64_t> drops = platform::UdpCounters::SocketDrops(receiver.fd());
  ASSERT_TRUE(drops.has_value());
  EXPECT_EQ(arrivals.size() + *drops, 30'000u) << arrivals.size() << " received, " << *drops << " dropped";
  for (std::size_t i = 1; i < arrivals.size(); ++i) ASSERT_GT(arrivals[i].probe.index, arrivals[i - 1].probe.index);
}

// The warm-up: its packets, then the hook on the sender thread, then the
// measured stream on its own schedule from the moment the hook returned.
TEST(Generator, WarmupHookSplitsTheStream) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 5000;
  spec.packet_count = 400;
  spec.warmup_packets = 100;
  int hook_calls = 0;
  std::uint64_t warmup_seen = 0;
  std::int64_t hook_returned_ns = 0;
  GeneratorHooks hooks;
  hooks.after_warmup = [&](const GeneratorReport& sent) {
    ++hook_calls;
    warmup_seen = sent.packets_sent;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    hook_returned_ns = NowNs();
  };
  receiver.Start(500);
  Generator generator(spec, hooks);
  std::string error;
  ASSERT_TRUE(generator.Start(&error)) << error;
  generator.Wait();
  const GeneratorReport report = generator.Report();
  const std::vector<Arrival> arrivals = receiver.Finish();

  EXPECT_EQ(hook_calls, 1);
  EXPECT_EQ(warmup_seen, 100u);
  EXPECT_EQ(report.warmup_sent, 100u);
  EXPECT_EQ(report.packets_sent, 500u);
  EXPECT_EQ(report.measured_sent(), 400u);
  ASSERT_EQ(arrivals.size(), 500u);
  for (std::size_t i = 0; i < arrivals.size(); ++i) ASSERT_EQ(arrivals[i].probe.index, i);
  // The measured stream starts after the pause, and keeps its rate: the pause
  // is not part of it.
  EXPECT_GE(static_cast<std::int64_t>(arrivals[100].probe.send_ns), hook_returned_ns);
  EXPECT_GE(arrivals[100].probe.send_ns - arrivals[99].probe.send_ns, static_cast<std::uint64_t>(50 * kMs));
  EXPECT_EQ(report.first_send_ns, arrivals[100].probe.send_ns);
  // Deadlines run on from the warm-up's; the pause moved their origin.
  for (std::size_t i = 100; i < arrivals.size(); ++i) {
    const std::int64_t due = report.schedule_origin_ns + static_cast<std::int64_t>(i) * 200 * kUs;
    EXPECT_GE(static_cast<std::int64_t>(arrivals[i].probe.send_ns), due) << "packet " << i << " sent early";
  }
}

// The same on the fake clock, where the pause is exactly 50 ms: the measured
// stream starts the moment the hook returns and keeps its exact spacing.
TEST(Generator, WarmupPauseDoesNotShiftTheMeasuredStreamOnTheFakeClock) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 5000;
  spec.packet_count = 400;
  spec.warmup_packets = 100;
  FakePacingClock clock;
  std::int64_t hook_returned_ns = 0;
  GeneratorHooks hooks;
  hooks.after_warmup = [&](const GeneratorReport&) {
    clock.Advance(50 * kMs);
    hook_returned_ns = clock.NowNs();
  };
  receiver.Start(500);
  Generator generator(spec, hooks, &clock);
  std::string error;
  ASSERT_TRUE(generator.Start(&error)) << error;
  generator.Wait();
  const GeneratorReport report = generator.Report();
  const std::vector<Arrival> arrivals = receiver.Finish();
  ASSERT_EQ(arrivals.size(), 500u);
  // The warm-up's last packet is due at 99 * 200 us; the pause starts then,
  // and moves the deadlines that follow on by its length.
  EXPECT_EQ(hook_returned_ns, FakePacingClock::kEpochNs + 99 * 200 * kUs + 50 * kMs);
  EXPECT_EQ(report.schedule_origin_ns, FakePacingClock::kEpochNs + 50 * kMs);
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    const std::int64_t origin = i < 100 ? FakePacingClock::kEpochNs : FakePacingClock::kEpochNs + 50 * kMs;
    ASSERT_EQ(static_cast<std::int64_t>(arrivals[i].probe.send_ns), origin + static_cast<std::int64_t>(i) * 200 * kUs)
        << "packet " << i;
  }
  EXPECT_DOUBLE_EQ(report.achieved_pps(), 5000);
}

TEST(Generator, BurstWarmupEndsOnAFrame) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.shape = Shape::kBurst;
  spec.rate_pps = 3000;  // 100 packets per frame at 30 fps
  spec.packet_count = 300;
  spec.warmup_packets = 150;
  GeneratorReport report;
  RunToCompletion(spec, &receiver, &report);
  EXPECT_EQ(report.warmup_sent, 200u);  // rounded up to the end of frame 1
  EXPECT_EQ(report.packets_sent, 500u);
}

// Each packet carries its own send time with send_batch 1; a batch shares one.
TEST(Generator, EveryPacketHasItsOwnSendTimeUnlessBatched) {
  for (const unsigned batch : {1u, 16u}) {
    LoopbackReceiver receiver;
    ASSERT_TRUE(receiver.ok());
    TrafficSpec spec = SpecFor(receiver);
    spec.shape = Shape::kBurst;
    spec.rate_pps = 9600;  // 320 packets per frame: batches fill
    spec.packet_count = 960;
    spec.send_batch = batch;
    GeneratorReport report;
    const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report);
    ASSERT_EQ(arrivals.size(), 960u);
    std::vector<std::uint64_t> stamps;
    for (const Arrival& a : arrivals) stamps.push_back(a.probe.send_ns);
    const auto distinct = std::unique(stamps.begin(), stamps.end()) - stamps.begin();
    if (batch == 1) {
      EXPECT_EQ(distinct, 960) << "a stamp shared between packets";
      EXPECT_EQ(report.send_calls, 960u);
    } else {
      EXPECT_EQ(distinct, 60) << "960 packets in full batches of 16";
      EXPECT_EQ(report.send_calls, 60u);
    }
  }
}

// The kernel's TX timestamps against the stamps: every datagram's TX time is
// matched to its own stamp, for single sends and for 64-packet sendmmsg
// calls. In a batch the 64 datagrams share one stamp and leave one after
// another, so their errors are not all equal. How large the errors are is a
// property of the machine (README, "Send stamps"), not checked here.
TEST(Generator, TxTimestampsPairEveryDatagramWithItsStamp) {
  for (const unsigned batch : {1u, 64u}) {
    SCOPED_TRACE("send_batch " + std::to_string(batch));
    LoopbackReceiver receiver;
    ASSERT_TRUE(receiver.ok());
    TrafficSpec spec = SpecFor(receiver);
    spec.shape = Shape::kBurst;
    spec.rate_pps = 9600;
    spec.packet_count = 1920;
    spec.send_batch = batch;
    spec.tx_timestamps = true;
    GeneratorReport report;
    RunToCompletion(spec, &receiver, &report);
    ASSERT_EQ(report.tx_timestamps_unavailable, "");
    ASSERT_TRUE(report.send_stamp_error.has_value());
    EXPECT_EQ(report.send_stamp_error->count(), 1920u);
    if (batch == 64) {
      EXPECT_GT(report.send_stamp_error->max(), report.send_stamp_error->min());
    }
  }
}

// --impair: what leaves the generator is the warm-up as it is, then the
// measured stream in ImpairmentPlan::SendOrder(), every datagram with its own
// packet's header and pattern and, with send_batch 1, its own stamp (a
// duplicate's copies too); the report says what was injected, and the TX
// timestamps still pair with their datagrams. Batches of 16 carry the same
// order.
TEST(Generator, ImpairedStreamLeavesInThePlansSendOrder) {
  for (const unsigned batch : {1u, 16u}) {
    SCOPED_TRACE("send_batch " + std::to_string(batch));
    LoopbackReceiver receiver;
    ASSERT_TRUE(receiver.ok());
    TrafficSpec spec = SpecFor(receiver);
    spec.shape = Shape::kBurst;
    spec.rate_pps = 9600;  // 320 packets per frame: batches fill
    spec.packet_count = 3000;
    spec.warmup_packets = 320;
    spec.send_batch = batch;
    spec.seed = 3;
    spec.tx_timestamps = true;
    std::string error;
    ASSERT_TRUE(ParseImpairmentSpec("loss=2%,dup=2%,reorder=2%", &spec.impair, &error)) << error;
    const ImpairmentPlan plan(spec.impair, spec.seed, 3000);
    std::vector<std::uint64_t> expected;
    for (std::uint64_t i = 0; i < 320; ++i) expected.push_back(i);
    for (std::uint64_t i : plan.SendOrder()) expected.push_back(320 + i);

    GeneratorReport report;
    const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report, expected.size());

    std::vector<std::uint64_t> order;
    std::vector<std::uint64_t> stamps;
    for (const Arrival& a : arrivals) {
      ASSERT_TRUE(a.parsed && a.pattern_ok);
      ASSERT_EQ(a.header.sequence, static_cast<std::uint16_t>(a.probe.index));
      order.push_back(a.probe.index);
      stamps.push_back(a.probe.send_ns);
    }
    ASSERT_EQ(order, expected);
    EXPECT_EQ(report.send_errors, 0u);
    EXPECT_EQ(report.packets_sent, expected.size());
    EXPECT_EQ(report.warmup_sent, 320u);
    ASSERT_TRUE(report.impairments.has_value());
    const ImpairmentReport tally = plan.Tally();
    EXPECT_EQ(report.impairments->losses, tally.losses);
    EXPECT_EQ(report.impairments->duplicates, tally.duplicates);
    EXPECT_EQ(report.impairments->reorders, tally.reorders);
    EXPECT_GT(tally.losses, 0u);
    EXPECT_GT(tally.duplicates, 0u);
    EXPECT_GT(tally.reorders, 0u);
    if (batch == 1) {
      std::sort(stamps.begin(), stamps.end());
      EXPECT_EQ(std::unique(stamps.begin(), stamps.end()) - stamps.begin(),
                static_cast<std::ptrdiff_t>(expected.size()))
          << "a stamp shared between datagrams";
      EXPECT_EQ(report.send_calls, expected.size());
    }
    ASSERT_EQ(report.tx_timestamps_unavailable, "");
    ASSERT_TRUE(report.send_stamp_error.has_value());
    EXPECT_EQ(report.send_stamp_error->count(), expected.size());
  }
}

// --impair with --malformed: a malformed datagram follows the first copy of
// the packet the malformed plan names, none follows a withheld packet, and
// the valid datagrams keep the impaired order.
TEST(Generator, MalformedDatagramsFollowTheFirstCopyOfImpairedPackets) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 10'000;
  spec.packet_count = 2000;
  spec.seed = 5;
  std::string error;
  ASSERT_TRUE(ParseImpairmentSpec("loss=3%,dup=3%,reorder=3%", &spec.impair, &error)) << error;
  ASSERT_TRUE(ParseMalformedSpec("short:10%", &spec.malformed, &error)) << error;
  const ImpairmentPlan plan(spec.impair, spec.seed, 2000);
  const MalformedPlan malformed(spec.malformed, spec.seed, 2000);
  std::vector<std::uint64_t> expected;  // valid packet index, or ~0 for a malformed datagram
  constexpr std::uint64_t kMalformedMark = ~std::uint64_t{0};
  std::uint64_t previous = kMalformedMark;
  for (std::uint64_t i : plan.SendOrder()) {
    expected.push_back(i);
    if (i != previous && malformed.KindAfter(i) != kNoMalformed) expected.push_back(kMalformedMark);
    previous = i;
  }

  GeneratorReport report;
  const std::vector<Arrival> arrivals = RunToCompletion(spec, &receiver, &report, expected.size());
  std::vector<std::uint64_t> order;
  for (const Arrival& a : arrivals) order.push_back(a.parsed ? a.probe.index : kMalformedMark);
  ASSERT_EQ(order, expected);
  const auto malformed_count = static_cast<std::uint64_t>(std::count(order.begin(), order.end(), kMalformedMark));
  EXPECT_GT(malformed_count, 0u);
  EXPECT_EQ(report.malformed_sent[static_cast<std::size_t>(rtp::Malformed::kShort)], malformed_count);
  EXPECT_EQ(report.packets_sent, expected.size());
  ASSERT_TRUE(report.impairments.has_value());
  EXPECT_EQ(report.impairments->duplicates, plan.Tally().duplicates);
}

// Lists the names of this process's threads.
std::vector<std::string> ThreadNames() {
  std::vector<std::string> names;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return names;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    std::ifstream comm(std::string("/proc/self/task/") + entry->d_name + "/comm");
    std::string name;
    std::getline(comm, name);
    names.push_back(name);
  }
  closedir(dir);
  return names;
}

// Stop() between deadlines 100 ms apart: it returns, the thread is gone, and
// no packet left before its time. That it takes about kStopPollNs is checked
// exactly on the fake clock (SlowStreamSleepsInStopPollSteps); the 2 s bound
// here only catches a Stop() that waits out the stream (10 s), and holds on
// a machine hundreds of times slower than one that stops in 5 ms.
TEST(Generator, StopEndsTheStreamBetweenSlowDeadlines) {
  LoopbackReceiver receiver;
  ASSERT_TRUE(receiver.ok());
  TrafficSpec spec = SpecFor(receiver);
  spec.rate_pps = 10;
  spec.duration_s = 10;
  receiver.Start(spec.TotalPackets());
  Generator generator(spec);
  std::string error;
  const std::int64_t started = NowNs();
  ASSERT_TRUE(generator.Start(&error)) << error;
  EXPECT_TRUE(generator.running());
  std::this_thread::sleep_for(std::chrono::milliseconds(250));  // packets at 0, 100, 200 ms
  const std::vector<std::string> names = ThreadNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "rxgen"), names.end());

  const std::int64_t begin = NowNs();
  generator.Stop();
  const std::int64_t stopped = NowNs();
  EXPECT_LT(stopped - begin, 2'000 * kMs);
  EXPECT_FALSE(generator.running());
  const GeneratorReport report = generator.Report();
  EXPECT_GE(report.packets_sent, 1u);  // packet 0 is due at once
  // Never early: by the time Stop() returned, at most the packets due by then.
  EXPECT_LE(report.packets_sent, static_cast<std::uint64_t>((stopped - started) / (100 * kMs)) + 1);
  EXPECT_EQ(receiver.Finish().size(), report.packets_sent);
}

TEST(Generator, RefusedSendsAreCountedNotSent) {
  // A port nobody listens on: loopback answers with ICMP port unreachable,
  // which the connected socket reports as ECONNREFUSED on a later send.
  std::uint16_t closed_port = 0;
  {
    LoopbackReceiver gone;
    ASSERT_TRUE(gone.ok());
    closed_port = gone.port();
  }
  TrafficSpec spec;
  spec.dest_port = closed_port;
  spec.rate_pps = 10'000;
  spec.packet_count = 200;
  Generator generator(spec);
  std::string error;
  ASSERT_TRUE(generator.Start(&error)) << error;
  generator.Wait();
  const GeneratorReport report = generator.Report();
  EXPECT_EQ(report.packets_sent + report.send_errors, 200u);
  EXPECT_GT(report.send_errors, 0u);
  EXPECT_EQ(report.last_errno, ECONNREFUSED);
}

TEST(Generator, StartReportsProblemsAndLeavesNothingRunning) {
  std::string error;
  TrafficSpec invalid;  // dest_port 0
  Generator a(invalid);
  EXPECT_FALSE(a.Start(&error));
  EXPECT_NE(error.find("dest_port"), std::string::npos) << error;
  EXPECT_FALSE(a.running());

  TrafficSpec bad_cpu;
  bad_cpu.dest_port = 9;
  bad_cpu.cpu = 100'000;
  Generator b(bad_cpu);
  error.clear();
  EXPECT_FALSE(b.Start(&error));
  EXPECT_NE(error.find("cpu"), std::string::npos) << error;
  EXPECT_FALSE(b.running());
  EXPECT_EQ(b.Report().packets_sent, 0u);

  TrafficSpec ok;
  ok.dest_port = 9;
  ok.packet_count = 1;
  Generator c(ok);
  ASSERT_TRUE(c.Start(&error)) << error;
  EXPECT_FALSE(c.Start(&error));  // one run per Generator
  c.Wait();
}

}  // namespace
}  // namespace rxbench::traffic_gen
