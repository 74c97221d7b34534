"""CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, ...) as their long forms."""
from __future__ import annotations

from typing import Any, Optional

FUNCTIONS = {"Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split",
             "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "ToJsonString", "Length"}


NOT_READ = "Fn::!"  # prefix of the key that stands for a tag CloudFormation's own parser would not know


def long_form(tag: str, value: Any) -> Optional[dict]:
    """`!Ref x` -> {"Ref": "x"}, `!GetAtt a.b` -> {"Fn::GetAtt": ["a", "b"]}.

    Another local tag (a tool's, such as `!Rain::Embed`, which the tool expands before deployment)
    becomes a function no one evaluates, so its value is unknown and the rest of the file is read.
    """
    if not tag.startswith("!"):
        return None
    name = tag[1:]
    if name == "Ref":
        return {"Ref": value}
    if name == "Condition":
        return {"Condition": value}
    if name not in FUNCTIONS:
        return {NOT_READ + name: "" if value is None else value}
    if name == "GetAtt" and isinstance(value, str):
        resource, _, attribute = value.partition(".")
        value = [resource, attribute]
    return {f"Fn::{name}": "" if value is None else value}
