"""Policy variables (`${aws:username}`, `${key, 'default'}`, `${*}`) resolved against a request."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from . import globs
from .request import KeyState, Request

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_WITH_DEFAULT = re.compile(r"^\s*([^,]+?)\s*,\s*'([^']*)'\s*$")
_SPECIAL = {"*": "*", "?": "?", "$": "$"}


@dataclass(frozen=True)
class Resolved:
    """A pattern source, or `src is None` with the reason it could not be resolved."""

    src: Optional[str]
    why: str = ""


def has_variables(text: str) -> bool:
    return _VARIABLE.search(text) is not None


def resolve(text: str, request: Request, enabled: bool) -> Resolved:
    """`text` as a glob source with variables replaced by literal values.

    Variables are only replaced when `enabled` (Version 2012-10-17). A variable
    whose key the request leaves unknown, whose key is known absent without a
    default (AWS documents that this "might" invalidate the statement), or that
    has several values cannot be resolved exactly.
    """
    if not enabled or "${" not in text:
        return Resolved(globs.source(text))
    out = []
    last = 0
    for found in _VARIABLE.finditer(text):
        out.append(globs.source(text[last:found.start()]))
        last = found.end()
        inner = found.group(1)
        if inner in _SPECIAL:
            out.append(globs.literal(_SPECIAL[inner]))
            continue
        key, default = inner.strip(), None
        with_default = _WITH_DEFAULT.match(inner)
        if with_default:
            key, default = with_default.group(1), with_default.group(2)
        found_key = request.lookup(key)
        if found_key.state is KeyState.UNKNOWN:
            return Resolved(None, f"policy variable ${{{key}}} has no known value")
        if found_key.state is KeyState.ABSENT:
            if default is None:
                return Resolved(None, f"policy variable ${{{key}}} refers to an absent key")
            out.append(globs.literal(default))
            continue
        if len(found_key.values) != 1:
            return Resolved(None, f"policy variable ${{{key}}} has several values")
        out.append(globs.literal(_text(found_key.values[0])))
    out.append(globs.source(text[last:]))
    return Resolved("".join(out))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
