"""A violation's `related` paths reach the report as resolved locations: text, SARIF and JSON show them."""
from __future__ import annotations

import json
import textwrap

import jsonschema

from wavalidate.engine import check_text
from wavalidate.findings import Report
from wavalidate.formats import json_format, sarif, text

from .formats.common import SCHEMA

ARCH = textwrap.dedent("""\
    version: 1
    resources:
      vpc: {type: vpc, cidr: 10.0.0.0/16}
      app-a:
        type: subnet
        vpc: vpc
        cidr: 10.0.0.0/24
        az: eu-west-1a
      app-b:
        type: subnet
        vpc: vpc
        cidr: 10.0.0.128/25
        az: eu-west-1b
    """)


def report(rules):
    overlap = [r for r in rules if r.code == "REL102"]
    findings = check_text(ARCH, overlap, name="net.yaml")
    return Report(findings, ["net.yaml"], overlap)


def test_related_paths_become_locations(rules):
    [finding] = report(rules).findings
    assert (finding.line, finding.col) == (12, 11)
    [related] = finding.related
    assert related.path == ("resources", "app-a", "cidr") and (related.span.line, related.span.col) == (7, 11)


def test_text_names_the_related_location_on_a_second_line(rules):
    lines = text.render(report(rules)).splitlines()
    assert lines[0].startswith("net.yaml:12:11: high REL102 ")
    assert lines[1] == "  related: net.yaml:7:11 resources.app-a.cidr"


def test_sarif_carries_related_locations(rules):
    document = json.loads(sarif.render(report(rules)))
    with open(SCHEMA, encoding="utf-8") as handle:
        jsonschema.Draft4Validator(json.load(handle)).validate(document)
    [result] = document["runs"][0]["results"]
    [related] = result["relatedLocations"]
    assert related["id"] == 0 and related["message"]["text"] == "resources.app-a.cidr"
    assert related["physicalLocation"]["region"]["startLine"] == 7


def test_json_lists_related_locations(rules):
    [finding] = json.loads(json_format.render(report(rules)))["findings"]
    assert finding["related"] == [{"line": 7, "column": 11, "path": ["resources", "app-a", "cidr"]}]


def test_garbage_in_related_is_reported(rules):
    from wavalidate.api import Violation, rule

    @rule("TEST-REL001", severity="low", title="t")
    def bad_related(arch):
        yield Violation(("resources", "vpc"), "m", related="resources.vpc")

    [finding] = check_text(ARCH, [bad_related.__wavalidate_rule__], name="net.yaml")
    assert finding.code == "E902"
