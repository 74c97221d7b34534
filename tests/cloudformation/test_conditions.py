"""Conditions CloudFormation rejects (undefined or circular) are input errors at the reference, not unknowns."""
from __future__ import annotations

import json

from wavalidate.cloudformation.importer import parse
from wavalidate.cloudformation.resolve import condition_problems
from wavalidate.engine import check_text

BUCKET = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "logs"}}


def template(conditions=None, **resource) -> str:
    body = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Logs": {**BUCKET, **resource}}}
    if conditions is not None:
        body["Conditions"] = conditions
    return json.dumps(body, indent=2)


def only(text: str):
    found = check_text(text, [], "t.json")
    assert len(found) == 1, found
    return found[0]


def test_a_condition_that_refers_to_itself():
    text = template({"Loop": {"Fn::Not": [{"Condition": "Loop"}]}})
    finding = only(text)
    assert (finding.code, finding.line, finding.col) == ("E212", 15, 24)  # the name in the reference
    assert finding.message.startswith("condition `Loop` refers to itself")


def test_a_cycle_through_other_conditions():
    text = template({"A": {"Fn::Or": [{"Condition": "B"}, {"Fn::Equals": ["x", "y"]}]},
                     "B": {"Fn::Not": [{"Condition": "A"}]}})
    finding = only(text)
    assert finding.code == "E212" and "`A` → `B` → `A`" in finding.message
    data, _ = parse(text)
    assert [p[2] for p in condition_problems(data)] == [("Conditions", "B", "Fn::Not", 0, "Condition")]


def test_undefined_conditions_on_a_resource_and_in_an_if():
    text = template({"IsProd": {"Fn::Equals": ["prod", "prod"]}}, Condition="IsProdd")
    finding = only(text)
    assert (finding.code, finding.line, finding.col) == ("E210", 9, 20)
    assert "`IsProdd` is not a condition" in finding.message
    text = template(Properties={"BucketName": {"Fn::If": ["Nowhere", "a", "b"]}})
    finding = only(text)
    assert (finding.code, finding.line, finding.col) == ("E210", 9, 13)
    assert "`Nowhere` is not a condition" in finding.message


def test_short_form_tags_point_at_the_tagged_value():
    text = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n"
            "    Properties:\n      BucketName: !If [Nowhere, a, b]\n")
    finding = only(text)
    assert (finding.code, finding.line) == ("E210", 6)


def test_several_problems_are_counted_in_the_first():
    text = template({"A": {"Condition": "A"}, "B": {"Condition": "Gone"}}, Condition="Missing")
    finding = only(text)
    assert finding.code == "E210" and finding.line == 9  # the first in the file
    assert "(2 more condition problems after this one)" in finding.message


def test_defined_acyclic_conditions_are_fine():
    text = template({"IsProd": {"Fn::Equals": ["prod", "prod"]}, "Both": {"Fn::And": [
        {"Condition": "IsProd"}, {"Condition": "IsProd"}]}}, Condition="Both",
        Properties={"BucketName": {"Fn::If": ["IsProd", "a", "b"]}})
    assert check_text(text, [], "t.json") == []
