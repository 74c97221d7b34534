"""One statement checked against one request, and the checked statements of one policy type."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from .conditions import evaluate_conditions
from .logic import Tri, all3, any3, not3
from .matching import Grant, action_matches, excluded_by, principal_match, resource_matches
from .model import Policy, Reason, Statement, Why
from .request import PrincipalInfo, PrincipalKind, Request
from .variables import resolve

_RESOURCE_KINDS = ("resource", "rcp")


@dataclass(frozen=True)
class CheckedStatement:
    """One statement checked against a request, with the first reason when `applies` is None."""

    label: str
    statement: Statement
    applies: Tri
    why: str
    rest: Tri  # everything but the principal
    hits: Tuple[Tuple[Tri, Optional[Grant]], ...]  # principal entries that may cover the requester
    policy: str = ""  # the name of the statement's policy


def check_statement(statement: Statement, policy: Policy, kind: str, request: Request,
                    label: str = "", has_boundary: bool = False) -> CheckedStatement:
    """Whether one statement applies to the request: action, resource, principal, condition.

    `kind` is the policy type: "identity", "boundary", "session" or "scp" (no
    Principal allowed), or "resource" or "rcp" (Principal required).
    """
    reasons: List[str] = []

    def done(applies: Tri, rest: Tri, hits: Tuple[Tuple[Tri, Optional[Grant]], ...] = ()) -> CheckedStatement:
        why = reasons[0] if applies is None and reasons else ""
        return CheckedStatement(label, statement, applies, why, rest, hits, policy.name or "")

    if statement.actions is not None:
        action = any(action_matches(p, request.action) for p in statement.actions)
    else:
        action = not any(action_matches(p, request.action) for p in statement.not_actions or ())
    if not action:
        return done(False, False)
    resource = _resource_applies(statement, policy, kind, request, reasons)
    if resource is False:
        return done(False, False)
    hits: Tuple[Tuple[Tri, Optional[Grant]], ...] = ()
    principal: Tri = True
    if kind in _RESOURCE_KINDS:
        principal, hits = _principal_applies(statement, request.who, has_boundary, reasons)
    elif statement.has_principal:
        principal = None
        reasons.append("Principal/NotPrincipal is not valid in this policy type")
    if principal is False:
        return done(False, None, hits)  # the rest was not looked at: it cannot matter
    condition, why = evaluate_conditions(statement.conditions, request, policy.variables_enabled)
    if why:
        reasons.append(why)
    rest = all3([resource, condition])
    return done(all3([rest, principal]), rest, hits)


def _resource_applies(statement: Statement, policy: Policy, kind: str, request: Request,
                      reasons: List[str]) -> Tri:
    patterns = statement.resources if statement.resources is not None else statement.not_resources
    if patterns is None:
        if kind == "resource":
            return True  # a resource-based policy without Resource covers its own resource
        reasons.append("statement has no Resource or NotResource")
        return None
    results: List[Tri] = []
    for pattern in patterns:
        resolved = resolve(pattern, request, policy.variables_enabled)
        if resolved.src is None:
            reasons.append(resolved.why)
            results.append(None)
            continue
        matched = resource_matches(resolved.src, request.resource)
        if matched is None:
            reasons.append(f"resource pattern {pattern!r} reads differently within and across ARN segments")
        results.append(matched)
    hit = any3(results)
    return hit if statement.resources is not None else not3(hit)


def _principal_applies(statement: Statement, who: PrincipalInfo, has_boundary: bool,
                       reasons: List[str]) -> Tuple[Tri, Tuple[Tuple[Tri, Optional[Grant]], ...]]:
    if statement.principals is not None:
        hits = []
        for entry in statement.principals:
            matched, grant, why = principal_match(entry, who)
            if why:
                reasons.append(why)
            hits.append((matched, grant))
        return any3(m for m, _ in hits), tuple(hits)
    if statement.not_principals is not None:
        if (not statement.is_allow and has_boundary
                and who.kind in (PrincipalKind.USER, PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION)):
            # Documented: Deny with NotPrincipal always denies principals that have a boundary.
            return True, ((True, Grant.WILDCARD),)
        excluded = excluded_by(statement.not_principals, who)
        if excluded is None:
            reasons.append("NotPrincipal lists only some of the requester's account, role and session")
        applies = not3(excluded)
        return applies, ((applies, Grant.WILDCARD),)
    reasons.append("a resource-based policy statement needs a Principal or NotPrincipal")
    return None, ((None, None),)


class Group:
    """The checked statements of one policy type (or one Organizations level)."""

    def __init__(self, name: str, checked: List[CheckedStatement]) -> None:
        self.name = name
        self.checked = checked

    def allows(self) -> Tri:
        return any3(c.applies for c in self.checked if c.statement.is_allow)

    def denies(self) -> Tri:
        return any3(c.applies for c in self.checked if not c.statement.is_allow)

    def allowing(self) -> List[CheckedStatement]:
        return [c for c in self.checked if c.statement.is_allow and c.applies is True]

    def denying(self) -> List[CheckedStatement]:
        return [c for c in self.checked if not c.statement.is_allow and c.applies is True]

    def unknown(self) -> List[CheckedStatement]:
        return [c for c in self.checked if c.applies is None]

    def describe_allow(self, value: Tri) -> Reason:
        if value is True:
            allowing = self.allowing()
            return Reason(Why.GRANT, "allowed by " + "; ".join(c.label for c in allowing), self.name,
                          tuple(c.policy for c in allowing))
        if value is False:
            return Reason(Why.NOTE, "no statement allows the request", self.name)
        return Reason(Why.NOTE, "unknown whether it allows the request", self.name)


def check_group(name: str, kind: str, policies: Sequence[Policy], request: Request,
           has_boundary: bool) -> Group:
    checked = []
    for policy in policies:
        for statement in policy.statements:
            label = f"{name} {policy.name!r} {statement.label()}"
            checked.append(check_statement(statement, policy, kind, request, label, has_boundary))
    return Group(name, checked)
