"""A fast yes/no validator compiled from the same fields as the cerberus schema.

Cerberus gives the messages, but spends about a millisecond per resource; on
a 50,000-resource file that is most of the run. Valid documents are the common
case, so each resource is first checked by a compiled predicate, and only the
ones it rejects go to cerberus for messages. A property test keeps the two in
agreement.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from .fields import PORTS, Field

Check = Callable[[Any], bool]

_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "mapping": lambda v: isinstance(v, dict),
    "ports": lambda v: isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)),
    "any": lambda v: True,
}


def compile_field(f: Field) -> Check:
    """A predicate that is True exactly when cerberus accepts the value."""
    is_type = _TYPES[f.kind]
    allowed = frozenset(f.allowed) if f.allowed else None
    pattern = f.regex or (PORTS if f.kind == "ports" else None)
    # cerberus anchors a pattern at the end itself when it does not.
    regex = re.compile(pattern if pattern is None or pattern.endswith("$") else pattern + "$") if pattern else None
    low, high = f.min, f.max
    items = compile_field(f.items) if f.kind == "list" and f.items is not None else None
    values = compile_field(f.values) if f.kind == "mapping" and f.values is not None else None
    children = {k: compile_field(v) for k, v in (f.fields or {}).items()} if f.kind == "object" else None
    required = tuple(k for k, v in (f.fields or {}).items() if v.required) if f.kind == "object" else ()

    def check(value: Any) -> bool:
        if value is None or not is_type(value):
            return False
        if allowed is not None and value not in allowed:
            return False
        if regex is not None and isinstance(value, str) and not regex.match(value):
            return False
        if low is not None and isinstance(value, (int, float)) and value < low:
            return False
        if high is not None and isinstance(value, (int, float)) and value > high:
            return False
        if items is not None:
            return all(items(item) for item in value)
        if values is not None:
            return all(isinstance(k, str) and values(v) for k, v in value.items())
        if children is not None:
            for key, item in value.items():
                child = children.get(key)
                if child is None or not child(item):
                    return False
            return all(key in value for key in required)
        return True
    return check
