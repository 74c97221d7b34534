"""From a template to an architecture Document whose spans point into the template."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from ..loader import DEFAULT_LIMITS, Document, Limits, LoadError, load_yaml, read_text
from ..schema.fields import expand, iter_refs
from ..schema.types import resource_field
from . import nested
from .builder import Builder
from .resolve import UNKNOWN, Context, Zone, check_conditions, defaults_in, resolve
from .tags import NOT_READ, long_form
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
    """Load YAML or JSON text, with CloudFormation's short-form tags read as their long forms.

    CloudFormation deploys a template with a duplicate key, keeping the last value: in a template that
    is a warning (`template_document` reports it), elsewhere the usual error.
    """
    duplicates: list = []
    data, source = load_yaml(text, limits, tags=long_form, duplicates=duplicates)
    if duplicates and not is_template(data):
        raise LoadError("E101", duplicates[0][0], duplicates[0][1])
    if duplicates:
        _DUPLICATES[id(source)] = (source, duplicates)
    return data, source


# SourceMap id -> (the map, the duplicate keys of its template), until the template is translated.
_DUPLICATES: dict = {}


def _duplicate_notes(source) -> list:
    _, found = _DUPLICATES.pop(id(source), (None, []))
    why = "CloudFormation deploys the last value and ignores the first, which is rarely what was meant"
    return [("W131", "low", f"{message}: {why}", span, ()) for message, span in found]


def load_template(path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    text = read_text(path, limits)
    data, source = parse(text, limits)
    return template_document(path, text, data, source)


# Pre-passes that rewrite a parsed template into plain CloudFormation before it is translated, each
# `rewrite(data, source) -> data` (SAM's `AWS::Serverless::*` resources: `cloudformation/sam.py`).
REWRITES: list = []


def template_document(name: str, text: str, data: dict, source) -> Document:
    """Translate a parsed template into an architecture document."""
    for rewrite in REWRITES:
        data = rewrite(data, source)
    resources = data.get("Resources")
    if not isinstance(resources, dict):
        raise LoadError("E105", "a CloudFormation template needs a `Resources` mapping", source.locate(()))
    check_conditions(data, source, text)
    ctx = Context(parameters=_parameters(data.get("Parameters")), resources=dict(resources),
                  mappings=_section(data, "Mappings"), conditions=_section(data, "Conditions"),
                  zone_parameters=_zone_parameters(data.get("Parameters")))
    builder = Builder(data, source, ctx)
    stack = os.path.splitext(os.path.basename(name))[0] or "template"
    stack_name = stack if stack not in resources else f"{stack}-stack"
    builder.add(stack_name, "cloudformation_stack", None)
    builder._span(("resources", stack_name), ())
    builder.unknown.add(("resources", stack_name, "drift_detection"))  # set on the deployed stack, not in a template
    notes: list = []
    parts: dict = {}
    _follow(builder, resources, name, nested.root_of(name), (os.path.realpath(name),), notes, parts)
    conditional = _translate_all(builder, resources, stack_name, notes)
    for finish in FINISH:
        finish(builder)
    _drop_broken_references(builder)
    _zones(builder)
    _placement_defaults(builder)
    unknown = set(builder.unknown)
    for logical_id in conditional:  # may not exist at all: every field rests on the condition
        if logical_id in builder.resources:
            unknown.update(("resources", logical_id, field) for field in resource_field(
                builder.resources[logical_id]["type"]).fields or {})
    document = {"version": 1, "name": stack, "resources": builder.resources}
    builder.source.values.setdefault(("version",), source.locate(()))
    notes.extend(_tags_not_read(data, source))
    notes.extend(_duplicate_notes(source))
    return Document(name, document, builder.source, text, frozenset(unknown), text_source=source,
                    notes=tuple(notes), defaults=builder.defaults, parts=parts or None)


def _translate_all(builder: Builder, resources: dict, stack_name: str, notes: list) -> list:
    """Translate each resource of `resources` (helpers in a second pass); the logical ids under an
    undecidable condition."""
    ctx = builder.ctx
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
            if not _translate(builder, logical_id, entry, notes):
                continue
            if logical_id in builder.resources:
                if isinstance(condition, str) and decided is True:
                    names = defaults_in({"Condition": condition}, ctx)
                    if names:
                        builder.defaults.setdefault(("resources", logical_id), sorted(names))
                if decided is UNKNOWN:
                    conditional.append(logical_id)
                if body["Type"] != "AWS::CloudFormation::Stack":
                    builder.resources[logical_id].setdefault("stack", stack_name)
                else:
                    builder.resources[logical_id]["parent"] = stack_name
    return conditional


def _follow(builder: Builder, resources: dict, file: str, root: str, seen: tuple, notes: list, parts: dict) -> None:
    """Read the nested templates of `builder`'s template that are local files, into `builder`.

    Each is translated in its own context (the parameters its parent passes), before the parent's
    resources, so the parent's `!GetAtt Stack.Outputs.Name` finds its outputs.
    """
    ctx = builder.ctx
    for logical_id, body in resources.items():
        if not isinstance(body, dict) or body.get("Type") != "AWS::CloudFormation::Stack":
            continue
        condition = body.get("Condition")
        if isinstance(condition, str) and ctx.condition(condition) is not True:
            continue  # may not be deployed: its outputs stay unknown
        properties = _section(body, "Properties")
        url = resolve(properties.get("TemplateURL"), ctx)
        child = nested.read(logical_id, url, file, root, nested.passed_parameters(properties.get("Parameters"), ctx),
                            seen)
        if child is None:
            continue
        own = child.data["Resources"]
        child_ctx = Context(parameters=child.parameters, resources={**ctx.resources, **own},
                            mappings=_section(child.data, "Mappings"), conditions=_section(child.data, "Conditions"),
                            zone_parameters=_zone_parameters(child.data.get("Parameters")))
        inner = Builder({**child.data, "Resources": {**builder.template["Resources"], **own}}, child.source, child_ctx)
        inner.resources = builder.resources  # one architecture: references across the files resolve
        inner.unknown = builder.unknown
        inner.defaults = builder.defaults
        before = set(builder.resources)
        _follow(inner, own, child.path, root, seen + (os.path.realpath(child.path),), notes, parts)
        _translate_all(inner, own, logical_id, notes)
        for name in set(builder.resources) - before:
            parts[name] = (child.path, inner.source)
        ctx.resources = {**ctx.resources, **own}
        ctx.outputs = {**(ctx.outputs or {}), logical_id: nested.outputs(child, child_ctx)}


def _translate(builder: Builder, logical_id: str, entry: tuple, notes: list) -> bool:
    """Translate one resource; a failure is a finding naming it (E904), and the others are still read.

    An input error (a property of the wrong type) is not caught: CloudFormation rejects the template.
    """
    before = logical_id in builder.resources
    try:
        entry[1](builder, logical_id)
        if logical_id in builder.resources and entry[0] == 0:
            _tags(builder, logical_id)
        return True
    except LoadError:
        raise
    except Exception as error:  # noqa: BLE001 - isolation: one resource the translator cannot read must not hide the rest
        if not before:
            builder.resources.pop(logical_id, None)
        kind = builder.template["Resources"][logical_id].get("Type")
        message = (f"resource `{logical_id}` ({kind}) could not be read: {type(error).__name__}: {error}; "
                   "it is left out and the other resources are checked")
        notes.append(("E904", "error", message, builder.tsource.locate(("Resources", logical_id), on_key=True),
                      ("resources", logical_id)))
        return False


def _tags_not_read(data: Any, source) -> list:
    """One info finding for the tags that are not CloudFormation's (`!Rain::Embed`): their values are unknown."""
    found: list = []
    stack: list = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            if len(value) == 1 and isinstance(next(iter(value)), str) and next(iter(value)).startswith(NOT_READ):
                found.append((path, "!" + next(iter(value))[len(NOT_READ):]))
                continue
            stack.extend((path + (k,), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))
    if not found:
        return []
    found.sort(key=lambda item: (source.locate(item[0]).line, source.locate(item[0]).col))
    tags = sorted({tag for _, tag in found})
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    many = len(tags) > 1
    message = (f"the tag{'s' if many else ''} {', '.join(tags)} {'are' if many else 'is'} not CloudFormation's "
               f"(a tool expands {'them' if many else 'it'} before deployment): here{more}, the value is unknown "
               "and the rest of the template is checked")
    return [("W130", "info", message, source.locate(found[0][0]), ())]


