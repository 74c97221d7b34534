"""Turn a policy document (parsed JSON or YAML) into a `Policy`, or say where it is malformed."""
from __future__ import annotations

from typing import Any, Mapping, Optional, Tuple

from .model import (
    PRINCIPAL_KINDS,
    VERSIONS,
    Condition,
    Path,
    Policy,
    PolicyError,
    PrincipalEntry,
    Scalar,
    Statement,
)

_TOP_KEYS = ("Version", "Id", "Statement")
_STATEMENT_KEYS = (
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
    "Resource", "NotResource", "Condition",
)


def parse_policy(doc: Mapping[str, Any], *, name: Optional[str] = None) -> Policy:
    """Validate and parse one policy document; raises `PolicyError` with a path."""
    if not isinstance(doc, Mapping):
        raise PolicyError("a policy document must be a mapping", ())
    for key in doc:
        if key not in _TOP_KEYS:
            raise PolicyError(f"unknown policy element {key!r}", (key,))
    version = doc.get("Version")
    if version is not None and version not in VERSIONS:
        raise PolicyError(f"Version must be one of {', '.join(VERSIONS)}", ("Version",))
    policy_id = doc.get("Id")
    if policy_id is not None and not isinstance(policy_id, str):
        raise PolicyError("Id must be a string", ("Id",))
    if "Statement" not in doc:
        raise PolicyError("Statement is required", ())
    raw = doc["Statement"]
    if isinstance(raw, Mapping):
        statements: Tuple[Statement, ...] = (_statement(raw, ("Statement",)),)
    elif isinstance(raw, list):
        if not raw:
            raise PolicyError("Statement must not be empty", ("Statement",))
        statements = tuple(_statement(item, ("Statement", i)) for i, item in enumerate(raw))
    else:
        raise PolicyError("Statement must be a mapping or a list", ("Statement",))
    return Policy(statements=statements, version=version, id=policy_id, name=name or policy_id)


def _statement(raw: Any, path: Path) -> Statement:
    if not isinstance(raw, Mapping):
        raise PolicyError("a statement must be a mapping", path)
    for key in raw:
        if key not in _STATEMENT_KEYS:
            raise PolicyError(f"unknown statement element {key!r}", path + (key,))
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise PolicyError("Sid must be a string", path + ("Sid",))
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        where = path + ("Effect",) if "Effect" in raw else path
        raise PolicyError("Effect must be 'Allow' or 'Deny'", where)
    _exclusive(raw, "Principal", "NotPrincipal", path, required=False)
    _exclusive(raw, "Action", "NotAction", path, required=True)
    _exclusive(raw, "Resource", "NotResource", path, required=False)
    return Statement(
        effect=effect,
        path=path,
        sid=sid,
        principals=_principals(raw, "Principal", path),
        not_principals=_principals(raw, "NotPrincipal", path),
        actions=_strings(raw, "Action", path),
        not_actions=_strings(raw, "NotAction", path),
        resources=_strings(raw, "Resource", path),
        not_resources=_strings(raw, "NotResource", path),
        conditions=_conditions(raw.get("Condition"), path + ("Condition",)) if "Condition" in raw else (),
    )


def _exclusive(raw: Mapping[str, Any], key: str, negated: str, path: Path, required: bool) -> None:
    if key in raw and negated in raw:
        raise PolicyError(f"a statement cannot have both {key} and {negated}", path + (negated,))
    if required and key not in raw and negated not in raw:
        raise PolicyError(f"a statement needs {key} or {negated}", path)


def _strings(raw: Mapping[str, Any], key: str, path: Path) -> Optional[Tuple[str, ...]]:
    if key not in raw:
        return None
    return _string_list(raw[key], path + (key,))


def _string_list(value: Any, path: Path) -> Tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value:
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise PolicyError("must be a string", path + (i,))
        return tuple(value)
    raise PolicyError("must be a string or a non-empty list of strings", path)


def _principals(raw: Mapping[str, Any], key: str, path: Path) -> Optional[Tuple[PrincipalEntry, ...]]:
    if key not in raw:
        return None
    value = raw[key]
    where = path + (key,)
    if value == "*":
        return (PrincipalEntry("*", "*", where),)
    if not isinstance(value, Mapping) or not value:
        raise PolicyError(f'{key} must be "*" or a non-empty mapping', where)
    entries = []
    for kind, values in value.items():
        if kind not in PRINCIPAL_KINDS:
            raise PolicyError(f"unknown principal type {kind!r}", where + (kind,))
        items = _string_list(values, where + (kind,))
        for i, item in enumerate(items):
            item_path = where + (kind,) if isinstance(values, str) else where + (kind, i)
            entries.append(PrincipalEntry(kind, item, item_path))
    return tuple(entries)


def _conditions(value: Any, path: Path) -> Tuple[Condition, ...]:
    if not isinstance(value, Mapping):
        raise PolicyError("Condition must be a mapping of operators", path)
    found = []
    for operator, block in value.items():
        if not isinstance(operator, str):
            raise PolicyError("a condition operator must be a string", path)
        if not isinstance(block, Mapping) or not block:
            raise PolicyError("a condition operator needs a non-empty mapping of keys", path + (operator,))
        for key, values in block.items():
            where = path + (operator, key)
            if not isinstance(key, str):
                raise PolicyError("a condition key must be a string", path + (operator,))
            found.append(Condition(operator, key, _scalars(values, where), where))
    return tuple(found)


def _scalars(value: Any, path: Path) -> Tuple[Scalar, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise PolicyError("condition values must not be empty", path)
    for i, item in enumerate(items):
        if not isinstance(item, (str, bool, int, float)):
            raise PolicyError("a condition value must be a string, number or boolean",
                              path + (i,) if isinstance(value, list) else path)
    return tuple(items)
