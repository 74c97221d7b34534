"""CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, ...) as their long forms."""
from __future__ import annotations

from typing import Any, Optional

FUNCTIONS = {"Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split",
             "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "ToJsonString", "Length"}


def long_form(tag: str, value: Any) -> Optional[dict]:
    """`!Ref x` -> {"Ref": "x"}, `!GetAtt a.b` -> {"Fn::GetAtt": ["a", "b"]}; None for other tags."""
    name = tag[1:] if tag.startswith("!") else tag
    if name == "Ref":
        return {"Ref": value}
    if name == "Condition":
        return {"Condition": value}
    if name not in FUNCTIONS:
        return None
    if name == "GetAtt" and isinstance(value, str):
        resource, _, attribute = value.partition(".")
        value = [resource, attribute]
    return {f"Fn::{name}": "" if value is None else value}