def _placement_defaults(builder: Builder) -> None:
    """A finding about where a resource runs reads the AZs of the subnets it names: when those come from
    parameter defaults, the finding rests on them too."""
    for name, body in builder.resources.items():
        for pattern, _ in ref_patterns(body["type"]):
            if len(pattern) != 1 and not (len(pattern) == 2 and pattern[1] == "*"):
                continue
            found = {parameter for _, target in expand(body, pattern) if isinstance(target, str)
                     for parameter in builder.defaults.get(("resources", target, "az"), ())}
            if found:
                path = ("resources", name, pattern[0])
                builder.defaults[path] = sorted(set(builder.defaults.get(path, ())) | found)


def _zones(builder: Builder) -> None:
    """Symbolic AZs (`!GetAZs`, an AZ parameter without a default) compare only within their family: in a
    template that mixes families (or them and AZ names), the symbolic ones become unknown rather than
    'different'."""
    places = []
    for name, body in builder.resources.items():
        if isinstance(body.get("az"), str):
            places.append((body, "az", ("resources", name, "az")))
        for item in body.get("instances") or () if isinstance(body.get("instances"), list) else ():
            if isinstance(item, dict) and isinstance(item.get("az"), str):
                places.append((item, "az", ("resources", name, "instances")))
    symbolic = [p for p in places if isinstance(p[0][p[1]], Zone)]
    families = {p[0][p[1]].family if isinstance(p[0][p[1]], Zone) else None for p in places}
    for holder, key, path in symbolic:
        if len(families) > 1:
            del holder[key]
            builder.unknown.add(path)
        else:
            holder[key] = str(holder[key])  # plain text from here on (exports, copies)

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


