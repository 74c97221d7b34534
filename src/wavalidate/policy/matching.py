"""Matching of actions, resource ARNs and principals against policy elements."""
from __future__ import annotations

import enum
from typing import Optional, Tuple

from .. import arns
from . import globs
from .logic import Tri
from .model import PrincipalEntry
from .request import PrincipalInfo, PrincipalKind, describe_principal


def action_matches(pattern: str, action: str) -> bool:
    """Action names compare case-insensitively; `*` and `?` are wildcards."""
    return globs.match(globs.source(pattern), action, ignore_case=True)


def resource_matches(src: str, resource: str) -> Tri:
    """Match a Resource pattern source against a resource ARN.

    AWS documents that wildcards work within ARN segments, and that a `*`
    ending a segment "can" expand across colons. Rather than guess where the
    boundary lies, the pattern is read both ways (wildcards confined to a
    segment, and unconfined); when the readings differ the answer is unknown.
    """
    if src == "*":
        return True
    bounded = globs.match(src, resource, colon_bound=True)
    free = globs.match(src, resource, colon_bound=False)
    return bounded if bounded == free else None


def arn_like(src: str, value: str) -> Tri:
    """ArnLike/ArnEquals: each of the six ARN components is matched on its own."""
    pattern_parts, value_parts = arns.split(src), arns.split(value)
    if pattern_parts is None or value_parts is None:
        return None  # not ARNs: AWS does not document what the operator does then
    return all(globs.match(p, v) for p, v in zip(pattern_parts, value_parts))


class Grant(enum.Enum):
    """How a resource-based policy statement names the requester."""

    EXACT = "names the principal itself"
    ROLE = "names the role of the session"
    ACCOUNT = "names the principal's account"
    WILDCARD = "names every principal"
    EXTERNAL = "names the service or identity provider"


def principal_match(entry: PrincipalEntry, who: PrincipalInfo) -> Tuple[Tri, Optional[Grant], str]:
    """Whether one Principal value covers the requester, how, and (when unknown) why."""
    if entry.kind == "*" or (entry.kind == "AWS" and entry.value == "*"):
        return True, Grant.WILDCARD, ""
    if entry.kind == "AWS":
        return _aws_principal(entry.value, who)
    if entry.kind == "CanonicalUser" and who.kind in (PrincipalKind.ANONYMOUS, PrincipalKind.EXTERNAL):
        return (entry.value == who.text), (Grant.EXTERNAL if entry.value == who.text else None), ""
    if entry.kind == "CanonicalUser":
        # A canonical user id stands for an account the evaluator cannot map to an id.
        return None, None, f"canonical user {entry.value} cannot be related to account ids"
    if who.kind is PrincipalKind.EXTERNAL and entry.value == who.text:
        return True, Grant.EXTERNAL, ""
    return False, None, ""


def _aws_principal(value: str, who: PrincipalInfo) -> Tuple[Tri, Optional[Grant], str]:
    account = value if arns.is_account_id(value) else arns.root_account(value)
    if account is not None:
        if who.account != account or who.kind is PrincipalKind.EXTERNAL:
            return False, None, ""
        return True, (Grant.EXACT if who.kind is PrincipalKind.ROOT else Grant.ACCOUNT), ""
    if "*" in value or "?" in value:
        return None, None, f"principal {value!r}: AWS allows no partial wildcards in principals"
    try:
        named = describe_principal(value)
    except ValueError as error:
        return None, None, str(error)
    if named.kind in (PrincipalKind.EXTERNAL, PrincipalKind.ANONYMOUS):
        if who.kind in (PrincipalKind.ANONYMOUS, PrincipalKind.EXTERNAL):
            return False, None, ""
        # Unique ids (AIDA..., AROA...) appear when the named principal was deleted.
        return None, None, f"principal {value!r} is not an ARN the evaluator can relate to the requester"
    if named.account != who.account:
        return False, None, ""
    if named.kind is PrincipalKind.ROLE:
        # Role names are unique in an account, so a session's role name identifies its role.
        same = who.kind in (PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION) and who.name == named.name
        return same, (Grant.ROLE if same else None), ""
    if named.kind is PrincipalKind.USER and who.kind is PrincipalKind.FEDERATED_USER:
        # Documented to cover sessions that user federated, but the session ARN does not say who did.
        return None, None, f"principal {value!r} may be the IAM user who federated this session"
    if named.kind is PrincipalKind.USER:
        same = who.kind is PrincipalKind.USER and who.name == named.name
        return same, (Grant.EXACT if same else None), ""
    if named.kind is PrincipalKind.ROLE_SESSION and who.kind is PrincipalKind.ROLE:
        if who.name != named.name:
            return False, None, ""
        return None, None, f"principal {value!r} names a session; the request gives only the role"
    same = who.kind is named.kind and who.text == named.text
    return same, (Grant.EXACT if same else None), ""


def excluded_by(entries: Tuple[PrincipalEntry, ...], who: PrincipalInfo) -> Tri:
    """Whether a NotPrincipal list excludes the requester.

    AWS may check the account, the role and the session in turn, so the
    requester is only certainly excluded when every one of those layers is
    listed, and certainly not excluded when none is.
    """
    hits = [principal_match(entry, who) for entry in entries]
    if any(matched is True and grant is Grant.WILDCARD for matched, grant, _ in hits):
        return True
    layers = {grant for matched, grant, _ in hits if matched is True}
    unknown = any(matched is None for matched, _, _ in hits)
    needed = {
        PrincipalKind.ROOT: {Grant.EXACT},
        PrincipalKind.USER: {Grant.EXACT, Grant.ACCOUNT},
        PrincipalKind.ROLE_SESSION: {Grant.EXACT, Grant.ROLE, Grant.ACCOUNT},
        PrincipalKind.FEDERATED_USER: {Grant.EXACT, Grant.ACCOUNT},
        PrincipalKind.EXTERNAL: {Grant.EXTERNAL},
    }.get(who.kind)
    if not layers and not unknown:
        return False
    if needed is not None and needed <= layers:
        return True
    return None
