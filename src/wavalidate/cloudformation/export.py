"""`wavalidate import cloudformation`: a template written out as an architecture file.

The file is a starting point for a design document. It holds what the
template alone decides; every value known only at deploy time is named in a
comment above its resource, with the template line it comes from. A resource
whose *required* fields are unknown cannot be written validly, so it is left
out (in a comment, with the reason), and so are references to it: the
output always passes `wavalidate check` without input errors.
"""
from __future__ import annotations

import copy
from typing import Any

import yaml

from ..loader import Document
from ..schema import validate
from ..schema.fields import expand
from .importer import ref_patterns

_GONE = object()
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=110,
                     allow_unicode=True)


def _line(document: Document, path: tuple) -> str:
    span = document.source.values.get(path)
    return f"line {span.line}" if span is not None else "the template"


def _without_dangling(resources: dict) -> dict[str, list[str]]:
    """Remove references to resources that are not written; {resource: [fields emptied]}."""
    removed: dict[str, list[str]] = {}
    kinds = {name: body.get("type") for name, body in resources.items()}
    for name, body in resources.items():
        for pattern, field in ref_patterns(body["type"]):
            for path, value in list(expand(body, pattern)):
                if isinstance(value, str) and (kinds.get(value) is not None and
                                               ("*" in field.ref or kinds[value] in field.ref)):
                    continue
                parent: Any = body
                for step in path[:-1]:
                    parent = parent[step]
                if isinstance(parent, list):
                    parent[path[-1]] = _GONE  # removed below, so the other indexes stay right
                else:
                    parent.pop(path[-1], None)
                removed.setdefault(name, []).append(str(path[0]))
        for value in body.values():
            if isinstance(value, list) and _GONE in value:
                value[:] = [item for item in value if item is not _GONE]
    for body in resources.values():  # a list emptied by the removals goes too
        for key in [k for k, v in body.items() if v == [] or v == {}]:
            body.pop(key)
    return removed


def architecture_text(document: Document, template_name: str) -> str:
    """The architecture file, with comments, for a translated template document."""
    data = copy.deepcopy(document.data)
    resources: dict = data["resources"]
    unknown: dict[str, list[str]] = {}
    for path in sorted(document.unknown, key=str):
        if len(path) >= 3 and path[0] == "resources":
            unknown.setdefault(path[1], []).append(str(path[2]))
    dropped: dict[str, str] = {}
    emptied: dict[str, list[str]] = {}
    for _ in range(100):  # each round drops at least one resource
        for name, fields in _without_dangling(resources).items():
            emptied.setdefault(name, []).extend(fields)
        problems = [p for p in validate(data) if len(p.path) >= 2 and p.path[0] == "resources"]
        if not problems:
            break
        for problem in problems:
            invalid = str(problem.path[1])
            if invalid in resources:
                dropped[invalid] = problem.message
                resources.pop(invalid)
    out = [f"# Architecture imported from the CloudFormation template {template_name}",
           "# by `wavalidate import cloudformation`. It holds what the template decides by itself;",
           "# values known only at deploy time (parameters without a default, imports, Fn::GetAZs,",
           "# undecidable conditions) are named in comments and left out.",
           "#",
           "# Requirements cannot come from a template: state them here (or in the config file) so",
           "# that availability, RTO/RPO and bandwidth rules can judge the design, e.g.",
           "# requirements:",
           "#   availability: 99.95",
           "#   rto: 1h",
           "#   rpo: 15m",
           ""]
    header = {k: v for k, v in data.items() if k != "resources"}
    out.append(_dump(header).rstrip())
    out.append("resources:")
    for name, body in resources.items():
        notes = []
        fields = sorted(set(unknown.get(name, ())))
        if len(fields) > 6 and "type" in fields:
            where = _line(document, ("resources", name))
            notes.append(f"deployed only under a condition decided at deploy time ({where})")
        elif fields:
            where = ", ".join(f"{f} ({_line(document, ('resources', name, f))})" for f in fields)
            notes.append(f"known only at deploy time: {where}")
        if name in emptied:
            notes.append("left out, naming a resource not written here: " + ", ".join(sorted(set(emptied[name]))))
        for note in notes:
            out.append(f"  # {note}")
        block = _dump({name: body}).rstrip().splitlines()
        out.extend("  " + line for line in block)
    if dropped:
        out.append("")
        out.append("# Left out: required values known only at deploy time")
        for name, reason in dropped.items():
            out.append(f"#   {name} ({_line(document, ('resources', name))}): {reason}")
    return "\n".join(out) + "\n"
