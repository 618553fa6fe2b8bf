#include "traffic_gen/generator.h"

#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "rtp/rtp_packet.h"
#include "traffic_gen/packet_schedule.h"

namespace rxbench::traffic_gen {
namespace {

// Longest uninterrupted sleep: bounds how long Stop() waits for the sender
// when the next deadline is far away (a 10 pps stream sleeps 100 ms per packet).
constexpr std::int64_t kStopPollNs = 5'000'000;

std::int64_t NowNs(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

void SleepUntil(std::int64_t deadline_ns) {
  timespec ts;
  ts.tv_sec = deadline_ns / 1'000'000'000;
  ts.tv_nsec = deadline_ns % 1'000'000'000;
  // EINTR just returns early; the caller re-reads the clock and sleeps again.
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
}

}  // namespace

double GeneratorReport::achieved_pps() const {
  if (packets_sent < 2 || last_send_ns <= first_send_ns) return 0;
  return static_cast<double>(packets_sent - 1) * 1e9 /
         static_cast<double>(last_send_ns - first_send_ns);
}

Generator::Generator(TrafficSpec spec)
    : spec_(std::move(spec)), packet_bytes_(rtp::kHeaderBytes + spec_.payload_bytes) {}

Generator::~Generator() { Stop(); }

bool Generator::Start(std::string* error) {
  if (started_) {
    *error = "generator already started";
    return false;
  }
  const std::string invalid = Validate(spec_);
  if (!invalid.empty()) {
    *error = invalid;
    return false;
  }
  if (!sender_.Open(spec_.dest_host, spec_.dest_port, spec_.sndbuf_bytes, error)) return false;

  buffers_.assign(kMaxBatch * packet_bytes_, 0);
  iovecs_.assign(kMaxBatch, iovec{});
  messages_.assign(kMaxBatch, mmsghdr{});
  for (unsigned k = 0; k < kMaxBatch; ++k) {
    iovecs_[k].iov_base = buffers_.data() + k * packet_bytes_;
    iovecs_[k].iov_len = packet_bytes_;
    messages_[k].msg_hdr.msg_iov = &iovecs_[k];
    messages_[k].msg_hdr.msg_iovlen = 1;  // connected socket: no msg_name
  }

  started_ = true;
  running_.store(true, std::memory_order_release);
  std::promise<std::string> setup_done;
  std::future<std::string> setup_result = setup_done.get_future();
  thread_ = std::thread(&Generator::Run, this, std::move(setup_done));
  const std::string setup_error = setup_result.get();
  if (!setup_error.empty()) {
    Join();
    *error = setup_error;
    return false;
  }
  return true;
}

void Generator::Wait() { Join(); }

void Generator::Stop() {
  stop_.store(true, std::memory_order_relaxed);
  Join();
}

void Generator::Join() {
  std::lock_guard<std::mutex> lock(join_mutex_);
  if (thread_.joinable()) thread_.join();
}

GeneratorReport Generator::Report() const {
  std::lock_guard<std::mutex> lock(report_mutex_);
  return report_;
}

void Generator::Run(std::promise<std::string> setup_done) {
  const std::string setup_error = SetUpSenderThread();
  setup_done.set_value(setup_error);
  GeneratorReport report;
  if (setup_error.empty()) report = SendStream();
  report.cpu_ns = static_cast<std::uint64_t>(NowNs(CLOCK_THREAD_CPUTIME_ID));
  {
    std::lock_guard<std::mutex> lock(report_mutex_);
    report_ = report;
  }
  running_.store(false, std::memory_order_release);
}

std::string Generator::SetUpSenderThread() const {
  // Best effort: a missing name only makes `top -H` less readable.
  pthread_setname_np(pthread_self(), "rxgen");
  // The default 50 us of timer slack would let the kernel coalesce our wake-ups
  // and smear a 100 us CBR interval; 1 ns asks for the deadline as given.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  if (spec_.cpu >= 0) {
    if (spec_.cpu >= CPU_SETSIZE) return "cpu " + std::to_string(spec_.cpu) + " out of range";
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(spec_.cpu, &set);
    const int rc = pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    if (rc != 0) {
      return "cannot pin sender to cpu " + std::to_string(spec_.cpu) + ": " + std::strerror(rc);
    }
  }
  return "";
}

GeneratorReport Generator::SendStream() {
  GeneratorReport report;
  PacketSchedule schedule(spec_);
  const std::int64_t start_ns = NowNs(CLOCK_MONOTONIC);

  while (!schedule.done() && !stop_.load(std::memory_order_relaxed)) {
    const std::int64_t now_ns = NowNs(CLOCK_MONOTONIC);
    const std::int64_t due_ns = start_ns + schedule.due_ns();
    if (due_ns > now_ns) {
      SleepUntil(std::min(due_ns, now_ns + kStopPollNs));
      continue;
    }

    // Everything due by now_ns goes out, kMaxBatch at a time; the loop comes
    // back here without sleeping while packets are still overdue.
    const std::uint64_t first_index = schedule.index();
    unsigned count = 0;
    while (count < kMaxBatch && !schedule.done() && start_ns + schedule.due_ns() <= now_ns) {
      rtp::WritePacket(schedule.header(), rtp::Probe{0, schedule.index()}, spec_.payload_bytes,
                       buffers_.data() + count * packet_bytes_);
      schedule.Advance();
      ++count;
    }
    // The send time goes in last, so building the batch is not part of the
    // latency a receiver measures.
    const auto send_ns = static_cast<std::uint64_t>(NowNs(CLOCK_MONOTONIC));
    for (unsigned k = 0; k < count; ++k) {
      rtp::WriteProbe(rtp::Probe{send_ns, first_index + k},
                      buffers_.data() + k * packet_bytes_ + rtp::kHeaderBytes);
    }
    const SendOutcome outcome = sender_.Send(messages_.data(), count);

    report.packets_sent += outcome.sent;
    report.send_errors += outcome.failed;
    report.batches += outcome.calls;
    if (outcome.failed != 0) report.last_errno = outcome.last_errno;
    if (outcome.sent != 0) {
      if (report.first_send_ns == 0) report.first_send_ns = send_ns;
      report.last_send_ns = send_ns;
    }
  }
  return report;
}

}  // namespace rxbench::traffic_gen
