#include "pools/buffer_kind.h"

namespace rxbench::pools {

const char* ToString(BufferKind kind) {
  switch (kind) {
    case BufferKind::kAlloc: return "alloc";
    case BufferKind::kGstPool: return "gstpool";
    case BufferKind::kFreeList: return "freelist";
    case BufferKind::kRing: return "ring";
  }
  return "?";
}

std::optional<BufferKind> ParseBufferKind(std::string_view name) {
  for (BufferKind k : {BufferKind::kAlloc, BufferKind::kGstPool, BufferKind::kFreeList, BufferKind::kRing}) {
    if (name == ToString(k)) return k;
  }
  return std::nullopt;
}

}  // namespace rxbench::pools
