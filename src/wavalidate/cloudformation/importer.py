"""From a template to an architecture Document whose spans point into the template."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from ..loader import DEFAULT_LIMITS, Document, Limits, LoadError, load_yaml, read_text
from ..schema.fields import expand, iter_refs
from ..schema.types import resource_field
from .builder import Builder
from .resolve import UNKNOWN, Context, check_conditions
from .tags import long_form
from .translate import FINISH, TYPES


def is_template(data: Any) -> bool:
    """A CloudFormation template, rather than an architecture file."""
    if not isinstance(data, dict) or "version" in data:
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    resources = data.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(body, dict) and isinstance(body.get("Type"), str) and body["Type"].startswith(("AWS::", "Custom::"))
        for body in resources.values())


def parse(text: str, limits: Limits = DEFAULT_LIMITS):
    """Load YAML or JSON text, with CloudFormation's short-form tags read as their long forms."""
    return load_yaml(text, limits, tags=long_form)


def load_template(path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    text = read_text(path, limits)
    data, source = parse(text, limits)
    return template_document(path, text, data, source)


def template_document(name: str, text: str, data: dict, source) -> Document:
    """Translate a parsed template into an architecture document."""
    resources = data.get("Resources")
    if not isinstance(resources, dict):
        raise LoadError("E105", "a CloudFormation template needs a `Resources` mapping", source.locate(()))
    check_conditions(data, source, text)
    ctx = Context(parameters=_parameters(data.get("Parameters")), resources=resources,
                  mappings=data.get("Mappings") if isinstance(data.get("Mappings"), dict) else {},
                  conditions=data.get("Conditions") if isinstance(data.get("Conditions"), dict) else {})
    builder = Builder(data, source, ctx)
    stack = os.path.splitext(os.path.basename(name))[0] or "template"
    stack_name = stack if stack not in resources else f"{stack}-stack"
    builder.add(stack_name, "cloudformation_stack", None)
    builder._span(("resources", stack_name), ())
    builder.unknown.add(("resources", stack_name, "drift_detection"))  # set on the deployed stack, not in a template
    conditional: list[str] = []
    for phase in (0, 1):
        for logical_id, body in resources.items():
            if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
                continue
            entry = TYPES.get(body["Type"])
            if entry is None or entry[0] != phase:
                continue
            condition = body.get("Condition")
            decided = ctx.condition(condition) if isinstance(condition, str) else True
            if decided is False:
                continue  # the condition is false with the known parameters: not deployed
            entry[1](builder, logical_id)
            if logical_id in builder.resources and entry[0] == 0:
                _tags(builder, logical_id)
            if logical_id in builder.resources:
                if decided is UNKNOWN:
                    conditional.append(logical_id)
                if body["Type"] != "AWS::CloudFormation::Stack":
                    builder.resources[logical_id].setdefault("stack", stack_name)
                else:
                    builder.resources[logical_id]["parent"] = stack_name
    for finish in FINISH:
        finish(builder)
    _drop_broken_references(builder)
    unknown = set(builder.unknown)
    for logical_id in conditional:  # may not exist at all: every field rests on the condition
        unknown.update(("resources", logical_id, field) for field in resource_field(
            builder.resources[logical_id]["type"]).fields or {})
    document = {"version": 1, "name": stack, "resources": builder.resources}
    builder.source.values.setdefault(("version",), source.locate(()))
    return Document(name, document, builder.source, text, frozenset(unknown), text_source=source)


def _tags(builder: Builder, logical_id: str) -> None:
    """`Tags` (a list of Key/Value, or a mapping for a few types) as the `tags` mapping."""
    tags = builder.prop(logical_id, "Tags")
    if tags is None:
        return
    if isinstance(tags, list):
        pairs = [(t.get("Key"), t.get("Value")) for t in tags if isinstance(t, dict)]
    elif isinstance(tags, dict):
        pairs = list(tags.items())
    else:
        pairs = [(UNKNOWN, UNKNOWN)]
    known = all(isinstance(k, str) and isinstance(v, (str, int, float)) and not isinstance(v, bool) for k, v in pairs)
    builder.set(logical_id, "tags", {k: str(v) for k, v in pairs} if known else UNKNOWN,
                builder.tpath(logical_id, "Tags"))


def _parameters(parameters: Any) -> dict:
    out: dict = {}
    for name, spec in (parameters or {}).items() if isinstance(parameters, dict) else ():
        out[name] = spec.get("Default", UNKNOWN) if isinstance(spec, dict) else UNKNOWN
    return out


@lru_cache(maxsize=None)
def ref_patterns(type_name: str) -> tuple:
    """(path pattern, field) of every reference a resource type holds; computed once per type."""
    return tuple(iter_refs(resource_field(type_name)))


def _drop_broken_references(builder: Builder) -> None:
    """A reference to a resource that is not mapped, or of another kind, becomes unknown."""
    kinds = {name: body["type"] for name, body in builder.resources.items()}
    for name, body in builder.resources.items():
        for pattern, field in ref_patterns(body["type"]):
            for path, value in list(expand(body, pattern)):
                if not isinstance(value, str):
                    continue
                target = kinds.get(value)
                if target is not None and ("*" in field.ref or target in field.ref):
                    continue
                _remove(body, path)
                builder.unknown.add(("resources", name, path[0]))


def _remove(body: dict, path: tuple) -> None:
    parent: Any = body
    for step in path[:-1]:
        parent = parent[step]
    if isinstance(parent, list):
        parent[path[-1]] = None
        parent[:] = [item for item in parent if item is not None]
    else:
        parent.pop(path[-1], None)
