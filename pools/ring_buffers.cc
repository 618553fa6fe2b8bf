#include "pools/ring_buffers.h"

#include <sys/mman.h>

namespace rxbench::pools {

RingMemory::RingMemory(std::uint8_t* base_in, std::size_t bytes_in, std::size_t buffers)
    : base(base_in), bytes(bytes_in), nodes(new ReturnNode[buffers]) {
  for (std::size_t i = 0; i < buffers; ++i) {
    nodes[i].memory = this;
    nodes[i].bid = static_cast<std::uint16_t>(i);
  }
}

RingMemory::~RingMemory() { munmap(base, bytes); }

// Must not touch `node` after the push (the receiver may already be reusing
// it), nor `memory` after the unref.
void ReturnToRing(gpointer data) {
  auto* node = static_cast<ReturnNode*>(data);
  RingMemory* memory = node->memory;
  memory->returned.Push(node);
  memory->Unref();
}

}  // namespace rxbench::pools
