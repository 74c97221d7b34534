"""Fuzzing the translator per resource type: whatever a property holds, no crash.

Properties are built from the property names the translator reads, with
values of every shape (scalars, lists, mappings, references, conditions,
`AWS::NoValue`, `!GetAZs`). Reading one must end in a document or in an
input error (E2xx) at a position; never in an exception, and never in an
E904 (a resource the translator failed on).
"""
from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wavalidate.cloudformation import template_document, translate
from wavalidate.cloudformation.importer import parse
from wavalidate.loader import LoadError
from wavalidate.schema import validate

with open(translate.__file__, encoding="utf-8") as handle:
    SOURCE = handle.read()
NAMES = sorted(set(re.findall(r'"([A-Z][A-Za-z0-9]+)"', SOURCE)))
TYPES = sorted(translate.TYPES)

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 70000), st.sampled_from(
    ["", "true", "Enabled", "Disabled", "10", "0.0.0.0/0", "tcp", "-1", "aws:kms", "eu-west-1a", "*",
     "arn:aws:s3:::b/*", "application", "HASH", "RANGE"]))
functions = st.one_of(
    st.sampled_from([{"Ref": "Other"}, {"Ref": "Thing"}, {"Ref": "Param"}, {"Ref": "Free"}, {"Ref": "AWS::NoValue"},
                     {"Ref": "AWS::Region"}, {"Fn::GetAtt": ["Other", "Arn"]}, {"Fn::GetAZs": ""},
                     {"Fn::Select": [1, {"Fn::GetAZs": ""}]}, {"Fn::ImportValue": "x"},
                     {"Fn::Sub": "arn:aws:s3:::${Other}/*"}, {"Fn::!Rain::Embed": "x"}]))


def values(children):
    return st.one_of(st.lists(children, max_size=3), st.dictionaries(st.sampled_from(NAMES), children, max_size=4),
                     st.builds(lambda c, a, b: {"Fn::If": [c, a, b]}, st.sampled_from(["Yes", "Maybe"]),
                               children, children))


properties = st.dictionaries(st.sampled_from(NAMES), st.recursive(st.one_of(scalars, functions), values,
                                                                   max_leaves=12), max_size=8)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(TYPES), props=properties)
def test_the_translator_never_crashes(kind, props):
    template = {"AWSTemplateFormatVersion": "2010-09-09",
                "Parameters": {"Param": {"Type": "String", "Default": "prod"}, "Free": {"Type": "String"}},
                "Conditions": {"Yes": {"Fn::Equals": [{"Ref": "Param"}, "prod"]},
                               "Maybe": {"Fn::Equals": [{"Ref": "Free"}, "x"]}},
                "Resources": {"Thing": {"Type": kind, "Properties": props},
                              "Other": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}}}
    text = json.dumps(template, indent=1)
    data, source = parse(text)
    try:
        document = template_document("fuzz.json", text, data, source)
    except LoadError as error:
        assert error.code.startswith("E2"), error
        return
    assert [note for note in document.notes if note[0] == "E904"] == []
    validate(document.data, document.unknown)  # the schema check takes whatever came out
