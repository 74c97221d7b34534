"""A small vocabulary for the format's fields, compiled to cerberus and JSON Schema.

Each field is declared once; the cerberus schema (validation), the JSON Schema
(editors) and the reference table (names that must exist) all come from it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping  # not typing.Mapping: 3x slower in isinstance, on the hot path
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any, Iterator, Optional

from ..units import DURATION_UNITS, RATE_UNITS, SIZE_UNITS


def _quantity(units: tuple) -> str:
    return r"^[0-9]+(\.[0-9]+)?\s*(" + "|".join(re.escape(u) for u in units) + ")$"


DURATION = _quantity(DURATION_UNITS)
BANDWIDTH = _quantity(RATE_UNITS)
SIZE = _quantity(SIZE_UNITS)
CIDR4 = r"^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$"
CIDR = r"^(([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}|[0-9a-fA-F:]+/[0-9]{1,3})$"
REGION = r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$"
# A zone name, or an AZ a CloudFormation template names symbolically: AZ #i (`!Select [i, !GetAZs '']`),
# AZ (`!Ref ZoneParameter`).
AZ = r"^([a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+([a-z]|-[a-z0-9-]+)|AZ (#[0-9]+ )?\(`![A-Za-z]+ [^`]+`\))$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PORTS = r"^([0-9]{1,5}(-[0-9]{1,5})?|all|\*)$"


@dataclass(frozen=True)
class Field:
    kind: str  # string, integer, number, boolean, list, object, mapping, any, ports
    doc: str = ""
    required: bool = False
    allowed: tuple = ()
    regex: Optional[str] = None
    min: Optional[float] = None
    max: Optional[float] = None
    items: Optional["Field"] = None
    fields: Optional[Mapping[str, "Field"]] = None
    values: Optional["Field"] = None
    ref: tuple = ()          # resource types a name must refer to; ("*",) for any
    default: Any = None
    example: Any = None
    meta: Mapping[str, Any] = _field(default_factory=dict)

    def but(self, **changes: Any) -> "Field":
        return Field(**{**self.__dict__, **changes})


def text(doc: str = "", **kw: Any) -> Field:
    return Field("string", doc, **kw)


def choice(*allowed: str, doc: str = "", **kw: Any) -> Field:
    return Field("string", doc, allowed=tuple(allowed), **kw)


def integer(doc: str = "", **kw: Any) -> Field:
    return Field("integer", doc, **kw)


def number(doc: str = "", **kw: Any) -> Field:
    return Field("number", doc, **kw)


def flag(doc: str = "", **kw: Any) -> Field:
    return Field("boolean", doc, **kw)


def listof(item: Field, doc: str = "", **kw: Any) -> Field:
    return Field("list", doc, items=item, **kw)


def obj(doc: str = "", required: bool = False, **fields: Field) -> Field:
    return Field("object", doc, required=required, fields=fields)


def mapping(values: Field, doc: str = "", **kw: Any) -> Field:
    return Field("mapping", doc, values=values, **kw)


def anything(doc: str = "", **kw: Any) -> Field:
    return Field("any", doc, **kw)


def ref(*types: str, doc: str = "", **kw: Any) -> Field:
    return Field("string", doc or f"name of a {' or '.join(types)} resource", ref=types or ("*",), **kw)


def refs(*types: str, doc: str = "", **kw: Any) -> Field:
    return listof(ref(*types), doc or f"names of {' or '.join(types)} resources", **kw)


def duration(doc: str = "", **kw: Any) -> Field:
    return Field("string", doc or "a duration such as 30s, 15m, 4h, 7d or 10y", regex=DURATION,
                 meta={"units": DURATION_UNITS}, **kw)


def bandwidth(doc: str = "", **kw: Any) -> Field:
    return Field("string", doc or "a rate such as 500Mbps, 2.5Gbps or 5MB/s", regex=BANDWIDTH,
                 meta={"units": RATE_UNITS}, **kw)


def size(doc: str = "", **kw: Any) -> Field:
    return Field("string", doc or "a size such as 200MB, 6GiB or 2PB", regex=SIZE, meta={"units": SIZE_UNITS},
                 **kw)


def cidr(doc: str = "", **kw: Any) -> Field:
    return Field("string", doc or "a CIDR block such as 10.0.0.0/16", regex=CIDR, **kw)


def region(doc: str = "", **kw: Any) -> Field:
    return Field("string", doc or "a Region code such as eu-west-1", regex=REGION, **kw)


def az(doc: str = "", **kw: Any) -> Field:
    return Field("string", doc or "an Availability Zone or Local Zone name such as eu-west-1a", regex=AZ, **kw)


def ports(doc: str = "", **kw: Any) -> Field:
    return Field("ports", doc or "a port (443), a range (1024-65535) or all", **kw)


def policy(doc: str = "an IAM policy document (JSON as YAML)", **kw: Any) -> Field:
    return Field("any", doc, meta={"policy": True}, **kw)


# -- compilation ------------------------------------------------------------

def to_cerberus(f: Field) -> dict:
    """The cerberus rules of one field."""
    rules: dict = {}
    if f.kind == "string":
        rules["type"] = "string"
    elif f.kind == "integer":
        rules["type"] = "integer"
    elif f.kind == "number":
        rules["type"] = "number"
    elif f.kind == "boolean":
        rules["type"] = "boolean"
    elif f.kind == "ports":
        rules["type"] = ["integer", "string"]
    elif f.kind == "list":
        rules["type"] = "list"
        if f.items is not None:
            rules["schema"] = to_cerberus(f.items)
    elif f.kind == "object":
        rules["type"] = "dict"
        rules["schema"] = {name: to_cerberus(child) for name, child in (f.fields or {}).items()}
    elif f.kind == "mapping":
        rules["type"] = "dict"
        rules["keysrules"] = {"type": "string"}
        if f.values is not None:
            rules["valuesrules"] = to_cerberus(f.values)
    if f.required:
        rules["required"] = True
    if f.allowed:
        rules["allowed"] = list(f.allowed)
    if f.regex:
        rules["regex"] = f.regex
    if f.kind == "ports":
        rules["regex"] = PORTS
    if f.min is not None:
        rules["min"] = f.min
    if f.max is not None:
        rules["max"] = f.max
    return rules


def to_jsonschema(f: Field) -> dict:
    """The JSON Schema of one field, for editors."""
    out: dict = {}
    if f.doc:
        out["description"] = f.doc
    if f.kind == "string":
        out["type"] = "string"
    elif f.kind == "integer":
        out["type"] = "integer"
    elif f.kind == "number":
        out["type"] = "number"
    elif f.kind == "boolean":
        out["type"] = "boolean"
    elif f.kind == "ports":
        out["anyOf"] = [{"type": "integer", "minimum": 0, "maximum": 65535},
                        {"type": "string", "pattern": PORTS}]
    elif f.kind == "list":
        out["type"] = "array"
        if f.items is not None:
            out["items"] = to_jsonschema(f.items)
    elif f.kind == "object":
        children = f.fields or {}
        out["type"] = "object"
        out["properties"] = {name: to_jsonschema(child) for name, child in children.items()}
        out["additionalProperties"] = False
        required = sorted(name for name, child in children.items() if child.required)
        if required:
            out["required"] = required
    elif f.kind == "mapping":
        out["type"] = "object"
        if f.values is not None:
            out["additionalProperties"] = to_jsonschema(f.values)
    if f.allowed:
        out["enum"] = list(f.allowed)
    if f.regex:
        out["pattern"] = f.regex
    if f.min is not None:
        out["minimum"] = f.min
    if f.max is not None:
        out["maximum"] = f.max
    if f.default is not None:
        out["default"] = f.default
    return out


def field_at(root: Field, path: tuple) -> Optional[Field]:
    """The declared field at a path inside `root`, or None."""
    current: Optional[Field] = root
    for step in path:
        if current is None:
            return None
        if current.kind == "list":
            current = current.items
        elif current.kind == "object":
            current = (current.fields or {}).get(step)
        elif current.kind == "mapping":
            current = current.values
        else:
            return None
    return current


def iter_refs(f: Field, path: tuple = ()):
    """Yield (path pattern, field) for every reference; '*' stands for any key or index."""
    if f.ref:
        yield path, f
    if f.kind == "list" and f.items is not None:
        yield from iter_refs(f.items, path + ("*",))
    elif f.kind == "object":
        for name, child in (f.fields or {}).items():
            yield from iter_refs(child, path + (name,))
    elif f.kind == "mapping" and f.values is not None:
        yield from iter_refs(f.values, path + ("*",))


def expand(value: Any, pattern: tuple, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Yield (path, value) for each place a pattern from iter_refs matches in `value`."""
    if not pattern:
        yield path, value
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from expand(item, rest, path + (index,))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield from expand(item, rest, path + (key,))
    elif isinstance(value, Mapping) and step in value:
        yield from expand(value[step], rest, path + (step,))
