"""The JUnit XML parses back with the structure CI systems read."""
import unittest
from xml.etree import ElementTree

from reports.render.junit import Case, junit_xml


class JUnit(unittest.TestCase):
    def test_parses_back(self):
        text = junit_xml("rxbench ci", [
            Case("rxbench.ci.iouring", "cpu_ns_per_packet_receive_path",
                 failure="1.15x slower [1.12, 1.18] > 5 % threshold", details="p=0.0001 <&>"),
            Case("rxbench.ci.iouring", "latency_p50_ns", skipped="not measured"),
            Case("rxbench.ci.combined-list", "cpu_ns_per_packet_receive_path",
                 details="no significant change"),
        ])
        root = ElementTree.fromstring(text.encode("utf-8"))
        self.assertEqual(root.tag, "testsuites")
        suite = root.find("testsuite")
        self.assertEqual((suite.get("tests"), suite.get("failures"), suite.get("skipped")),
                         ("3", "1", "1"))
        cases = suite.findall("testcase")
        self.assertEqual([c.get("classname") for c in cases],
                         ["rxbench.ci.iouring", "rxbench.ci.iouring",
                          "rxbench.ci.combined-list"])
        failure = cases[0].find("failure")
        self.assertEqual(failure.get("message"), "1.15x slower [1.12, 1.18] > 5 % threshold")
        self.assertEqual(failure.text, "p=0.0001 <&>")
        self.assertIsNotNone(cases[1].find("skipped"))
        self.assertIsNone(cases[2].find("failure"))

    def test_declaration(self):
        self.assertTrue(junit_xml("s", []).startswith('<?xml version="1.0" encoding="UTF-8"?>'))


if __name__ == "__main__":
    unittest.main()
