# subcommands.txt -> the C++ initialisers {"name", "summary"}, of the lines
# whose second field is `harness` (the subcommands the binary implements).
/^#/ || NF == 0 { next }
$2 == "harness" {
  summary = $0
  sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", summary)
  gsub(/\\/, "\\\\", summary)
  gsub(/"/, "\\\"", summary)
  printf "    {\"%s\", \"%s\"},\n", $1, summary
}
