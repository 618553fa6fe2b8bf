#!/usr/bin/env bash
# Runs clang-tidy 14 with .clang-tidy's checks over the project's C++ sources (every
# .cc tracked by git; third_party/ and Bazel's external/ left out) and fails on any
# finding. clang-tidy needs compile_commands.json, which Bazel 4.2.3 cannot write:
# tools/compile_commands.py makes it from `bazel aquery`. Nothing is compiled; only
# what the compiles read must exist (generated headers, the links to external
# repositories in Bazel's execution root), which Bazel builds first. Another Bazel
# command in this workspace while it runs replants those links: wait for it to end.
#   tools/tidy_check.sh              every tracked .cc
#   tools/tidy_check.sh FILE.cc...   only these (for a quick look at your change)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

clang_tidy="${CLANG_TIDY:-clang-tidy-14}"
run_clang_tidy="${RUN_CLANG_TIDY:-run-clang-tidy-14}"
for tool in "$clang_tidy" "$run_clang_tidy"; do
  if ! command -v "$tool" >/dev/null; then
    echo "tidy_check: $tool not found; install Debian's clang-tidy" \
      "(listed in bootstrap/debian-test-packages.txt)" >&2
    exit 2
  fi
done

# The same flags as ./rxbench's build, so that Bazel's analysis and disk cache are shared.
bazel_flags=(-c opt "--disk_cache=${XDG_CACHE_HOME:-$HOME/.cache}/rxbench/bazel-disk-cache")
bazel build "${bazel_flags[@]}" --noshow_progress \
  --output_groups=compilation_prerequisites_INTERNAL_ //...
/usr/bin/python3 tools/compile_commands.py

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  # fuzz/ is built by fuzz/run.sh with clang++ outside Bazel, so no aquery lists it.
  mapfile -t files < <(git ls-files -- '*.cc' ':!:third_party/**' ':!:fuzz/**')
fi
# A file no compile lists would be skipped without a word: it is an error instead.
/usr/bin/python3 - "${files[@]}" <<'PY'
import json, sys
listed = {entry["file"] for entry in json.load(open("compile_commands.json"))}
missing = [f for f in sys.argv[1:] if f not in listed]
if missing:
    print("tidy_check: no Bazel target compiles these, so clang-tidy cannot check them:",
          *missing, sep="\n  ", file=sys.stderr)
    sys.exit(2)
PY

# run-clang-tidy takes regular expressions over the database's absolute paths.
patterns=()
for f in "${files[@]}"; do
  patterns+=("/$(printf '%s' "$f" | sed 's/[.[\*^$+?(){}|]/\\&/g')\$")
done
# .clang-tidy turns every finding into an error, so any finding fails the run. Headers
# are checked through the files that include them; system headers (-isystem) are not.
# gcc's warning options that clang lacks (the database keeps gcc's command) are not
# findings. run-clang-tidy always colours its output: plain text unless on a terminal.
colour=(cat)
[ -t 1 ] || colour=(sed 's/\x1b\[[0-9;]*m//g')
"$run_clang_tidy" -clang-tidy-binary "$(command -v "$clang_tidy")" -p "$root" \
  -j "$(nproc)" -quiet -extra-arg=-Wno-unknown-warning-option "${patterns[@]}" | "${colour[@]}"
