// Where buffers come back from the pipeline: a lock-free, intrusive stack that
// any thread may push onto (the thread dropping a buffer's last reference) and
// one thread empties (the receiver). The consumer takes the whole stack at
// once, so there is no ABA problem and no lock on either side. Nodes need a
// `Node* next` member, owned by the stack while the node is on it.
#pragma once

#include <atomic>

namespace rxbench::pools {

template <typename Node>
class ReturnStack {
 public:
  // Any thread.
  void Push(Node* node) {
    Node* head = head_.load(std::memory_order_relaxed);
    do {
      node->next = head;
    } while (!head_.compare_exchange_weak(head, node, std::memory_order_release, std::memory_order_relaxed));
  }

  // Any single thread at a time: everything pushed so far, newest first, linked
  // through `next`; nullptr when empty.
  Node* TakeAll() { return head_.exchange(nullptr, std::memory_order_acquire); }

  bool empty() const { return head_.load(std::memory_order_acquire) == nullptr; }

 private:
  std::atomic<Node*> head_{nullptr};
};

}  // namespace rxbench::pools
