#!/usr/bin/env bash
# Checks that every C++ file tracked by git (.cc and .h, third_party/ excluded) is
# formatted as .clang-format says, with clang-format 14. CI runs it on a clean
# checkout, which has no base revision to diff against, so the whole tree is
# checked; it takes a few seconds.
#   tools/format_check.sh          fail (exit 1) and name each misformatted file
#   tools/format_check.sh --fix    rewrite those files in place
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# The version is pinned: another clang-format formats some lines differently.
clang_format="${CLANG_FORMAT:-clang-format-14}"
if ! command -v "$clang_format" >/dev/null; then
  echo "format_check: $clang_format not found; install Debian's clang-format" \
    "(listed in bootstrap/debian-test-packages.txt)" >&2
  exit 2
fi

fix=0
case "${1:-}" in
  "") ;;
  --fix) fix=1 ;;
  *) echo "usage: tools/format_check.sh [--fix]" >&2; exit 2 ;;
esac

mapfile -t files < <(git ls-files -- '*.cc' '*.h' ':!:third_party/**')
if [ "${#files[@]}" -eq 0 ]; then
  echo "format_check: no C++ files tracked under $root" >&2
  exit 2
fi

if [ "$fix" -eq 1 ]; then
  "$clang_format" -i --style=file "${files[@]}"
  echo "format_check: formatted ${#files[@]} files in place"
  exit 0
fi

# --dry-run --Werror prints each misformatted spot as "FILE:LINE:COL: error: ...".
# Only the files are listed here: the spots can run to thousands of lines.
status=0
report="$("$clang_format" --dry-run --Werror --style=file "${files[@]}" 2>&1)" || status=$?
mapfile -t bad < <(sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' \
  <<<"$report" | sort -u)
# A failure that names no file (a broken .clang-format, a crash) is not a clean tree.
if [ "$status" -ne 0 ] && [ "${#bad[@]}" -eq 0 ]; then
  echo "$report" >&2
  echo "format_check: $clang_format failed (exit $status)" >&2
  exit 2
fi
if [ "${#bad[@]}" -eq 0 ]; then
  echo "format_check: ${#files[@]} files formatted as .clang-format says"
  exit 0
fi
printf '%s\n' "${bad[@]}"
echo "format_check: ${#bad[@]} of ${#files[@]} files are not formatted as .clang-format says." >&2
echo "  See what would change: $clang_format --dry-run --style=file FILE" >&2
echo "  Fix them all:          tools/format_check.sh --fix" >&2
exit 1
