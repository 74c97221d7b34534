"""JUnit XML: one test suite per file, one test case per rule and resource, so CI test views show findings."""
from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from ..finding_keys import path_text
from ..findings import Finding, Report
from .escape import xml_text as _x  # every string from the input goes through it


def render(report: Report, **_: object) -> str:
    root = ET.Element("testsuites", name="wavalidate")
    totals: defaultdict[str, int] = defaultdict(int)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.file].append(finding)
    for file in list(report.files) + sorted(set(by_file) - set(report.files)):
        suite = _suite(file, by_file.get(file, []), report)
        root.append(suite)
        for name in ("tests", "failures", "errors", "skipped"):
            totals[name] += int(suite.get(name) or 0)
    for name in ("tests", "failures", "errors", "skipped"):
        root.set(name, str(totals[name]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(file: str, findings: list[Finding], report: Report) -> ET.Element:
    suite = ET.Element("testsuite", name=_x(file))
    counts: defaultdict[str, int] = defaultdict(int)
    errors = [f for f in findings if not f.pillar]
    for finding in errors:  # input problems and internal errors
        case = ET.SubElement(suite, "testcase", classname=f"wavalidate.{finding.code}",
                             name=f"{finding.code} {finding.name} at {finding.line}:{finding.col}".strip(),
                             file=_x(file), line=str(finding.line))
        _outcome(case, [finding], "error" if finding.code.startswith("E") else "failure")
        counts["tests"] += 1
        counts["errors" if finding.code.startswith("E") else "failures"] += 1
    by_rule: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in findings:
        if finding.pillar:
            by_rule[finding.code][finding.resource].append(finding)
    if not any(f.is_input_error for f in findings):  # rules ran: each one is a test
        for rule in report.rules:
            classname = f"wavalidate.{rule.pillar}"
            resources = by_rule.get(rule.code)
            if not resources:
                ET.SubElement(suite, "testcase", classname=classname, name=f"{rule.code} {rule.name}", file=_x(file))
                counts["tests"] += 1
                continue
            for resource in sorted(resources):
                found = resources[resource]
                case = ET.SubElement(suite, "testcase", classname=classname,
                                     name=_x(f"{rule.code} {rule.name}: {resource or '(file)'}"),
                                     file=_x(file), line=str(found[0].line))
                counts["tests"] += 1
                active = [f for f in found if f.suppression is None]
                if active:
                    _outcome(case, active, "failure")
                    counts["failures"] += 1
                else:
                    reasons = "; ".join(sorted({f.suppression.reason for f in found if f.suppression is not None}))
                    ET.SubElement(case, "skipped", message=_x(f"suppressed: {reasons}"))
                    counts["skipped"] += 1
    for name in ("tests", "failures", "errors", "skipped"):
        suite.set(name, str(counts[name]))
    return suite


def _outcome(case: ET.Element, findings: list[Finding], tag: str) -> None:
    first = findings[0]
    element = ET.SubElement(case, tag, message=_x(first.message), type=first.severity)
    element.text = _x("\n".join(f"{f.file}:{f.line}:{f.col}: {f.severity} {f.code} {f.message}"
                                 + (f" [{path_text(f.path)}]" if f.path else "") for f in findings))
