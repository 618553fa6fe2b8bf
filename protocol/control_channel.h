// The two ends of the control channel of a run split over two processes (or
// hosts): the generator's side announces its run (run_messages.h) to the
// receiver's RTP port + 1; the receiver's side listens there and keeps what
// the run's sender said. Nothing else passes between the halves but the
// media packets themselves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/message_assembly.h"
#include "protocol/run_messages.h"
#include "traffic_gen/udp_sender.h"

namespace rxbench::harness {

// RFC 3550's convention: RTCP on the RTP port + 1.
inline std::uint16_t ControlPortFor(std::uint16_t rtp_port) { return static_cast<std::uint16_t>(rtp_port + 1); }

class ControlSender {
 public:
  // False with *error when host:port cannot be resolved or connected.
  bool Open(const std::string& host, std::uint16_t port, std::string* error);
  // Sends the message (all its parts) kRunMessageRepeats times,
  // kRunMessageRepeatGapMs apart (a datagram can be lost); false with *error
  // when it could not be encoded or a part never left this host.
  bool Announce(const RunMessage& message, std::uint32_t ssrc, std::string* error);

 private:
  traffic_gen::UdpSender socket_;
};

class ControlListener {
 public:
  ControlListener() = default;
  ~ControlListener();
  ControlListener(const ControlListener&) = delete;
  ControlListener& operator=(const ControlListener&) = delete;

  // Binds bind_host:port; false with *error (a port in use, say).
  bool Open(const std::string& bind_host, std::uint16_t port, std::string* error);

  // Reads every datagram waiting, without blocking. The first plan fixes the
  // run id (or, without a plan, the first message); later messages of another
  // run are counted in foreign_run() and otherwise ignored, repeats of a kind
  // (or part) already held are dropped. A message in parts is held once all
  // its parts are in.
  void Poll();

  const std::optional<RunPlan>& plan() const { return plan_; }
  const std::optional<traffic_gen::GeneratorReport>& warmup_done() const { return warmup_done_.whole(); }
  const std::optional<traffic_gen::GeneratorReport>& end() const { return end_.whole(); }
  // The end's parts in so far, of how many (0 of 0: none came).
  std::uint32_t end_parts_held() const { return end_.parts_held(); }
  std::uint32_t end_parts() const { return end_.parts(); }
  const std::string& run_id() const { return run_id_; }
  std::uint64_t not_ours() const { return not_ours_; }  // other RTCP (a real sender's SR, BYE)
  std::uint64_t malformed() const { return malformed_; }
  std::uint64_t foreign_run() const { return foreign_run_; }
  const std::string& last_problem() const { return last_problem_; }

 private:
  void Take(const RunMessage& message);

  int fd_ = -1;
  std::string run_id_;
  std::optional<RunPlan> plan_;
  MessageAssembly warmup_done_, end_;
  std::uint64_t not_ours_ = 0, malformed_ = 0, foreign_run_ = 0;
  std::string last_problem_;
};

}  // namespace rxbench::harness
