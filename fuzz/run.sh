#!/bin/bash
# Builds each libFuzzer target with clang++-14 (ASan + UBSan), runs it for
# SECONDS (default 60) on its seed corpus, and prints executions per second
# and total executions from libFuzzer's final stats. Exits non-zero when a
# target crashes or fails to build. New inputs go to a scratch copy, so the
# committed corpus stays small; a crash leaves its input under fuzz/out/.
#
#   fuzz/run.sh [SECONDS]         from the repository root (or anywhere)
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/fuzz/out"
mkdir -p "$out"
cxx="${CXX:-clang++-14}"
flags=(-std=c++17 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -O1 -g -I"$root")

# target: its sources besides the fuzzer itself
# What each target links: the .cc files of the library it fuzzes and of
# everything that library depends on in this workspace, as Bazel's graph has
# them (a list kept by hand here went stale when the generator grew files).
# clang builds them outside Bazel because Bazel's toolchain here is gcc,
# which has no libFuzzer.
declare -A libraries=(
  [parse_header_fuzzer]="//rtp:datagram_check + //rtp:probe_extension"
  [classify_stream_fuzzer]=//rtp:datagram_check
  [control_messages_fuzzer]=//receivers:control_messages
  [run_messages_fuzzer]=//protocol:run_messages
)
sources_of() {
  (cd "$root" && bazel query --noshow_progress "kind('source file', deps($1))" 2>/dev/null) |
    sed -n 's|^//\([^:]*\):\(.*\.cc\)$|\1/\2|p'
}

status=0
for target in parse_header_fuzzer classify_stream_fuzzer control_messages_fuzzer run_messages_fuzzer; do
  srcs=("$root/fuzz/$target.cc")
  mapfile -t deps < <(sources_of "${libraries[$target]}")
  if [[ ${#deps[@]} -eq 0 ]]; then
    echo "$target: bazel query found no sources for ${libraries[$target]}"
    status=1
    continue
  fi
  for s in "${deps[@]}"; do srcs+=("$root/$s"); done
  if ! "$cxx" "${flags[@]}" "${srcs[@]}" -o "$out/$target" 2>"$out/$target.build.log"; then
    echo "$target: build failed (see $out/$target.build.log)"
    status=1
    continue
  fi
  scratch="$out/$target.corpus"
  rm -rf "$scratch"
  mkdir -p "$scratch"
  log="$out/$target.log"
  rc=0
  (cd "$out" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "./$target" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$out/$target-" \
    "$scratch" "$root/fuzz/corpus/$target") >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [[ $rc -ne 0 ]]; then
    echo "$target: CRASH (exit $rc) after ${runs:-?} executions; see $log"
    grep -m3 -E "ERROR|runtime error|SUMMARY" "$log" || true
    status=1
  else
    echo "$target: ${rate:-?} exec/s, ${runs:-?} executions in ${seconds} s"
  fi
done
exit $status
