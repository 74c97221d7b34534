"""A request to evaluate: who asks for which action on which resource, and what is known of its context."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Dict, FrozenSet, Mapping, Optional, Tuple

from ..arns import account_of, iam_parts

ANONYMOUS = "anonymous"


class PrincipalKind(enum.Enum):
    ROOT = "root user"
    USER = "IAM user"
    ROLE = "IAM role"  # a role given by its ARN stands for one of its sessions
    ROLE_SESSION = "role session"
    FEDERATED_USER = "federated user session"
    ANONYMOUS = "anonymous"
    EXTERNAL = "external principal"  # service principal, identity provider, canonical user


IAM_KINDS = frozenset({
    PrincipalKind.ROOT, PrincipalKind.USER, PrincipalKind.ROLE,
    PrincipalKind.ROLE_SESSION, PrincipalKind.FEDERATED_USER,
})
SESSION_KINDS = frozenset({PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION, PrincipalKind.FEDERATED_USER})


@dataclass(frozen=True)
class PrincipalInfo:
    """What a principal string says: kind, account and (for users and roles) the name."""

    kind: PrincipalKind
    text: str
    account: Optional[str] = None
    name: Optional[str] = None  # user, role or federated user name
    session: Optional[str] = None
    service_linked: bool = False


def describe_principal(text: str) -> PrincipalInfo:
    """Classify a principal ARN or name; raises ValueError for things that cannot make requests."""
    if text == ANONYMOUS:
        return PrincipalInfo(PrincipalKind.ANONYMOUS, text)
    if text in ("*", ""):
        raise ValueError(f"{text!r} is not a principal; use {ANONYMOUS!r} for unauthenticated requests")
    found = iam_parts(text)
    if not found:
        if text.startswith("arn:"):
            raise ValueError(f"{text!r} is not an IAM or STS principal ARN")
        return PrincipalInfo(PrincipalKind.EXTERNAL, text)
    service, account, rest = found
    kind, _, path = rest.partition("/")
    if service == "iam" and rest == "root":
        return PrincipalInfo(PrincipalKind.ROOT, text, account)
    if service == "iam" and kind == "user" and path:
        return PrincipalInfo(PrincipalKind.USER, text, account, path.rsplit("/", 1)[-1])
    if service == "iam" and kind == "role" and path:
        return PrincipalInfo(PrincipalKind.ROLE, text, account, path.rsplit("/", 1)[-1],
                             service_linked=path.startswith("aws-service-role/"))
    if service == "iam" and kind == "group":
        raise ValueError(f"{text!r} is a group; groups cannot be principals")
    if service == "iam" and kind in ("saml-provider", "oidc-provider"):
        return PrincipalInfo(PrincipalKind.EXTERNAL, text, account)
    if service == "sts" and kind == "assumed-role" and path.count("/") == 1:
        role, session = path.split("/")
        return PrincipalInfo(PrincipalKind.ROLE_SESSION, text, account, role, session)
    if service == "sts" and kind == "federated-user" and path:
        return PrincipalInfo(PrincipalKind.FEDERATED_USER, text, account, path)
    raise ValueError(f"{text!r} is not a principal that can make requests")


class KeyState(enum.Enum):
    KNOWN = "known"
    ABSENT = "absent"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Lookup:
    """A context key as the evaluator sees it; `multi` when given as a list (a multivalued key)."""

    state: KeyState
    values: Tuple[object, ...] = ()
    multi: bool = False


UNKNOWN_KEY = Lookup(KeyState.UNKNOWN)
ABSENT_KEY = Lookup(KeyState.ABSENT)


@dataclass(frozen=True)
class Request:
    """One request. Accounts default to those in the principal and resource ARNs.

    Every condition key is in one of three states: known (a value in
    `context`; a list means a multivalued key), known absent (named in
    `known_absent`, or any key missing from `context` when
    `complete_context=True`), or unknown (everything else). Only known and
    known-absent keys let a condition be decided. Key names are
    case-insensitive, as in AWS.

    A resource of "*" (an action that takes no resource) is in the principal's
    account. An ARN without an account (S3) leaves the resource account unknown
    unless `resource_account` is given; the evaluator then tries both cases.

    With `derive_principal_keys` (the default), keys the principal ARN settles
    are filled in unless given: aws:PrincipalAccount for IAM principals,
    aws:PrincipalArn for users, roles and the root user, aws:username for users.
    """

    principal: str
    action: str
    resource: str
    principal_account: Optional[str] = None
    resource_account: Optional[str] = None
    context: Mapping[str, object] = field(default_factory=dict)
    known_absent: FrozenSet[str] = frozenset()
    complete_context: bool = False
    derive_principal_keys: bool = True
    who: PrincipalInfo = field(init=False, repr=False, compare=False)
    _keys: Mapping[str, Lookup] = field(init=False, repr=False, compare=False)
    _absent: FrozenSet[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if ":" not in self.action:
            raise ValueError(f"action {self.action!r} must look like 'service:Action'")
        who = describe_principal(self.principal)
        if self.principal_account and who.account and self.principal_account != who.account:
            raise ValueError(f"principal_account {self.principal_account} contradicts {self.principal}")
        derived = account_of(self.resource)
        if self.resource_account and derived and self.resource_account != derived:
            raise ValueError(f"resource_account {self.resource_account} contradicts {self.resource}")
        object.__setattr__(self, "who", who)
        object.__setattr__(self, "principal_account", self.principal_account or who.account)
        if self.resource == "*" and not self.resource_account:
            # Actions without a resource (ec2:DescribeInstances) act in the caller's account.
            derived = self.principal_account or who.account
        object.__setattr__(self, "resource_account", self.resource_account or derived)
        object.__setattr__(self, "known_absent", frozenset(self.known_absent))
        absent = frozenset(k.lower() for k in self.known_absent)
        keys: Dict[str, Lookup] = {}
        if self.derive_principal_keys:
            for key, derived_value in _principal_keys(who).items():
                if key not in absent:
                    keys[key] = Lookup(KeyState.KNOWN, (derived_value,))
        for key, value in self.context.items():
            lowered = key.lower()
            if lowered in absent:
                raise ValueError(f"context key {key!r} is both given and known absent")
            if isinstance(value, (list, tuple, set, frozenset)):
                keys[lowered] = Lookup(KeyState.KNOWN, tuple(value), multi=True)
            else:
                keys[lowered] = Lookup(KeyState.KNOWN, (value,))
        object.__setattr__(self, "_keys", MappingProxyType(keys))
        object.__setattr__(self, "_absent", absent)

    def lookup(self, key: str) -> Lookup:
        lowered = key.lower()
        found = self._keys.get(lowered)
        if found is not None:
            return found
        if lowered in self._absent or self.complete_context:
            return ABSENT_KEY
        return UNKNOWN_KEY

    @property
    def service(self) -> str:
        return self.action.split(":", 1)[0].lower()


def _principal_keys(who: PrincipalInfo) -> Dict[str, str]:
    keys: Dict[str, str] = {}
    if who.kind in IAM_KINDS and who.account:
        keys["aws:principalaccount"] = who.account
    if who.kind in (PrincipalKind.USER, PrincipalKind.ROLE, PrincipalKind.ROOT):
        # For a session the role ARN (with its path) is not in the session ARN, so it stays unknown.
        keys["aws:principalarn"] = who.text
    if who.kind is PrincipalKind.USER and who.name:
        keys["aws:username"] = who.name
    return keys