def _section(data: dict, key: str) -> dict:
    """A mapping of the template (`Mappings`, `Conditions`, a resource's `Properties`); empty when not one."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _zone_parameters(parameters: Any) -> dict:
    """The parameters that name AZs: "one" (`AWS::EC2::AvailabilityZone::Name`) or "list" (`List<...>`)."""
    kinds = {"AWS::EC2::AvailabilityZone::Name": "one", "List<AWS::EC2::AvailabilityZone::Name>": "list"}
    return {name: kinds[spec["Type"]] for name, spec in (parameters or {}).items()
            if isinstance(spec, dict) and spec.get("Type") in kinds} if isinstance(parameters, dict) else {}


def _parameters(parameters: Any) -> dict:
    """Each parameter's default (a list for list types, given as comma-separated text), or UNKNOWN."""
    out: dict = {}
    for name, spec in (parameters or {}).items() if isinstance(parameters, dict) else ():
        default = spec.get("Default", UNKNOWN) if isinstance(spec, dict) else UNKNOWN
        kind = spec.get("Type") if isinstance(spec, dict) else None
        if isinstance(kind, str) and (kind.startswith("List<") or kind == "CommaDelimitedList") \
                and isinstance(default, str):
            default = [item.strip() for item in default.split(",")] if default else []
        elif isinstance(default, (dict, list)):
            default = UNKNOWN  # not a value CloudFormation accepts as a default
        out[name] = default
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
            for path, value in reversed(list(expand(body, pattern))):  # later list items first
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
