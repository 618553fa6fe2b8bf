// The RTP wire format (rtp/rtp_packet.h) on the per-packet path: the receiver
// parses and validates every header; the generator writes every packet; the
// sink probe reads the probe and may check the payload pattern. 1200-byte
// packets (1188-byte payload), as the push and receive families use.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

#include "benchmarks/counter_scope.h"
#include "rtp/rtp_packet.h"

namespace rxbench::benchmarks {
namespace {

constexpr std::size_t kPacketBytes = 1200;
constexpr std::size_t kPayloadBytes = kPacketBytes - rtp::kHeaderBytes;

rtp::Header SampleHeader(std::uint64_t index) {
  rtp::Header header;
  header.sequence = static_cast<std::uint16_t>(index);
  header.timestamp = static_cast<std::uint32_t>(index * 3000);
  header.ssrc = 0x52584245;
  return header;
}

void BM_RtpParseHeader(benchmark::State& state) {
  std::array<std::uint8_t, kPacketBytes> packet{};
  rtp::WritePacket(SampleHeader(7), rtp::Probe{1, 7}, kPayloadBytes, packet.data());
  CounterScope scope(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(packet.data());  // re-read the bytes every time
    rtp::Header header;
    std::size_t offset = 0;
    const rtp::ParseError error = rtp::ParseHeader(packet.data(), packet.size(), &header, &offset);
    benchmark::DoNotOptimize(error);
    benchmark::DoNotOptimize(header);
    benchmark::DoNotOptimize(offset);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RtpWriteHeader(benchmark::State& state) {
  std::array<std::uint8_t, rtp::kHeaderBytes> out{};
  std::uint64_t index = 0;
  CounterScope scope(state);
  for (auto _ : state) {
    rtp::WriteHeader(SampleHeader(index++), out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RtpReadProbe(benchmark::State& state) {
  std::array<std::uint8_t, kPacketBytes> packet{};
  rtp::WritePacket(SampleHeader(7), rtp::Probe{1, 7}, kPayloadBytes, packet.data());
  CounterScope scope(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(packet.data());
    benchmark::DoNotOptimize(rtp::ReadProbe(packet.data() + rtp::kHeaderBytes));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RtpWritePacket(benchmark::State& state) {
  std::array<std::uint8_t, kPacketBytes> out{};
  std::uint64_t index = 0;
  CounterScope scope(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        rtp::WritePacket(SampleHeader(index), rtp::Probe{index, index}, kPayloadBytes, out.data()));
    ++index;
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kPacketBytes));
}

void BM_RtpCheckPattern(benchmark::State& state) {
  std::array<std::uint8_t, kPacketBytes> packet{};
  rtp::WritePacket(SampleHeader(7), rtp::Probe{1, 7}, kPayloadBytes, packet.data());
  const std::uint8_t* payload = packet.data() + rtp::kHeaderBytes;
  CounterScope scope(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(payload);
    const bool ok = rtp::CheckPattern(7, payload, kPayloadBytes);
    benchmark::DoNotOptimize(ok);
  }
  if (!rtp::CheckPattern(7, payload, kPayloadBytes)) state.SkipWithError("pattern mismatch");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kPayloadBytes));
}

BENCHMARK(BM_RtpParseHeader)->Name("BM_Rtp/ParseHeader");
BENCHMARK(BM_RtpWriteHeader)->Name("BM_Rtp/WriteHeader");
BENCHMARK(BM_RtpReadProbe)->Name("BM_Rtp/ReadProbe");
BENCHMARK(BM_RtpWritePacket)->Name("BM_Rtp/WritePacket/bytes:1200");
BENCHMARK(BM_RtpCheckPattern)->Name("BM_Rtp/CheckPattern/bytes:1200");

}  // namespace
}  // namespace rxbench::benchmarks
