"""The field names a rule's code could read, found statically in its compiled code.

The engine drops a violation that could rest on a value known only at deploy
time. Watching which values a rule reads while it runs ties that verdict to
the order of the reads and to reads happening inside the rule, so nothing the
rule calls could be cached. Instead, the words a rule's code could name a
field by (attribute names and strings, in the rule and in every function of
its pack or of wavalidate that it reaches) are
collected once per rule; a violation is dropped when a field of one of those
names is unknown where it could rest (see `Architecture.unknown_near`).

Code objects are read rather than source, which is fast and needs no files.
"""
from __future__ import annotations

import inspect
from functools import lru_cache
from types import CodeType, ModuleType
from typing import Any, Callable, Optional

from .model import Architecture, Requirements, Resource, reference_fields

# Model methods a rule reaches through its argument (`arch.azs_of(...)`, `db.get(...)`): their
# receivers are not known statically, so any attribute of one of these names counts as a call.
_MODEL_MEMBERS: dict[str, list] = {}
for _cls in (Architecture, Resource, Requirements):
    for _name, _value in vars(_cls).items():
        if not _name.startswith("__"):
            _MODEL_MEMBERS.setdefault(_name, []).append(_value)

# These walk every reference of a resource through the schema's patterns, not by name.
_GRAPH_MEMBERS = frozenset({"references", "referrers", "neighbourhood", "dependants"})

_TABLES = (str, tuple, list, set, frozenset, dict)
_CACHE: dict[Callable, Optional[frozenset]] = {}


def could_read(function: Callable) -> Optional[frozenset]:
    """Every name the function could read a field by; None when it is not Python code."""
    if function not in _CACHE:
        _CACHE[function] = _collect(function)
    return _CACHE[function]


def _collect(function: Callable) -> Optional[frozenset]:
    home = (getattr(function, "__module__", None) or "").split(".")[0]
    start = _unwrap(function)
    if getattr(start, "__code__", None) is None:
        return None
    words: set[str] = set()
    seen: set[int] = set()
    todo: list[Any] = [start]
    while todo:
        item = todo.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        found, reached = _summary(item, home)
        words.update(found)
        todo.extend(reached)
    return frozenset(words)


@lru_cache(maxsize=None)
def _summary(function: Any, home: str) -> tuple[frozenset, tuple]:
    """The words of one function's own code (nested code included), and the functions it reaches."""
    code = getattr(function, "__code__", None)
    if not isinstance(code, CodeType):
        return frozenset(), ()
    scope = getattr(function, "__globals__", {})
    own = (getattr(function, "__module__", None) or "").split(".")[0] == home
    words: set[str] = set()
    reached: list[Any] = []
    modules = []
    for block in _code_objects(code):
        for constant in block.co_consts:
            if isinstance(constant, (str, tuple, frozenset)):
                words.update(_strings(constant))
        for name in block.co_names:
            words.add(name)
            reached.extend(_MODEL_MEMBERS.get(name, ()))
            if name in _GRAPH_MEMBERS:
                words.update(reference_fields())
            value = scope.get(name)
            if isinstance(value, ModuleType):
                modules.append(value)
            else:
                _reach(value, home, words, reached, own)
    names = {name for block in _code_objects(code) for name in block.co_names}
    for module in modules:  # `access.policy_documents`: the module's functions this code names
        namespace = vars(module)
        for name in names & namespace.keys():
            _reach(namespace[name], home, words, reached, own=False)
    return frozenset(words), tuple(_unwrap(r) for r in reached if r is not None)


def _code_objects(code: CodeType) -> list[CodeType]:
    """A code object and those nested in it (comprehensions, lambdas, inner functions)."""
    found = [code]
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            found.extend(_code_objects(constant))
    return found


def _reach(value: Any, home: str, words: set, reached: list, own: bool) -> None:
    """Follow a global the code names: its own code, or the strings of the pack's constant tables.

    Tables inside wavalidate (resource types by tier, and the like) name types, not fields.
    """
    if isinstance(value, _TABLES):
        if own:
            words.update(_strings(value))
        return
    if not ((inspect.isfunction(value) or inspect.isclass(value)) and _follows(getattr(value, "__module__", ""), home)):
        return
    if inspect.isclass(value):
        for member in vars(value).values():
            member = _unwrap(member)
            if inspect.isfunction(member):
                reached.append(member)
    else:
        reached.append(value)


def _follows(module: str, home: str) -> bool:
    """Code of the rule's own pack, or of wavalidate (which a pack reaches through `wavalidate.api`)."""
    return module.split(".")[0] in (home, "wavalidate")


def _strings(value: Any, depth: int = 0) -> set:
    if isinstance(value, str):
        return {value}
    if depth > 3:
        return set()
    found: set = set()
    for item in (list(value.items()) if isinstance(value, dict) else value):
        if isinstance(item, _TABLES):
            found |= _strings(item, depth + 1)
    return found


def _unwrap(item: Any) -> Any:
    if isinstance(item, property):
        return item.fget
    if isinstance(item, (staticmethod, classmethod)):
        return item.__func__
    return inspect.unwrap(item) if callable(item) else item
