"""Validation of a loaded document with cerberus, turned into positioned problems.

Valid documents never reach cerberus (see fast.py), so it is imported only
when one fails; that keeps it off the start-up path of a clean check.
"""
from __future__ import annotations

import contextvars
import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator, Optional

from ..locations import Path
from .fast import compile_field
from .fields import Field, expand, field_at, iter_refs, to_cerberus
from .types import DOCUMENT, RESOURCE_TYPES, resource_field


@dataclass(frozen=True)
class Problem:
    """A schema problem: a code, a message and the path it is about."""

    code: str
    message: str
    path: Path
    on_key: bool = False


def _validator(type_name: Optional[str]):
    """The compiled cerberus validator of a resource type (None: the document's top level)."""
    return _compiled(DOCUMENT if type_name is None else resource_field(type_name))


@lru_cache(maxsize=None)
def _fast(type_name: Optional[str]):
    return compile_field(DOCUMENT if type_name is None else resource_field(type_name))


@lru_cache(maxsize=None)
def _ref_paths(type_name: str) -> tuple:
    return tuple(iter_refs(resource_field(type_name)))


def validate(data: Any, unknown: frozenset = frozenset(), external: Optional[dict] = None) -> list[Problem]:
    """All schema and reference problems of a document, in document order.

    `unknown` names the paths known only at deploy time (CloudFormation): a
    required field among them is not missing, and is not worth cerberus's
    slow path to say so. `external` maps the names the files it `uses` define
    to their types: references may name those too.
    """
    if not isinstance(data, dict):
        return [Problem("E105", f"the file must be a mapping with `version` and `resources`, "
                        f"not {_describe(data)}", ())]
    token = _BUDGET.set([SUGGESTION_BUDGET])
    try:
        return _validate(data, unknown, external)
    finally:
        _BUDGET.reset(token)


def _validate(data: dict, unknown: frozenset, external: Optional[dict]) -> list[Problem]:
    # Top-level `x-` keys are the user's own (YAML anchors to reuse), accepted and ignored as in Compose.
    declared = {k: v for k, v in data.items() if not is_extension(k)}
    problems = list(_check(None, declared, ()))
    resources = data.get("resources")
    if not isinstance(resources, dict):
        return problems
    kinds: dict[str, str] = {}
    for name, body in resources.items():
        at = ("resources", name)
        if not isinstance(body, dict):
            problems.append(Problem("E201", f"resource `{name}` must be a mapping with a `type`, "
                                    f"not {_describe(body)}", at, on_key=True))
            continue
        type_name = body.get("type")
        if type_name is None:
            problems.append(Problem("E202", f"resource `{name}` has no `type`", at, on_key=True))
            continue
        if not isinstance(type_name, str):
            problems.append(Problem("E201", f"`type` must be a resource type name, not {_describe(type_name)}",
                                    at + ("type",)))
            continue
        if type_name not in RESOURCE_TYPES:
            problems.append(Problem("E203", f"unknown resource type `{type_name}`{_suggest(type_name, RESOURCE_TYPES)}",
                                    at + ("type",)))
            continue
        kinds[name] = type_name
        if unknown and _only_unknown_missing(type_name, body, at, unknown):
            continue
        problems.extend(_check(type_name, body, at))
    own = kinds
    names: Any = resources
    if external is not None:
        kinds = {**external, **kinds}
        names = {**external, **resources}
    for name, type_name in own.items():
        for pattern, field in _ref_paths(type_name):
            for path, value in expand(resources[name], pattern):
                problems.extend(_check_ref(("resources", name) + path, value, field, kinds, names,
                                           external is not None))
    for top in ("flows", "assertions"):
        for pattern, field in iter_refs(DOCUMENT.fields[top], (top,)):  # type: ignore[index]
            for path, value in expand(data, pattern):
                problems.extend(_check_ref(path, value, field, kinds, names, external is not None))
    return problems


def is_extension(key: Any) -> bool:
    """A top-level `x-` key: free for the user, never read."""
    return isinstance(key, str) and key.startswith("x-")


@lru_cache(maxsize=None)
def _lenient(type_name: str):
    """The fast check of a type with no field required, and the names of its required fields."""
    root = resource_field(type_name)
    fields = root.fields or {}
    required = tuple(k for k, f in fields.items() if f.required)
    return compile_field(root.but(fields={k: f.but(required=False) for k, f in fields.items()})), required


def _only_unknown_missing(type_name: str, body: dict, at: Path, unknown: frozenset) -> bool:
    """True when the body is valid but for required fields known only at deploy time."""
    check, required = _lenient(type_name)
    missing = [k for k in required if k not in body]
    return bool(missing) and all(at + (k,) in unknown for k in missing) and check(body)


_COMPILED: dict[int, tuple[Field, Any]] = {}


def _compiled(root: Field):
    """One cerberus validator per declared field, compiled on first need."""
    hit = _COMPILED.get(id(root))
    if hit is None or hit[0] is not root:
        from .strict_cerberus import StrictValidator
        hit = _COMPILED[id(root)] = (root, StrictValidator(to_cerberus(root)["schema"], allow_unknown=False))
    return hit[1]


