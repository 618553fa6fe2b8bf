#include "pools/freelist_source.h"

#include "pools/freelist_node.h"

namespace rxbench::pools {
namespace {

using freelist::Node;
using freelist::Shared;

void Bump(std::atomic<std::uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace

FreeListSource::FreeListSource(std::size_t buffer_size, std::size_t pool_size)
    : buffer_size_(buffer_size), shared_(new Shared) {
  std::size_t slots = 16;
  while (slots < pool_size) slots <<= 1;
  ring_.resize(slots);
  for (std::size_t i = 0; i < pool_size; ++i) PushBack(NewNode());
  warmup_allocations_ = allocations_.load(std::memory_order_relaxed);
}

FreeListSource::~FreeListSource() {
  Node* const returned = freelist::Close(shared_);
  Node* idle = nullptr;
  while (count_ > 0) {
    Node* node = PopFront();
    node->next = idle;
    idle = node;
  }
  freelist::FreeAll(idle);
  freelist::FreeAll(returned);
  shared_->Unref();
}

Node* FreeListSource::NewNode() {
  Bump(allocations_);
  return freelist::NewNode(shared_, buffer_size_, freelist::RecycleOnDispose);
}

void FreeListSource::Refill() {
  // The stack comes newest first: pushing each at the front leaves the oldest
  // return at the head, so reuse stays first-in first-out.
  for (Node* n = shared_->returned.TakeAll(); n != nullptr; n = n->next) PushFront(n);
  // Buffers the pipeline kept are replaced, so the list stays at pool_size.
  const std::uint64_t discarded = shared_->discarded.load(std::memory_order_relaxed);
  for (; replaced_ < discarded; ++replaced_) PushBack(NewNode());
}

void FreeListSource::PushBack(Node* node) {
  ring_[(head_ + count_) & (ring_.size() - 1)] = node;
  ++count_;
}

void FreeListSource::PushFront(Node* node) {
  head_ = (head_ - 1) & (ring_.size() - 1);
  ring_[head_] = node;
  ++count_;
}

Node* FreeListSource::PopFront() {
  Node* node = ring_[head_];
  head_ = (head_ + 1) & (ring_.size() - 1);
  --count_;
  return node;
}

bool FreeListSource::TryAcquire(PacketSlot* slot) {
  if (count_ == 0) Refill();
  if (count_ == 0) {
    Bump(exhausted_);
    return false;
  }
  Node* node = PopFront();
  slot->buffer = node->buffer;
  slot->data = node->memory.data;
  slot->capacity = node->memory.memory.maxsize;
  slot->mapped = false;
  return true;
}

GstBuffer* FreeListSource::Finish(PacketSlot* slot) {
  GstBuffer* buffer = slot->buffer;
  // Resizing within the memory's maxsize only moves its size field.
  gst_buffer_set_size(buffer, static_cast<gssize>(slot->length));
  *slot = PacketSlot{};
  return buffer;
}

void FreeListSource::Release(PacketSlot* slot) {
  // Unused: back on the private list without touching the shared stack. It
  // never left this thread, so it is reused next.
  PushFront(freelist::NodeOf(gst_buffer_peek_memory(slot->buffer, 0)));
  shared_->recycled.fetch_add(1, std::memory_order_relaxed);
  *slot = PacketSlot{};
}

BufferSourceStats FreeListSource::stats() const {
  BufferSourceStats s;
  s.allocations = allocations_.load(std::memory_order_relaxed);
  s.warmup_allocations = warmup_allocations_;
  s.exhausted = exhausted_.load(std::memory_order_relaxed);
  s.recycled = shared_->recycled.load(std::memory_order_relaxed);
  s.discarded = shared_->discarded.load(std::memory_order_relaxed);
  return s;
}

}  // namespace rxbench::pools
