"""Whether S3 counts a bucket policy as public (S3's "meaning of public", used by Block Public Access)."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, cast

from .. import facts

# Keys whose fixed values make a statement non-public; aws:SourceIp counts unless it ends in /0.
NON_PUBLIC_KEYS = frozenset(key.lower() for key in cast(Iterable[str], facts.S3_PUBLIC_POLICY_MEANING.value))
# Keys that narrow who the principal is; S3's list does not name them, so a statement that relies
# on them is of unknown public-ness.
_MAYBE_NON_PUBLIC_KEYS = frozenset({"aws:principalorgid", "aws:principalaccount", "aws:principalarn",
                                    "aws:principalorgpaths"})
_FIXED_OPERATORS = ("StringEquals", "StringEqualsIgnoreCase", "ArnEquals", "ArnLike", "StringLike", "IpAddress")


def _strings(value: Any) -> list[str]:
    """A policy element that holds a string or a list of strings, as a list (anything else: empty)."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _names_everyone(statement: Mapping[str, Any]) -> bool:
    if "NotPrincipal" in statement:
        return True
    principal = statement.get("Principal")
    if principal == "*":
        return True
    return isinstance(principal, Mapping) and any("*" in v for v in _strings(principal.get("AWS")))


def statement_public(statement: Mapping[str, Any]) -> Optional[bool]:
    """Whether S3 counts one bucket policy statement as public (None: cannot tell)."""
    if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
        return False
    if not _names_everyone(statement):
        return False
    verdict: Optional[bool] = True
    conditions = statement.get("Condition") or {}
    if not isinstance(conditions, Mapping):
        return None
    for operator, block in conditions.items():
        if not isinstance(block, Mapping):
            continue
        base = str(operator).split(":")[-1]
        for key, values in block.items():
            key = str(key).lower()
            items = values if isinstance(values, list) else [values]
            fixed = base in _FIXED_OPERATORS and all(isinstance(v, str) and "*" not in v and "?" not in v
                                                     or base == "IpAddress" for v in items)
            if key in NON_PUBLIC_KEYS and fixed:
                if key == "aws:sourceip" and any(str(v).endswith("/0") for v in items):
                    continue
                if key == "aws:userid" and any(str(v).endswith(":*") for v in items):
                    continue
                return False
            if key in _MAYBE_NON_PUBLIC_KEYS and fixed:
                verdict = None
    return verdict


def public_statements(doc: Any) -> list[tuple[int, Optional[bool]]]:
    """(index, public) for the statements of a bucket policy that are or may be public (-1: a lone statement)."""
    if not isinstance(doc, Mapping):
        return []
    raw = doc.get("Statement")
    items = [raw] if isinstance(raw, Mapping) else (raw if isinstance(raw, list) else [])
    out: list[tuple[int, Optional[bool]]] = []
    for i, st in enumerate(items):
        public = statement_public(st)
        if public is not False:
            out.append((i if isinstance(raw, list) else -1, public))
    return out


def policy_public(doc: Any) -> Optional[bool]:
    found = [p for _, p in public_statements(doc)]
    if not found:
        return False
    return True if True in found else None
