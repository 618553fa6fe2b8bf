#include "receivers/receiver.h"

#include "receivers/null_receiver.h"
#include "receivers/receive_loop.h"

namespace rxbench::receivers {

std::unique_ptr<Receiver> MakeReceiver(const ReceiverConfig& config) {
  switch (config.spec->strategy.receiver) {
    case ReceiverKind::kLoop: return std::make_unique<ReceiveLoop>(config);
    case ReceiverKind::kNull: return std::make_unique<NullReceiver>(config);
    case ReceiverKind::kUdpsrc: break;
  }
  return nullptr;
}

}  // namespace rxbench::receivers
