"""Each resource type's fields explained where the user is: `wavalidate docs TYPE` and docs/reference.md.

Nested shapes are flattened into dotted paths (`listeners[].protocol`), so every key, however deep,
gets its own line with its meaning, its allowed values and its default.
"""
from __future__ import annotations

import textwrap
from typing import Any, Iterator, Optional

from .fields import AZ, CIDR, CIDR4, DATE, REGION, Field
from .meanings import meaning_of
from .types import BASE, DOCUMENT, REQUIREMENTS, RESOURCE_TYPES

# Pseudo types for the fields that are not one resource type's.
TOPICS = {"common": ("Fields every resource accepts.", BASE),
          "requirements": (REQUIREMENTS.doc, dict(REQUIREMENTS.fields or {})),
          "file": ("The top level of an architecture file.", dict(DOCUMENT.fields or {}))}
_REGEX_EXAMPLES = {AZ: "eu-west-1a", CIDR: "10.0.0.0/24", CIDR4: "10.0.0.0/24", REGION: "eu-west-1",
                   DATE: "2027-01-31"}
_KINDS = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true/false",
          "ports": "port or range", "any": "any value"}


def _inner(f: Field) -> Field:
    """The field a list or a mapping holds, or the field itself."""
    if f.kind == "list" and f.items is not None:
        return f.items
    if f.kind == "mapping" and f.values is not None:
        return f.values
    return f


def shape(f: Field) -> str:
    """What a value of the field looks like: "one of `a`, `b`", "list of names of `subnet`" ..."""
    if f.ref:
        kinds = "any resource" if "*" in f.ref else " or ".join(f"`{t}`" for t in f.ref)
        return f"name of {kinds}"
    if f.kind == "list" and f.items is not None:
        inner = f.items
        if inner.ref:
            kinds = "any resources" if "*" in inner.ref else " or ".join(f"`{t}`" for t in inner.ref)
            return f"list of names of {kinds}"
        return "list of mappings (keys below)" if inner.kind == "object" else f"list of {shape(inner)}"
    if f.kind == "object":
        return "mapping (keys below)"
    if f.kind == "mapping":
        held = f.values
        if held is None:
            return "mapping of names to values"
        return "mapping of names to mappings (keys below)" if held.kind == "object" \
            else f"mapping of names to {shape(held)}"
    if f.allowed:
        return "one of " + ", ".join(f"`{a}`" for a in f.allowed)
    units = f.meta.get("units")
    if units:
        what = {"ms": "duration", "bps": "rate", "B": "size"}.get(units[0], "quantity")
        return f"{what}: a number and a unit ({', '.join(units)})"
    text = _KINDS.get(f.kind, f.kind)
    if f.min is not None and f.max is not None:
        return f"{text}, {f.min:g} to {f.max:g}"
    if f.min is not None:
        return f"{text}, at least {f.min:g}"
    if f.max is not None:
        return f"{text}, at most {f.max:g}"
    return text


def _generated(f: Field) -> bool:
    """The doc is the one `ref`/`refs` write by themselves, which the shape already says."""
    target = f if f.ref else f.items if f.kind == "list" and f.items is not None and f.items.ref else None
    if target is None:
        return False
    kinds = " or ".join(target.ref)
    return f.doc in (f"name of a {kinds} resource", f"names of {kinds} resources")


def meaning(f: Field, type_name: str = "", path: str = "") -> str:
    """The field's doc, with the doc of what it holds when that says more (else the filled-in meaning)."""
    own, inner = ("" if _generated(f) else f.doc), _inner(f)
    if inner is not f and inner.doc and inner.doc != own and not inner.ref:
        return f"{own}; each: {inner.doc}" if own else inner.doc
    return own or (meaning_of(type_name, path) if path else "")


def default_of(f: Field) -> Optional[str]:
    if f.default is None:
        return None
    return str(f.default).lower() if isinstance(f.default, bool) else str(f.default)


def flatten(fields: dict, prefix: str = "") -> Iterator[tuple[str, Field]]:
    """(dotted path, field) for every key, nested keys after their parent."""
    for name, f in fields.items():
        path = prefix + name
        yield path, f
        inner = _inner(f)
        if inner.kind == "object" and inner.fields:
            step = "[]." if f.kind == "list" else ".<name>." if f.kind == "mapping" else "."
            yield from flatten(dict(inner.fields), path + step)


