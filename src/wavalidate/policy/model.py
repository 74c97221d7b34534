"""Parsed IAM policy documents and the decisions the evaluator can reach."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Optional, Tuple, Union

PathItem = Union[str, int]
Path = Tuple[PathItem, ...]
Scalar = Union[str, bool, int, float]

VERSION_CURRENT = "2012-10-17"
VERSION_OLD = "2008-10-17"
VERSIONS = (VERSION_CURRENT, VERSION_OLD)

# Principal element keys; "*" stands for the bare string form `"Principal": "*"`.
PRINCIPAL_KINDS = ("AWS", "Service", "Federated", "CanonicalUser")


class Decision(enum.Enum):
    """The outcome of evaluating one request."""

    ALLOW = "allow"
    EXPLICIT_DENY = "explicit_deny"
    IMPLICIT_DENY = "implicit_deny"
    UNKNOWN = "unknown"


class Why(enum.Enum):
    """What a line of explanation is, so callers choose lines by kind and never by their wording."""

    NOTE = "note"                      # context: a policy type that does not apply, an assumption
    BOTH_ACCOUNTS = "both accounts"    # the resource's account is unknown, so both cases were evaluated
    VERDICT = "verdict"                # the headline of the decision (implicit deny, unknown)
    GRANT = "grant"                    # statements that allow the request
    DENY = "deny"                      # an explicit Deny that applies, or one that cancels an Allow
    UNKNOWN = "unknown"                # a statement that may apply, and why that is unknown
    CANNOT = "cannot evaluate"         # the request could not be evaluated at all
    NONE_ALLOWED = "none allowed"      # a limit allows none of a statement
    PASSES = "passes"                  # some request of a statement passes every limit
    OPEN = "open"                      # whether a statement passes its limits is open


@dataclass(frozen=True)
class Reason:
    """One line of explanation: its kind, its text, and (shown before a colon) what it is about."""

    kind: Why
    text: str
    head: str = ""
    policies: Tuple[str, ...] = ()  # names of the policies whose statements the line names

    def __str__(self) -> str:
        return f"{self.head}: {self.text}" if self.head else self.text


def texts(details: Tuple[Reason, ...]) -> Tuple[str, ...]:
    return tuple(str(r) for r in details)


def format_path(path: Path) -> str:
    """`("Statement", 0, "Action")` as `Statement[0].Action`, for messages."""
    text = ""
    for item in path:
        text += f"[{item}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return text or "<document>"


class PolicyError(ValueError):
    """A malformed policy document; `path` leads to the offending element."""

    def __init__(self, message: str, path: Path = ()) -> None:
        super().__init__(f"{message} (at {format_path(path)})")
        self.message = message
        self.path = tuple(path)


@dataclass(frozen=True)
class PrincipalEntry:
    """One value of a Principal/NotPrincipal element, e.g. kind "AWS", value an ARN."""

    kind: str
    value: str
    path: Path


@dataclass(frozen=True)
class Condition:
    """One operator/key pair of a Condition element with its values (ORed)."""

    operator: str
    key: str
    values: Tuple[Scalar, ...]
    path: Path


@dataclass(frozen=True)
class Statement:
    """One statement; exactly one of each Action/NotAction pair is set (Resource may be neither)."""

    effect: str
    path: Path
    sid: Optional[str] = None
    principals: Optional[Tuple[PrincipalEntry, ...]] = None
    not_principals: Optional[Tuple[PrincipalEntry, ...]] = None
    actions: Optional[Tuple[str, ...]] = None
    not_actions: Optional[Tuple[str, ...]] = None
    resources: Optional[Tuple[str, ...]] = None
    not_resources: Optional[Tuple[str, ...]] = None
    conditions: Tuple[Condition, ...] = ()

    @property
    def is_allow(self) -> bool:
        return self.effect == "Allow"

    @property
    def has_principal(self) -> bool:
        return self.principals is not None or self.not_principals is not None

    def label(self) -> str:
        where = format_path(self.path)
        return f"statement {self.sid!r} ({where})" if self.sid else f"statement {where}"


@dataclass(frozen=True)
class Policy:
    """A parsed policy document. `name` only serves messages."""

    statements: Tuple[Statement, ...]
    version: Optional[str] = None
    id: Optional[str] = None
    name: Optional[str] = None

    @property
    def variables_enabled(self) -> bool:
        # Without Version 2012-10-17, `${...}` is literal text (IAM policy variables doc).
        return self.version == VERSION_CURRENT
