#include "receivers/null_receiver.h"

#include "receivers/gro_call.h"
#include "receivers/multi_socket_call.h"
#include "receivers/read_gate.h"
#include "receivers/receiver_thread.h"

namespace rxbench::receivers {

bool NullReceiver::Start(std::string* error) {
  // null+gro reads coalesced datagrams, each into room for a whole one.
  const bool gro = config_.spec->strategy.recv == RecvKind::kGro;
  std::vector<int> fds{config_.fd};
  fds.insert(fds.end(), config_.more_fds.begin(), config_.more_fds.end());
  call_ = MakeSocketsCall(gro ? RecvKind::kGro : RecvKind::kRecvmmsg, fds, config_.spec->batch, *config_.spec, error);
  if (!call_) return false;
  slot_bytes_ =
      gro ? (config_.gro_buffer_size != 0 ? config_.gro_buffer_size : GroBufferBytes(config_.spec->buffer_size))
          : config_.spec->buffer_size;
  memory_.resize(slot_bytes_ * static_cast<std::size_t>(config_.spec->batch));
  return Launch(error);
}

void NullReceiver::Run() {
  SetUpReceiverThread("rxnull", config_);

  std::vector<pools::PacketSlot> slots(config_.spec->batch);
  for (int i = 0; i < config_.spec->batch; ++i) {
    slots[i].data = memory_.data() + static_cast<std::size_t>(i) * slot_bytes_;
    slots[i].capacity = slot_bytes_;
  }
  const bool gro = config_.spec->strategy.recv == RecvKind::kGro;
  ReadGate* const gate = config_.read_gate;
  bool stop = false;
  while (!stop) {
    ReceiverStats delta;
    // Lock-step: only the round the generator has queued (read_gate.h).
    const int asked = gate == nullptr ? config_.spec->batch : gate->Limit(config_.spec->batch);
    if (asked == 0) {
      stop = sync_->PublishAndCheckStop(delta);
      continue;
    }
    const int received = call_->Receive(slots.data(), asked, &delta);
    const bool failed = EndsOnError(received, gro ? "gro" : "recvmmsg");
    const int n = received > 0 ? received : 0;
    // Counted per datagram of the sender: a coalesced one is all its segments.
    for (int i = 0; i < n; ++i) {
      delta.bytes += slots[i].length;
      delta.packets += slots[i].segments;
      if (slots[i].truncated) delta.truncated += slots[i].segments;
    }
    // Nothing the null receiver takes reaches a pipeline: none is refused.
    if (gate != nullptr) gate->Took(asked, delta.packets, 0);
    stop = sync_->PublishAndCheckStop(delta) || failed;
  }
  result_.left_in_receive_call = call_->StopReceiving();
  FinishResult();
  result_.received_per_socket = call_->received_per_socket();
  if (result_.received_per_socket.empty()) result_.received_per_socket = {result_.stats.packets};
}

}  // namespace rxbench::receivers
