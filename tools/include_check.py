"""Includes match deps: every project header a C++ file includes is declared by its own
target or by a direct dependency, never reached only through a dependency's dependency.

Bazel 4.2.3 checks this only with clang (`bazel build --config=layering //...`,
layering_check), only for .cc files, and in a full clang build (about 10 minutes on
2 cores). This reads the same facts from `bazel query --output=xml` in seconds and
covers headers too, so CI runs it on every change.

    tools/include_check.py     exit 1 and name each include without a direct dep
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Set

# Quoted includes only: <...> ones are the system's, declared by @system targets.
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


@dataclass
class Rule:
    name: str                       # //pkg:target
    files: List[str] = field(default_factory=list)    # srcs + hdrs, workspace paths
    headers: List[str] = field(default_factory=list)  # what it offers its dependants
    deps: List[str] = field(default_factory=list)


def path_of(label: str) -> str:
    """//pkg/sub:file.h -> pkg/sub/file.h"""
    package, _, name = label[2:].partition(":")
    return f"{package}/{name}" if package else name


def parse_query_xml(text: str) -> Dict[str, Rule]:
    """The project's cc rules from `bazel query --output=xml` (external ones ignored)."""
    rules: Dict[str, Rule] = {}
    elements = list(ET.fromstring(text).iter("rule"))
    # A generated source (a genrule's output) is named by its rule's label.
    generated: Dict[str, List[str]] = {}
    for element in elements:
        if element.get("class") == "genrule":
            outs = [lst for lst in element.iter("list") if lst.get("name") == "outs"]
            generated[element.get("name", "")] = [
                path_of(e.get("value", "")) for lst in outs for e in lst.iter("output")]
    for element in elements:
        if element.get("class") == "genrule":
            continue
        rule = Rule(element.get("name", ""))
        for lst in element.iter("list"):
            labels = [e.get("value", "") for e in lst.iter("label")]
            if lst.get("name") in ("srcs", "hdrs", "textual_hdrs"):
                own = [p for x in labels if x.startswith("//")
                       for p in generated.get(x, [path_of(x)])]
                rule.files += own
                if lst.get("name") != "srcs":
                    rule.headers += own
            elif lst.get("name") == "deps":
                rule.deps += [x for x in labels if x.startswith("//")]
        rules[rule.name] = rule
    return rules


def problems(rules: Dict[str, Rule], read: Callable[[str], str],
             packages: Iterable[str]) -> List[str]:
    """One line per include of a project header (under one of `packages`) that neither
    the including target nor a direct dependency declares."""
    roots = {p.split("/")[0] for p in packages}
    out = []
    for rule in sorted(rules.values(), key=lambda r: r.name):
        allowed: Set[str] = set(rule.files)
        for dep in rule.deps:
            if dep in rules:
                allowed |= set(rules[dep].headers)
        for path in rule.files:
            if not path.endswith((".h", ".cc")):
                continue
            for include in INCLUDE.findall(read(path)):
                if include.split("/")[0] in roots and include not in allowed:
                    out.append(f"{rule.name}: {path} includes {include}, "
                               "which no direct dependency declares")
    return out


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)
    query = subprocess.run(["bazel", "query", 'kind("cc_.*|genrule", //...)', "--output=xml"],
                           capture_output=True, text=True)
    if query.returncode != 0:
        sys.stderr.write(query.stderr)
        print("include_check: bazel query failed", file=sys.stderr)
        return 2
    rules = parse_query_xml(query.stdout)
    packages = {r.name[2:].partition(":")[0] for r in rules.values() if r.name}

    def read(path: str) -> str:
        if not os.path.exists(path):   # generated: its generator's inputs are checked
            return ""
        with open(path, encoding="utf-8") as f:
            return f.read()

    found = problems(rules, read, packages)
    for line in found:
        print(line)
    print(f"include_check: {len(rules)} targets, {len(found)} includes without a direct dep")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
