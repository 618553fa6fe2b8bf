"""JUnit XML, which Jenkins and GitLab show natively: one <testcase> per check, a
<failure> for each that failed, <skipped> for each that could not be judged."""
from dataclasses import dataclass
from typing import Optional
from xml.etree import ElementTree


@dataclass(frozen=True)
class Case:
    classname: str              # e.g. "rxbench.ci.combined-list"
    name: str                   # e.g. "cpu_ns_per_packet_receive_path"
    failure: Optional[str] = None
    skipped: Optional[str] = None
    details: str = ""           # the numbers behind the outcome, for the test's output


def junit_xml(suite, cases):
    failures = sum(1 for c in cases if c.failure)
    skipped = sum(1 for c in cases if c.skipped and not c.failure)
    root = ElementTree.Element("testsuites", name=suite, tests=str(len(cases)),
                               failures=str(failures))
    node = ElementTree.SubElement(root, "testsuite", name=suite, tests=str(len(cases)),
                                  failures=str(failures), errors="0", skipped=str(skipped))
    for case in cases:
        element = ElementTree.SubElement(node, "testcase", classname=case.classname,
                                         name=case.name, time="0")
        if case.failure:
            failure = ElementTree.SubElement(element, "failure", message=case.failure,
                                             type="regression")
            failure.text = case.details
        elif case.skipped:
            ElementTree.SubElement(element, "skipped", message=case.skipped)
        if case.details:
            ElementTree.SubElement(element, "system-out").text = case.details
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + \
        ElementTree.tostring(root, encoding="unicode") + "\n"
