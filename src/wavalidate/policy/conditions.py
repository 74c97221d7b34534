"""Exact evaluation of a documented subset of Condition operators, unknown for the rest."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Callable, Dict, Iterable, Optional, Tuple

from . import globs
from .logic import Tri, all3, any3, not3
from .matching import arn_like
from .model import Condition
from .request import KeyState, Request
from .variables import resolve

_EPOCH = re.compile(r"^-?\d+(\.\d+)?$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# ISO 8601 extended date-time (W3C's profile and its usual variants), parsed here rather than by
# datetime.fromisoformat, which on Python 3.10 refuses "+0000", "+00" and fractions other than 3 or 6 digits.
_DATE_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
                        r"(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$")


@dataclass(frozen=True)
class Operator:
    """A parsed operator name: set qualifier, base operator and the IfExists suffix."""

    qualifier: Optional[str]  # "ForAnyValue", "ForAllValues" or None
    base: str
    if_exists: bool
    family: str
    negated: bool


# Base operator -> (family, negated). Negated operators are true when no value matches.
_BASES: Dict[str, Tuple[str, bool]] = {
    "StringEquals": ("string", False),
    "StringNotEquals": ("string", True),
    "StringEqualsIgnoreCase": ("string_ic", False),
    "StringNotEqualsIgnoreCase": ("string_ic", True),
    "StringLike": ("like", False),
    "StringNotLike": ("like", True),
    "NumericEquals": ("num=", False),
    "NumericNotEquals": ("num=", True),
    "NumericLessThan": ("num<", False),
    "NumericLessThanEquals": ("num<=", False),
    "NumericGreaterThan": ("num>", False),
    "NumericGreaterThanEquals": ("num>=", False),
    "DateEquals": ("date=", False),
    "DateNotEquals": ("date=", True),
    "DateLessThan": ("date<", False),
    "DateLessThanEquals": ("date<=", False),
    "DateGreaterThan": ("date>", False),
    "DateGreaterThanEquals": ("date>=", False),
    "Bool": ("bool", False),
    "ArnEquals": ("arn", False),
    "ArnLike": ("arn", False),
    "ArnNotEquals": ("arn", True),
    "ArnNotLike": ("arn", True),
    "IpAddress": ("ip", False),
    "NotIpAddress": ("ip", True),
    "Null": ("null", False),
}

SUPPORTED_OPERATORS = tuple(_BASES)
_VARIABLE_FAMILIES = frozenset({"string", "string_ic", "like", "arn", "bool"})


def parse_operator(name: str) -> Optional[Operator]:
    """The operator's parts, or None when it is outside the supported subset."""
    qualifier = None
    base = name
    for prefix in ("ForAnyValue:", "ForAllValues:"):
        if name.startswith(prefix):
            qualifier, base = prefix[:-1], name[len(prefix):]
    if_exists = base.endswith("IfExists")
    if if_exists:
        base = base[: -len("IfExists")]
    found = _BASES.get(base)
    if found is None:
        return None
    family, negated = found
    if family == "null" and (if_exists or qualifier):
        return None  # AWS does not define NullIfExists or set qualifiers on Null
    return Operator(qualifier, base, if_exists, family, negated)


def evaluate_conditions(conditions: Iterable[Condition], request: Request,
                        variables: bool) -> Tuple[Tri, str]:
    """AND of every operator/key pair; with the first reason for an unknown result."""
    result: Tri = True
    why = ""
    for condition in conditions:
        value, reason = evaluate_condition(condition, request, variables)
        if value is False:
            return False, ""
        if value is None and result is True:
            result, why = None, reason
    return result, why


def evaluate_condition(condition: Condition, request: Request, variables: bool) -> Tuple[Tri, str]:
    """One operator on one key, following AWS's documented rules for absent keys."""
    op = parse_operator(condition.operator)
    if op is None:
        return None, f"unsupported condition operator {condition.operator!r}"
    found = request.lookup(condition.key)
    if found.state is KeyState.UNKNOWN:
        return None, f"condition key {condition.key!r} is not known for this request"
    if op.family == "null":
        return _null(condition, found.state is KeyState.ABSENT, found.values)
    if found.state is KeyState.ABSENT:
        # Documented: IfExists and ForAllValues are true on a missing key, ForAnyValue is
        # false, other operators are false unless negated ("StringNotLike ... is true").
        if op.if_exists or op.qualifier == "ForAllValues":
            return True, ""
        if op.qualifier == "ForAnyValue":
            return False, ""
        return op.negated, ""
    values = found.values
    if op.qualifier is None and len(values) != 1:
        return None, (f"condition key {condition.key!r} has {len(values)} values but "
                      f"{condition.operator} expects one")
    reasons = []

    def one(value: object) -> Tri:
        matches = []
        for expected in condition.values:
            result, why = _compare(op.family, value, expected, request, variables)
            if why:
                reasons.append(why)
            matches.append(result)
        hit = any3(matches)
        return not3(hit) if op.negated else hit

    if op.qualifier == "ForAllValues":
        result = all3(one(v) for v in values)
    else:
        result = any3(one(v) for v in values)
    return result, (reasons[0] if result is None and reasons else "")


