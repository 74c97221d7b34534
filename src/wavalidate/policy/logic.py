"""Three-valued logic: True, False, or None when the evaluator cannot know."""
from __future__ import annotations

from typing import Iterable, Optional

Tri = Optional[bool]


def all3(values: Iterable[Tri]) -> Tri:
    """Kleene AND: False wins over unknown, unknown wins over True."""
    result: Tri = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def any3(values: Iterable[Tri]) -> Tri:
    """Kleene OR: True wins over unknown, unknown wins over False."""
    result: Tri = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def not3(value: Tri) -> Tri:
    return None if value is None else not value


def maybe_exempt(value: Tri) -> Tri:
    """A limit that may or may not apply: it can only pass for sure when it passes anyway.

    This is `value OR unknown`; used where AWS documentation does not settle
    whether a limit applies, so that a failing limit makes the result unknown
    instead of a guess either way.
    """
    return True if value is True else None
