// libFuzzer target: harness::ParseRunMessage over an arbitrary datagram, as
// anyone on the network may send to `rxbench recv`'s control port. It must
// read nothing outside the datagram and never throw; what it accepts must
// encode again and parse back to the same run and counts.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "protocol/run_messages.h"

using namespace rxbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An exact-size heap copy, so that ASan's redzone starts right at the end.
  std::unique_ptr<std::uint8_t[]> datagram(new std::uint8_t[size == 0 ? 1 : size]);
  std::copy(data, data + size, datagram.get());
  harness::RunMessage message;
  std::string why;
  if (harness::ParseRunMessage(datagram.get(), size, &message, &why) != harness::RunMessageParse::kMessage) return 0;
  const std::vector<std::uint8_t> again = harness::EncodeRunMessage(message, 1, &why);
  if (again.empty()) return 0;  // accepted, but too large to send again: fine
  harness::RunMessage back;
  if (harness::ParseRunMessage(again.data(), again.size(), &back, &why) != harness::RunMessageParse::kMessage)
    std::abort();
  if (back.kind != message.kind || back.run_id != message.run_id) std::abort();
  if (back.sent.packets_sent != message.sent.packets_sent || back.plan.warmup_packets != message.plan.warmup_packets) {
    std::abort();
  }
  // A part, and its slice of the per-stream counts, is the same part again.
  if (back.part != message.part || back.parts != message.parts || back.first_stream != message.first_stream ||
      back.streams != message.streams || back.sent.stream_sent != message.sent.stream_sent ||
      back.plan.traffic.streams != message.plan.traffic.streams) {
    std::abort();
  }
  return 0;
}
