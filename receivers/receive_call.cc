#include "receivers/receive_call.h"

#include "receivers/gro_call.h"
#include "receivers/iouring_call.h"
#include "receivers/recvfrom_call.h"
#include "receivers/recvmmsg_call.h"

namespace rxbench::receivers {

std::unique_ptr<ReceiveCall> MakeReceiveCall(RecvKind kind, const ReceiveCallConfig& config,
                                             std::string* error) {
  switch (kind) {
    case RecvKind::kRecvfrom: return std::make_unique<RecvfromCall>(config.fd);
    case RecvKind::kRecvmmsg: return std::make_unique<RecvmmsgCall>(config.fd, config.batch);
    case RecvKind::kIoUring: return MakeIoUringCall(config, error);
    case RecvKind::kGro: return MakeGroCall(config, error);
  }
  *error = "unknown receive call";
  return nullptr;
}

}  // namespace rxbench::receivers