def _null(condition: Condition, absent: bool, values: Tuple[object, ...]) -> Tuple[Tri, str]:
    if not absent and not values:
        return None, f"condition key {condition.key!r} is an empty list; Null is not documented for it"
    results = []
    for expected in condition.values:
        wanted = _bool(expected)
        if wanted is None:
            return None, f"Null needs 'true' or 'false', not {expected!r}"
        results.append(wanted == absent)
    return any3(results), ""


def _compare(family: str, value: object, expected: object, request: Request,
             variables: bool) -> Tuple[Tri, str]:
    """Whether one context value matches one policy value (before any negation)."""
    if family in _VARIABLE_FAMILIES and isinstance(expected, str):
        resolved = resolve(expected, request, variables)
        if resolved.src is None:
            return None, resolved.why
        src = resolved.src
    else:
        src = globs.source(_text(expected))
    if family in ("string", "string_ic"):
        left, right = _text(value), globs.unescape(src)
        if family == "string_ic":
            left, right = left.lower(), right.lower()
        return left == right, ""
    if family == "like":
        return globs.match(src, _text(value)), ""
    if family == "arn":
        result = arn_like(src, _text(value))
        return result, ("" if result is not None else f"{_text(value)!r} or {expected!r} is not an ARN")
    if family == "bool":
        given, wanted = _bool(value), _bool(globs.unescape(src) if isinstance(expected, str) else expected)
        if given is None or wanted is None:
            return None, f"Bool compares 'true' or 'false', not {value!r} and {expected!r}"
        return given == wanted, ""
    if family.startswith("num"):
        return _ordered(family[3:], _number(value), _number(expected), "number", value, expected)
    if family.startswith("date"):
        return _ordered(family[4:], _date(value), _date(expected), "date", value, expected)
    if family == "ip":
        return _ip(value, expected)
    return None, f"no comparison for {family}"


_ORDER: Dict[str, Callable[[object, object], bool]] = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def _ordered(how: str, left: object, right: object, kind: str, value: object,
             expected: object) -> Tuple[Tri, str]:
    if left is None or right is None:
        return None, f"cannot read {value!r} and {expected!r} as a {kind}"
    return _ORDER[how](left, right), ""


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _bool(value: object) -> Optional[bool]:
    # Only the spellings AWS documents; anything else is left undecided.
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(value) if isinstance(value, str) else None


def _number(value: object) -> Optional[Decimal]:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _date(value: object) -> Optional[datetime]:
    """ISO 8601 (extended format) with a time zone, a bare date (read as UTC midnight), or epoch seconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if _EPOCH.match(text):
            return datetime.fromtimestamp(float(text), tz=timezone.utc)
        if _DATE_ONLY.match(text):
            return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
        match = _DATE_TIME.match(text)
        # Without a zone the instant is ambiguous; W3C date-times always carry one.
        if match is None or not (match.group(8) or match.group(9)):
            return None
        year, month, day, hour, minute, second, fraction, _, sign, zone_hours, zone_minutes = match.groups()
        zone = timezone.utc
        if sign:
            offset = timedelta(hours=int(zone_hours), minutes=int(zone_minutes or 0))
            zone = timezone(-offset if sign == "-" else offset)
        return datetime(int(year), int(month), int(day), int(hour), int(minute or 0), int(second or 0),
                        int((fraction or "")[:6].ljust(6, "0")), tzinfo=zone)
    except (ValueError, OverflowError, OSError):
        return None


def _ip(value: object, expected: object) -> Tuple[Tri, str]:
    try:
        network = ipaddress.ip_network(str(expected).strip(), strict=False)
    except ValueError:
        return None, f"{expected!r} is not an IP address or CIDR range"
    try:
        address = ipaddress.ip_address(str(value).strip())
    except ValueError:
        return None, f"{value!r} is not an IP address"
    if address.version != network.version:
        return False, ""
    return address in network, ""