def _cerberus_problems(root: Field, data: dict, at: Path) -> list[Problem]:
    validator = _compiled(root)
    # The format has no normalization rules (defaults, coercion, renames), and cerberus's normalization
    # re-checks a copy of the whole schema on every call: 10 ms for each invalid resource.
    if validator.validate(data, normalize=False):
        return []
    return [_problem(root, error, at) for error in
            sorted(_leaves(validator._errors), key=lambda e: (e.document_path, e.code))]


def validate_with(root: Field, data: Any, what: str = "the file") -> list[Problem]:
    """Schema problems of `data` against any object field: config and waiver files reuse the machinery."""
    if not isinstance(data, dict):
        return [Problem("E105", f"{what} must be a mapping, not {_describe(data)}", ())]
    token = _BUDGET.set([SUGGESTION_BUDGET])
    try:
        return _cerberus_problems(root, data, ())
    finally:
        _BUDGET.reset(token)


def _check(type_name: Optional[str], document: dict, at: Path) -> list[Problem]:
    if _fast(type_name)(document):
        return []
    return _cerberus_problems(DOCUMENT if type_name is None else resource_field(type_name), document, at)


def _leaves(errors: Iterable) -> Iterator:
    for error in errors:
        if error.is_group_error:
            yield from _leaves(error.child_errors)
        else:
            yield error


def _problem(root: Field, error, at: Path) -> Problem:
    from cerberus import errors as E
    path = tuple(error.document_path)
    key = path[-1] if path else ""
    shown = f"`{key}`" if isinstance(key, str) else f"item {key + 1}"
    parent = field_at(root, path[:-1])
    code = error.code
    if code == E.UNKNOWN_FIELD.code:
        choices = parent.fields if parent is not None and parent.fields else {}
        return Problem("E200", f"unknown key `{key}`{_suggest(str(key), choices)}", at + path, on_key=True)
    if code == E.REQUIRED_FIELD.code:
        return Problem("E202", f"missing required key `{key}`", at + path)
    field = field_at(root, path)
    if code == E.NOT_NULLABLE.code:
        return Problem("E201", f"{shown} is empty; give it a value or remove it", at + path)
    if code == E.BAD_TYPE.code:
        wanted = error.constraint if isinstance(error.constraint, str) else " or ".join(error.constraint)
        return Problem("E201", f"{shown} must be {_article(wanted)}, not {_describe(error.value)}", at + path)
    if code == E.UNALLOWED_VALUE.code:
        allowed = ", ".join(str(a) for a in error.constraint)
        return Problem("E203", f"{shown} must be one of: {allowed} (got `{error.value}`)"
                       f"{_suggest(str(error.value), error.constraint)}", at + path)
    if code == E.REGEX_MISMATCH.code:
        what = field.doc if field is not None and field.doc else "in the expected format"
        units = field.meta.get("units") if field is not None else None
        accepted = f" (units: {', '.join(units)})" if units else ""
        return Problem("E204", f"{shown}: `{error.value}` is not valid; expected {what}{accepted}", at + path)
    if code in (E.MIN_VALUE.code, E.MAX_VALUE.code):
        bound = "at least" if code == E.MIN_VALUE.code else "at most"
        return Problem("E205", f"{shown} must be {bound} {error.constraint:g} (got {error.value})", at + path)
    return Problem("E201", f"{shown}: {error.rule} {error.constraint}", at + path)  # pragma: no cover


def _check_ref(path: Path, value: Any, field: Field, kinds: dict[str, str], resources: dict,
               composed: bool = False) -> Iterator[Problem]:
    if not isinstance(value, str):
        return
    # A reference may also accept keywords or an ARN, or name a part of a resource (`bucket/key`).
    if value in field.meta.get("keywords", ()) or (field.meta.get("arn") and value.startswith("arn:")):
        return
    if field.meta.get("subpath"):
        value = value.split("/", 1)[0]
    if value not in resources:
        where = "this file or the files it uses" if composed else "this file"
        yield Problem("E210", f"`{value}` is not a resource in {where}{_suggest(value, resources)}", path)
        return
    actual = kinds.get(value)
    if actual is not None and "*" not in field.ref and actual not in field.ref:
        wanted = " or ".join(field.ref)
        yield Problem("E211", f"`{value}` is {_article(actual)}, but {_article(wanted)} is needed here", path)


# Did-you-mean compares a word with every choice, some microseconds each: a file with 100,000 unknown types
# took 45 s. A file gets this many comparisons (well under a second); problems past it go without a hint.
SUGGESTION_BUDGET = 100_000
MAX_SUGGESTED = 100  # longer words are not typos worth a hint (and SequenceMatcher is quadratic in length)
_BUDGET: contextvars.ContextVar = contextvars.ContextVar("wavalidate_suggestions", default=None)


def _suggest(word: str, choices: Iterable) -> str:
    word = str(word)
    budget = _BUDGET.get()
    if len(word) > MAX_SUGGESTED or (budget is not None and budget[0] <= 0):
        return ""
    candidates = [str(c) for c in choices]
    if budget is not None:
        budget[0] -= len(candidates)
    match = difflib.get_close_matches(word, [c for c in candidates if len(c) <= MAX_SUGGESTED], n=1, cutoff=0.6)
    return f" (did you mean `{match[0]}`?)" if match else ""


def _article(word: str) -> str:
    word = {"dict": "mapping", "list": "list", "string": "string"}.get(word, word)
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _describe(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the boolean `{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"the number `{value}`"
    if isinstance(value, str):
        return f"the string `{value[:40]}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
