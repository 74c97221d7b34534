"""Misspelt fields in a rule pack's code, found by reading its source (nothing is run).

`Resource.__getattr__` raises on an undeclared field, but only when the line
runs: a typo on a rarely taken branch would surface as an E900 in someone's
check. This reads the pack's syntax tree instead, so a test catches it.
"""
from __future__ import annotations

import ast
import glob
import importlib
import importlib.util
import inspect
import os
from types import ModuleType
from typing import Any, Optional

from .api import Rule


def field_name_problems(*targets: Any) -> list[str]:
    """Reads of fields the format does not declare, in the code of rule modules, as `file:line: ...`.

    Every attribute a module reads must be a declared field of some resource
    type or a name the model, the public API, the standard types or the
    module's own classes define (`db.mutli_az` is neither); every constant
    key of a `get` or `has` must be a key the format declares somewhere (or
    an IAM policy element, capitalised). Where a variable
    is bound only by iterating `arch.of_type("a", "b")`, its attributes and
    the keys of its `get`, `has` and `path` must be fields of one of those
    types. Targets are module objects, dotted names, `.py` files or folders
    of them; only their source is read.
    """
    from .schema.types import DOCUMENT, RESOURCE_TYPES, resource_field
    fields_of = {name: frozenset(resource_field(name).fields or {}) for name in RESOURCE_TYPES}
    known = frozenset().union(*fields_of.values()) | _member_names()
    keys = _declared_keys([DOCUMENT] + [resource_field(name) for name in RESOURCE_TYPES])
    problems: list[str] = []
    for file in (f for target in targets for f in _source_files(target)):
        problems.extend(_module_problems(file, fields_of, known, keys))
    return problems


def _declared_keys(roots: list) -> frozenset:
    """Every key the format declares, at any depth (a rule's `raw.get("cidr")` reads a nested one)."""
    found: set[str] = set()
    todo = list(roots)
    while todo:
        field = todo.pop()
        found.update((field.fields or {}).keys())
        todo += list((field.fields or {}).values()) + [f for f in (field.items, field.values) if f is not None]
    return frozenset(found)


def _source_files(target: Any) -> list[str]:
    if isinstance(target, ModuleType):
        return [inspect.getfile(target)]
    if os.path.isdir(target):
        return sorted(glob.glob(os.path.join(target, "*.py")))
    if os.path.isfile(target):
        return [target]
    spec = importlib.util.find_spec(target)
    if spec is None or spec.origin is None:
        raise ValueError(f"no module, file or folder {target!r}")
    return [spec.origin]


def _member_names() -> frozenset:
    import collections
    import ipaddress
    import math
    import re

    from . import access, facts, units
    from .api import Violation
    from .model import Architecture, Requirements, Resource
    names: set[str] = set(dir(Architecture({}))) | set(dir(Resource)) | set(dir(Requirements)) | set(dir(Violation))
    for kind in (str, bytes, int, float, dict, list, tuple, set, frozenset, collections.deque, Rule,
                 ipaddress.IPv4Network, ipaddress.IPv6Network, ipaddress.IPv4Address, ipaddress.IPv6Address,
                 ipaddress.IPv4Interface, ipaddress.IPv6Interface, re.Pattern, re.Match):
        names |= set(dir(kind))
    names |= {"network_address", "broadcast_address", "ip"}  # ipaddress properties that dir() may not list
    import pkgutil

    from . import api, arns, policies, policy
    modules = [api, facts, units, access, arns, policies, policy, math, re, ipaddress, collections]
    modules += [importlib.import_module(f"{policy.__name__}.{m.name}") for m in pkgutil.iter_modules(policy.__path__)]
    for module in modules:  # what the public API exports, and the standard modules rules use
        names |= set(dir(module))
        for value in vars(module).values():
            if isinstance(value, type):
                names |= set(dir(value)) | set(getattr(value, "__dataclass_fields__", ()))
                names |= set(getattr(value, "__slots__", ())) | set(getattr(value, "__annotations__", ()))
    for value in vars(facts).values():
        names |= set(getattr(value, "__dataclass_fields__", ()))
    return frozenset(names)


def _constant_key(node: ast.AST) -> Optional[str]:
    """"k" of `x.get("k", ...)` or `x.has("k")`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "has") \
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def _module_problems(path: str, fields_of: dict, known: frozenset, keys: frozenset) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    file = os.path.relpath(path)
    own = set()  # attributes of the module's own classes and instances
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name) and inner.value.id == "self":
                    own.add(inner.attr)
                elif isinstance(inner, ast.AnnAssign) and isinstance(inner.target, ast.Name):
                    own.add(inner.target.id)
                elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    own.add(inner.name)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr not in known and node.attr not in own:
            problems.append(f"{file}:{node.lineno}: `{node.attr}` is not a field of any resource type")
        key = _constant_key(node)
        # Capitalised keys are IAM policy grammar (Statement, Effect), which the format keeps whole.
        if key is not None and key not in keys and not key[:1].isupper():
            problems.append(f"{file}:{getattr(node, 'lineno', 0)}: `{key}` is not a key the format declares")
    for function in tree.body + [n for c in tree.body if isinstance(c, ast.ClassDef) for n in c.body]:
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            problems.extend(_typed_problems(function, file, fields_of))
    return list(dict.fromkeys(problems))


def _typed_problems(function: ast.AST, file: str, fields_of: dict) -> list[str]:
    """Fields read on variables that only ever hold resources of known types."""
    from .model import Resource
    members = set(dir(Resource))
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node.func._wavalidate_call = node  # type: ignore[attr-defined]
    bound: dict[str, set] = {}
    untyped: set[str] = set()
    for node in ast.walk(function):
        targets: list[tuple[ast.AST, Optional[ast.AST]]] = []
        if isinstance(node, (ast.For, ast.comprehension)):
            targets = [(node.target, node.iter)]
        elif isinstance(node, ast.Assign):
            targets = [(t, None) for t in node.targets]
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            targets = [(node.target, None)]
        for target, source in targets:
            names = [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
            types = _of_types(source) if isinstance(target, ast.Name) else None
            for name in names:
                if types is None:
                    untyped.add(name)
                else:
                    bound.setdefault(name, set()).update(types)
    typed = {name: types for name, types in bound.items() if name not in untyped and types <= fields_of.keys()}
    problems = []
    for node in ast.walk(function):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in typed):
            continue
        types = typed[node.value.id]
        declared = set().union(*(fields_of[t] for t in types))
        keys = []
        if node.attr not in members:
            keys.append((node.attr, node.lineno))
        parent = getattr(node, "_wavalidate_call", None)
        if node.attr in ("get", "has", "path") and parent is not None and parent.args \
                and isinstance(parent.args[0], ast.Constant) and isinstance(parent.args[0].value, str):
            keys.append((parent.args[0].value, node.lineno))
        for key, line in keys:
            if key not in declared:
                problems.append(f"{file}:{line}: `{node.value.id}.{key}`: {' and '.join(sorted(types))} "
                                f"declare{'s' if len(types) == 1 else ''} no field `{key}`")
    return problems


def _of_types(source: Optional[ast.AST]) -> Optional[set]:
    """The types of `arch.of_type("a", "b")` (constant arguments only), else None."""
    if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute) and source.func.attr == "of_type" \
            and source.args and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in source.args):
        return {a.value for a in source.args if isinstance(a, ast.Constant)}
    return None
