"""Nested stacks whose `TemplateURL` is a local file (as before `aws cloudformation package`), followed.

The nested template is read with the parameters its parent passes, and its
resources join the parent's architecture as `Stack/LogicalId`, so rules see
one design across the files. Its outputs answer the parent's
`!GetAtt Stack.Outputs.Name`. Only files under the root (the repository
holding the top template) are read: no absolute paths, no `..` out of it, no
symbolic links leading out; anything else keeps the nested stack's outputs
unknown, as for a URL.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Optional

from .. import files
from ..loader import DEFAULT_LIMITS, Limits, LoadError, read_text
from ..locations import SourceMap
from .resolve import _VARIABLE, UNKNOWN, Context, Reference, resolve

MAX_DEPTH = 5


@dataclass
class Nested:
    """A nested template read for the stack `logical_id` of its parent."""

    logical_id: str
    path: str             # the file, as it is named in findings
    text: str
    data: dict            # the nested template, its logical ids prefixed with `logical_id/`
    source: SourceMap     # positions in the nested file, by the prefixed paths
    parameters: dict      # name -> value passed by the parent (or the nested default)


def root_of(path: str) -> str:
    """The folder nested templates must stay in: the command line's repository root when it set one,
    else the repository (the nearest folder with `.git`) holding the top template, else its folder."""
    current = files.policy()
    if current is not None:
        return current.root
    return files.repository_root(os.path.dirname(os.path.realpath(path)) or ".")


def local_path(url: Any, parent: str, root: str) -> Optional[str]:
    """The file a `TemplateURL` names when it is a relative path that stays under `root`; None otherwise."""
    if not isinstance(url, str) or not url or "://" in url or url.startswith(("/", "\\", "~")) \
            or re.match(r"^[A-Za-z]:", url):
        return None
    candidate = os.path.normpath(os.path.join(os.path.dirname(parent), url))
    if not files.inside(os.path.realpath(candidate), os.path.realpath(root)) or not os.path.isfile(candidate):
        return None  # outside the root (through `..` or a symbolic link), or not there
    return candidate


def read(logical_id: str, url: Any, parent_path: str, root: str, passed: dict, seen: tuple,
         limits: Limits = DEFAULT_LIMITS) -> Optional[Nested]:
    """The nested template, renamed under `logical_id/`; None when it is not a local file to follow."""
    from .importer import _parameters, parse
    path = local_path(url, parent_path, root)
    if path is None or len(seen) >= MAX_DEPTH or os.path.realpath(path) in seen:
        return None
    try:
        text = read_text(path, limits, named=False)  # found in a template, not named: always confined
        data, source = parse(text, limits)
    except (LoadError, OSError):
        return None  # reported when the nested file is checked on its own
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        return None
    names = {name for name in data["Resources"] if isinstance(name, str)}
    prefix = logical_id + "/"
    renamed = _rename(data, names, prefix)
    moved = SourceMap()
    for table, target in ((source.values, moved.values), (source.keys, moved.keys)):
        for tpath, span in table.items():
            target[_rename_path(tpath, names, prefix)] = span
    moved.collections.update(_rename_path(p, names, prefix) for p in source.collections)
    parameters = _parameters(data.get("Parameters"))
    for name, value in passed.items():
        if name in parameters:
            parameters[name] = value
    return Nested(logical_id, path, text, renamed, moved, parameters)


def outputs(nested: Nested, ctx: Context) -> dict:
    """Output name -> value, for the parent's `!GetAtt Stack.Outputs.Name`."""
    found = nested.data.get("Outputs")
    out = {}
    for name, body in found.items() if isinstance(found, dict) else ():
        if isinstance(body, dict) and "Value" in body:
            value = resolve(body["Value"], ctx)
            out[name] = value if value is not None else UNKNOWN
    return out


def passed_parameters(raw: Any, ctx: Context) -> dict:
    """The `Parameters` a parent passes, each evaluated in the parent (unknown stays unknown)."""
    values = resolve(raw, ctx) if raw is not None else {}
    if not isinstance(values, dict):
        return {}
    return {name: value if isinstance(value, (str, int, float, bool, list, Reference)) else UNKNOWN
            for name, value in values.items()}


def _rename_path(path: tuple, names: set, prefix: str) -> tuple:
    if len(path) > 1 and path[0] == "Resources" and path[1] in names:
        return ("Resources", prefix + path[1]) + tuple(path[2:])
    return tuple(path)


def _rename(value: Any, names: set, prefix: str, key: Any = None) -> Any:
    """The template with every logical id (keys of `Resources`, `Ref`, `Fn::GetAtt`, `${...}`, `DependsOn`)
    prefixed."""
    if isinstance(value, list):
        return [_rename(v, names, prefix, key) for v in value]
    if isinstance(value, str):
        if key in ("Ref", "DependsOn") and value in names:
            return prefix + value
        if key == "Fn::GetAtt" and value.split(".")[0] in names:
            return prefix + value
        if key == "Fn::Sub":
            return _VARIABLE.sub(lambda m: "${" + prefix + m.group(1) + "}" if m.group(1).split(".")[0] in names
                                 else m.group(0), value)
        return value
    if not isinstance(value, dict):
        return value
    out = {}
    for k, v in value.items():
        if key == "Resources" and k in names:
            out[prefix + k] = _rename(v, names, prefix, None)
        elif k == "Fn::GetAtt" and isinstance(v, list) and v and isinstance(v[0], str) and v[0] in names:
            out[k] = [prefix + v[0]] + [_rename(x, names, prefix) for x in v[1:]]
        elif k == "Fn::Sub" and isinstance(v, list) and v:
            out[k] = [_rename(v[0], names, prefix, "Fn::Sub")] + [_rename(x, names, prefix) for x in v[1:]]
        else:
            out[k] = _rename(v, names, prefix, k)
    return out