def _example_value(f: Field, name: str) -> Any:
    if f.example is not None:
        return f.example
    if f.default is not None:
        return f.default
    if f.kind in ("integer", "number") and f.min is not None:
        return int(f.min) if f.min >= 1 else 1
    if f.ref:
        return f"my-{f.ref[0].replace('_', '-')}" if "*" not in f.ref else "some-resource"
    if f.kind == "string" and not f.allowed and not f.regex:
        return f"your-{name.replace('_', '-')}"
    if f.allowed:
        return f.allowed[0]
    if f.kind == "list":
        return [_example_value(f.items, name)] if f.items is not None else []
    if f.kind == "object":
        return {k: _example_value(v, k) for k, v in (f.fields or {}).items() if v.required} or {}
    if f.kind == "mapping":
        return {"key": _example_value(f.values, "value")} if f.values is not None else {}
    if f.regex in _REGEX_EXAMPLES:
        return _REGEX_EXAMPLES[f.regex]
    units = f.meta.get("units") or ()
    if units:
        return {"s": "30s", "bps": "1Gbps", "B": "100GiB"}.get(units[1] if units[0] == "ms" else units[0], "1")
    return {"integer": 1, "number": 1, "boolean": True, "string": name, "ports": 443}.get(f.kind, name)


def example(type_name: str) -> str:
    """A short YAML example: the required fields and the first few others."""
    _, _, fields = RESOURCE_TYPES[type_name]
    chosen = [k for k, f in fields.items() if f.required]
    chosen += [k for k, f in fields.items() if not f.required and f.kind != "any" and f.default is None
               and f.kind != "string" or (f.ref and not f.required)][:max(0, 4 - len(chosen))]
    lines = [f"  my-{type_name.replace('_', '-')}:", f"    type: {type_name}"]
    for key in chosen:
        value = _example_value(fields[key], key)
        lines.append(f"    {key}: {_yaml(value)}")
    return "\n".join(lines)


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    return str(value)


def type_text(name: str, width: int = 100) -> str:
    """The plain-text page of one resource type (or `common`, `requirements`, `file`)."""
    if name in TOPICS:
        doc, fields = TOPICS[name]
        out = [f"{name}: {doc}", ""]
    else:
        category, doc, fields = RESOURCE_TYPES[name]
        from ..render.icons import icon_class
        icon = icon_class(name)
        out = [f"{name} ({category}): {doc}",
               f"Drawn with the `diagrams` icon {icon}." if icon else "Drawn with a generic icon.", ""]
        out += textwrap.wrap("Every resource also takes the common fields (type, region, az, subnets, tags, "
                             "requirements ...): see `wavalidate docs common`. A resource's Region comes from its "
                             "own `region`, else from its AZ or subnets, else its VPC; list the Regions and their "
                             "AZs in the top-level `regions` block.", width) + [""]
    out.append("Fields:" if fields else "(only the common fields)")
    for path, f in flatten(dict(fields)):
        depth = path.count(".")
        head = "  " * (depth + 1) + path + (" (required)" if f.required else "")
        detail, said = shape(f), meaning(f, name, path)
        if said:
            detail += f". {said[0].upper()}{said[1:]}"
        if default_of(f) is not None:
            detail += f". Default: {default_of(f)}"
        indent = "  " * (depth + 3)
        out.append(head)
        out.extend(textwrap.wrap(detail, width, initial_indent=indent, subsequent_indent=indent))
    if name not in TOPICS:
        out += ["", "Example:", "resources:", example(name)]
    return "\n".join(out) + "\n"


def type_list() -> str:
    """Every resource type, by category, with its one-line description."""
    by_category: dict[str, list[str]] = {}
    for name, (category, doc, _) in RESOURCE_TYPES.items():
        by_category.setdefault(category, []).append(f"  {name:<30} {doc}")
    out = ["Resource types (`wavalidate docs TYPE` for one type's fields; also: common, requirements, file):"]
    for category in sorted(by_category):
        out += ["", f"{category}:"] + sorted(by_category[category])
    return "\n".join(out) + "\n"
