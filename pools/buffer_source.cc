#include "pools/buffer_source.h"

#include "pools/alloc_source.h"
#include "pools/freelist_source.h"
#include "pools/gstpool_source.h"

namespace rxbench::pools {

const char* ToString(BufferKind kind) {
  switch (kind) {
    case BufferKind::kAlloc: return "alloc";
    case BufferKind::kGstPool: return "gstpool";
    case BufferKind::kFreeList: return "freelist";
  }
  return "?";
}

std::optional<BufferKind> ParseBufferKind(std::string_view name) {
  for (BufferKind k : {BufferKind::kAlloc, BufferKind::kGstPool, BufferKind::kFreeList}) {
    if (name == ToString(k)) return k;
  }
  return std::nullopt;
}

std::unique_ptr<BufferSource> MakeBufferSource(const BufferSourceConfig& config) {
  switch (config.kind) {
    case BufferKind::kAlloc: return std::make_unique<AllocSource>(config.buffer_size);
    case BufferKind::kGstPool: return std::make_unique<GstPoolSource>(config.buffer_size, config.pool_size);
    case BufferKind::kFreeList: return std::make_unique<FreeListSource>(config.buffer_size, config.pool_size);
  }
  return nullptr;
}

}  // namespace rxbench::pools
