#include "receivers/null_receiver.h"

#include "receivers/receiver_thread.h"

namespace rxbench::receivers {

bool NullReceiver::Start(std::string* error) {
  ReceiveCallConfig call_config;
  call_config.fd = config_.fd;
  call_config.batch = config_.batch;
  call_ = MakeReceiveCall(RecvKind::kRecvmmsg, call_config, error);
  if (!call_) return false;
  memory_.resize(config_.buffer_size * static_cast<std::size_t>(config_.batch));
  Launch();
  return true;
}

void NullReceiver::Run() {
  SetUpReceiverThread("rxnull", config_);

  std::vector<pools::PacketSlot> slots(config_.batch);
  for (int i = 0; i < config_.batch; ++i) {
    slots[i].data = memory_.data() + static_cast<std::size_t>(i) * config_.buffer_size;
    slots[i].capacity = config_.buffer_size;
  }
  bool stop = false;
  while (!stop) {
    ReceiverStats delta;
    const int n = call_->Receive(slots.data(), config_.batch, &delta);
    for (int i = 0; i < n; ++i) {
      delta.bytes += slots[i].length;
      if (slots[i].truncated) ++delta.truncated;
    }
    delta.packets = static_cast<std::uint64_t>(n);
    stop = sync_->PublishAndCheckStop(delta);
  }

  FinishResult();
}

}  // namespace rxbench::receivers
