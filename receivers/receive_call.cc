#include "receivers/receive_call.h"

#include "receivers/gro_call.h"
#include "receivers/iouring_call.h"
#include "receivers/recvfrom_call.h"
#include "receivers/recvmmsg_call.h"

namespace rxbench::receivers {

std::unique_ptr<ReceiveCall> MakeReceiveCall(RecvKind kind, int fd, int batch, const spec::ReceiverSpec& receiver,
                                             std::string* error) {
  switch (kind) {
    case RecvKind::kRecvfrom: return std::make_unique<RecvfromCall>(fd);
    case RecvKind::kRecvmmsg: {
      auto call = std::make_unique<RecvmmsgCall>(fd, batch);
      if (!call->BusyPollWhenIdle(receiver.strategy.wait, receiver.busy_poll_us, error)) return nullptr;
      return call;
    }
    case RecvKind::kIoUring: return MakeIoUringCall(fd, batch, receiver, error);
    case RecvKind::kGro: return MakeGroCall(fd, batch, receiver, error);
  }
  *error = "unknown receive call";
  return nullptr;
}

}  // namespace rxbench::receivers
