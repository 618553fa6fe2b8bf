"""The package's folders import one another without a cycle: data flows one way,
results -> statistics -> rendering -> the commands, and a renderer is fed, never
imported back by what it renders (reports/import_graph.py draws the graph)."""
import os
import tempfile
import unittest
from typing import Dict

import reports
from reports import import_graph

# The source tree, not Bazel's runfiles: runfiles hold only the modules some target
# depends on, and a module no target lists must be checked too.
PACKAGE_DIR = os.path.dirname(os.path.realpath(reports.__file__))


class ThisPackage(unittest.TestCase):
    def test_no_cycle_between_folders(self) -> None:
        edge_map = import_graph.edges(PACKAGE_DIR)
        found = import_graph.cycles(edge_map)
        where = {" <-> ".join(group): sorted(
            f"{a} -> {b} ({', '.join(sorted(set(files)))})"
            for (a, b), files in edge_map.items() if a in group and b in group)
            for group in found}
        self.assertEqual(found, [], f"import cycles between folders: {where}")

    def test_the_graph_sees_the_package(self) -> None:
        # A walk that found nothing would pass the test above without checking anything.
        edge_map = import_graph.edges(PACKAGE_DIR)
        self.assertIn(("ci", "stats"), edge_map)
        self.assertIn(("html", "usage.py"), edge_map)


class Detection(unittest.TestCase):
    """The checker itself, on a made-up package."""

    def package(self, files: Dict[str, str]) -> str:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        root = os.path.join(tmp.name, "reports")
        for path, text in files.items():
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as f:
                f.write(text)
        return root

    def test_a_cycle_through_a_lazy_import_is_found(self) -> None:
        root = self.package({
            "__init__.py": "", "usage.py": "",
            "a/__init__.py": "", "a/x.py": "from reports.b import y\nfrom reports import usage\n",
            "b/__init__.py": "", "b/y.py": "import_optional('reports.a.x')\n",
            "b/y_test.py": "from reports.a import x\n",
        })
        edge_map = import_graph.edges(root)
        self.assertEqual(set(edge_map), {("a", "b"), ("a", "usage.py"), ("b", "a")})
        self.assertEqual(import_graph.cycles(edge_map), [["a", "b"]])

    def test_relative_imports_and_tests_left_out(self) -> None:
        root = self.package({
            "__init__.py": "",
            "a/__init__.py": "", "a/x.py": "from ..b import y\nfrom . import z\n",
            "a/z.py": "",
            "b/__init__.py": "", "b/y.py": "", "b/y_test.py": "from reports.a import x\n",
        })
        edge_map = import_graph.edges(root)
        self.assertEqual(set(edge_map), {("a", "b")})
        self.assertEqual(import_graph.cycles(edge_map), [])


if __name__ == "__main__":
    unittest.main()
