"""A property of the wrong type is a positioned input error, and a value known only at deploy time crashes no rule."""
from __future__ import annotations

from wavalidate.engine import check_text
from wavalidate.plugins import load_rules

API = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Protocol: {Type: String}
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
      ProtocolType: %s
"""


def test_a_mapping_for_a_string_property_is_e201_at_it():
    found = check_text(API % "{x: 5}", load_rules()[0], "t.yaml")
    assert [(f.code, f.line, f.col) for f in found] == [("E201", 9, 7)]
    assert "must be a string, not a mapping" in found[0].message


def test_sec750_reads_a_protocol_known_only_at_deploy_time():
    rules = [r for r in load_rules()[0] if r.code in ("SEC750", "REL750")]
    found = check_text(API % "!Ref Protocol", rules, "t.yaml")
    assert not [f for f in found if f.code.startswith("E")], found  # it crashed on `None.upper()` (E900)
