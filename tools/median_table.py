#!/usr/bin/python3
"""A Markdown table of per-strategy medians from one or more compare.json files,
for the dated results pages: one row per (file, strategy), one column per
field, each cell the median over the file's repetitions with [min–max] when
they differ. A file may carry a label (LABEL=PATH), printed as the first
column, so that runs of one command at different settings (1, 8, 64 streams)
make one table.

    tools/median_table.py --fields cpu_ns_per_packet_receive_path,latency_p99_ns \\
        "1 stream=/tmp/s1/compare.json" "8 streams=/tmp/s8/compare.json"

A field is a key of a results entry; a dotted key reads inside an object
(frames.damaged). Fields in ns are shown in µs when --us lists them, and
fractions in per cent when --pct lists them.
With --across FIELD instead of --fields: one field, one row per strategy and
one column per file and path (a compare over --path loopback,veth names its
veth rows STRATEGY+path=veth; they go to the file's "veth" column).

Only repetitions that ran (ok) count; a field unknown (null) in any of them
is "-", as on the console: unknown, never a median of the others.
"""
import argparse
import json
import statistics
import sys
from typing import Any, Dict, List, Optional, Tuple


def read_field(entry: Dict[str, Any], field: str) -> Optional[float]:
    value: Any = entry
    for part in field.split("."):
        if not isinstance(value, dict) or value.get(part) is None:
            return None
        value = value[part]
    return float(value) if isinstance(value, (int, float)) else None


def repetitions(path: str) -> Dict[str, List[Dict[str, Any]]]:
    """The ok repetitions of each strategy, in the file's order."""
    with open(path) as f:
        results = json.load(f)
    by_strategy: Dict[str, List[Dict[str, Any]]] = {}
    for entry in results["benchmarks"]:
        if entry.get("run_type") == "iteration" and entry.get("ok"):
            by_strategy.setdefault(entry["strategy"], []).append(entry)
    return by_strategy


def known(entries: List[Dict[str, Any]], field: str) -> List[float]:
    """The field in every entry, or [] when any lacks it."""
    values = [read_field(e, field) for e in entries]
    return [v for v in values if v is not None] if None not in values else []


def cell(values: List[float], scale: float, digits: int) -> str:
    if not values:
        return "-"
    scaled = [v * scale for v in values]
    median = f"{statistics.median(scaled):,.{digits}f}"
    low, high = min(scaled), max(scaled)
    if f"{low:.{digits}f}" == f"{high:.{digits}f}":
        return median
    return f"{median} [{low:,.{digits}f}–{high:,.{digits}f}]"


def table(files: List[Tuple[str, str]], fields: List[str], in_us: List[str], digits: int,
          in_pct: Optional[List[str]] = None) -> str:
    in_pct = in_pct or []
    header = ["", "strategy", "n"] + [
        f + (" (µs)" if f in in_us else " (%)" if f in in_pct else "") for f in fields]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, path in files:
        for strategy, entries in repetitions(path).items():
            row = [label, strategy, str(len(entries))]
            for field in fields:
                values = known(entries, field)
                scale = 1e-3 if field in in_us else 100.0 if field in in_pct else 1.0
                row.append(cell(values, scale, digits))
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def across(files: List[Tuple[str, str]], field: str, scale: float, digits: int) -> str:
    columns: List[str] = []
    cells: Dict[str, Dict[str, str]] = {}
    for label, path in files:
        for strategy, entries in repetitions(path).items():
            name, _, on_path = strategy.partition("+path=")
            column = f"{label} {on_path or entries[0].get('path') or 'loopback'}".strip()
            if column not in columns:
                columns.append(column)
            values = known(entries, field)
            cells.setdefault(name, {})[column] = cell(values, scale, digits)
    lines = ["| strategy | " + " | ".join(columns) + " |", "|" + "---|" * (len(columns) + 1)]
    for name, row in cells.items():
        lines.append(f"| {name} | " + " | ".join(row.get(c, "") for c in columns) + " |")
    return "\n".join(lines)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", help="compare.json, or LABEL=compare.json")
    fields = parser.add_mutually_exclusive_group(required=True)
    fields.add_argument("--fields", help="comma-separated entry fields")
    fields.add_argument("--across", help="one field: a column per file and path")
    parser.add_argument("--us", default="", help="fields in ns to show in µs")
    parser.add_argument("--pct", default="", help="fractions to show in per cent")
    parser.add_argument("--digits", type=int, default=0, help="decimals (default 0)")
    args = parser.parse_args(argv)
    files = [tuple(f.split("=", 1)) if "=" in f else ("", f) for f in args.files]
    if args.across:
        field = args.across
        in_pct = field in args.pct.split(",")
        scale = 1e-3 if field in args.us.split(",") else 100.0 if in_pct else 1.0
        print(across([(str(a), str(b)) for a, b in files], field, scale, args.digits))
        return 0
    print(table([(str(a), str(b)) for a, b in files], args.fields.split(","),
                [f for f in args.us.split(",") if f], args.digits,
                [f for f in args.pct.split(",") if f]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
