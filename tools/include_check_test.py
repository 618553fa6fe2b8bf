"""tools/include_check.py on a real query's XML (rtp/ and commands' generated summaries,
tools/testdata/include_check_query.xml) with file contents the test chooses."""
import os
import sys
import unittest
from typing import Dict, List

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import include_check  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "testdata", "include_check_query.xml"), encoding="utf-8") as f:
    RULES = include_check.parse_query_xml(f.read())
PACKAGES = ["rtp", "commands"]


def check(contents: Dict[str, str]) -> List[str]:
    return include_check.problems(RULES, lambda path: contents.get(path, ""), PACKAGES)


class IncludeCheck(unittest.TestCase):
    def test_own_headers_and_a_direct_deps_headers_are_allowed(self) -> None:
        self.assertEqual(check({
            "rtp/datagram_check.h": '#include "rtp/rtp_packet.h"\n',
            "rtp/datagram_check.cc": '#include "rtp/datagram_check.h"\n#include <vector>\n',
        }), [])

    def test_a_header_reached_only_through_no_dep_is_named(self) -> None:
        found = check({"rtp/rtcp_app.h": '#include "rtp/rtp_packet.h"\n'})
        self.assertEqual(len(found), 1)
        self.assertIn("//rtp:rtcp_app: rtp/rtcp_app.h includes rtp/rtp_packet.h", found[0])

    def test_a_dependencys_sources_are_not_its_headers(self) -> None:
        found = check({"rtp/datagram_check.cc": '#include "rtp/rtp_packet.cc"\n'})
        self.assertEqual(len(found), 1)

    def test_a_generated_source_counts_as_the_targets_own(self) -> None:
        self.assertEqual(check({
            "commands/subcommand_summary.cc": '#include "commands/subcommand_summaries.inc"\n',
        }), [])

    def test_includes_outside_the_project_are_left_to_the_compiler(self) -> None:
        self.assertEqual(check({"rtp/rtcp_app.cc": '#include "gst/gst.h"\n'}), [])


if __name__ == "__main__":
    unittest.main()
