"""Which part of the reports package imports which: the graph the layering rules are
checked on (import_graph_test.py), and printed for a person by running this file.

A node is a sub-package (folder: `html`, `sweep`, ...) or a module at the top
(`usage.py`, `optional.py`): the top's modules are the shared leaves and the
dispatcher, and lumping them together would show a cycle no import makes. Tests are
left out: a test may import whatever it checks. Besides `import` statements, a
module named in a string to `import_optional(...)` counts: it is imported later,
but it is imported.

    python3 reports/import_graph.py [--edges]
"""
import ast
import os
import sys
from typing import Dict, Iterator, List, Optional, Set, Tuple

PACKAGE = "reports"
LAZY_IMPORTERS = {"import_optional", "import_module"}

Edges = Dict[Tuple[str, str], List[str]]


def node_of(module: str, root_modules: Set[str]) -> Optional[str]:
    """The graph node of a dotted module name inside the package, or None outside it."""
    parts = module.split(".")
    if parts[0] != PACKAGE or len(parts) < 2:
        return None
    if parts[1] in root_modules:
        return parts[1] + ".py"
    return parts[1]


def imported_modules(tree: ast.AST, package: str) -> Iterator[str]:
    """Dotted names a module imports, relative imports resolved against `package`."""
    for item in ast.walk(tree):
        if isinstance(item, ast.Import):
            yield from (alias.name for alias in item.names)
        elif isinstance(item, ast.ImportFrom):
            base = item.module or ""
            if item.level:
                parent = package.split(".")[:len(package.split(".")) - item.level + 1]
                base = ".".join(parent + ([base] if base else []))
            yield base
            # `from reports import html` imports the sub-package html.
            yield from (f"{base}.{alias.name}" for alias in item.names)
        elif isinstance(item, ast.Call) and item.args \
                and getattr(item.func, "id", getattr(item.func, "attr", None)) in LAZY_IMPORTERS \
                and isinstance(item.args[0], ast.Constant) \
                and isinstance(item.args[0].value, str):
            yield item.args[0].value


def edges(package_dir: str) -> Edges:
    """{(from node, to node): [file that imports]} for every import between nodes."""
    root_modules = {f[:-3] for f in os.listdir(package_dir) if f.endswith(".py")}
    out: Edges = {}
    for directory, dirs, files in os.walk(package_dir):
        dirs[:] = sorted(d for d in dirs if d not in ("testdata", "__pycache__"))
        for name in sorted(files):
            if not name.endswith(".py") or name.endswith("_test.py"):
                continue
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, os.path.dirname(package_dir))
            dotted = relative[:-3].replace(os.sep, ".")
            package = dotted.rsplit(".", 1)[0]
            here = node_of(dotted, root_modules)
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read(), path)
            for module in imported_modules(tree, package):
                there = node_of(module, root_modules)
                if there and here and there != here:
                    out.setdefault((here, there), []).append(os.path.relpath(path, package_dir))
    return out


def cycles(edge_map: Edges) -> List[List[str]]:
    """Every strongly connected group of more than one node (Tarjan), each sorted."""
    graph: Dict[str, Set[str]] = {}
    for a, b in edge_map:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def describe(edge_map: Edges) -> str:
    lines = []
    for node in sorted({a for a, _ in edge_map}):
        targets = sorted(b for a, b in edge_map if a == node)
        lines.append(f"{node} -> {', '.join(targets)}")
    return "\n".join(lines)


def main(argv: List[str]) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    edge_map = edges(here)
    print(describe(edge_map))
    if "--edges" in argv:
        for (a, b), files in sorted(edge_map.items()):
            print(f"  {a} -> {b}: {', '.join(sorted(set(files)))}")
    found = cycles(edge_map)
    for group in found:
        print("cycle: " + " <-> ".join(group))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
