"""Offline evaluation of AWS IAM policies for one request, with an honest "unknown".

What it follows
---------------
AWS's documented evaluation logic (IAM User Guide, "Policy evaluation logic",
"Cross-account policy evaluation logic", "Permissions boundaries", AWS
Organizations "SCP evaluation" and "RCP evaluation"):

* Every request is implicitly denied unless something allows it; an
  applicable explicit ``Deny`` in any policy type that applies wins.
* Identity-based and resource-based policies grant. Within one account an
  allow in either is enough, with these documented refinements for a
  resource-based policy that names the requester:

  - naming the IAM user ARN, the role session ARN or the federated user
    session ARN grants directly: not limited by the identity-based policies,
    the permissions boundary or the session policy;
  - naming the role ARN (the request comes from one of its sessions) is not
    limited by identity-based policies but is limited by the boundary and
    session policy;
  - naming the account delegates to IAM: the identity side must allow (the
    root user excepted, which has full access);
  - naming everyone (``"*"``, ``{"AWS": "*"}``, an Allow with NotPrincipal):
    AWS says no other permissions are needed for users and roles of the
    account, but does not say whether a boundary or session policy still
    limits it; when one of them would deny, the result is unknown.

  With ``PolicySet(resource_policy_required=True)`` (KMS key policies, role
  trust policies) the resource-based policy must allow in any case.
* Limits grant nothing but must allow: SCPs (every level of the OU path, root
  first and the account last, needs an applicable Allow; not applied to the
  management account, service-linked roles, or non-IAM principals), RCPs
  (every level likewise; not applied to resources of the management account),
  permissions boundaries (IAM users and roles), session policies (role and
  federated user sessions; a federated user session without one is denied, as
  the documented flow says).
* Cross-account: the principal's account (identity-based policies, boundary,
  session policy, SCPs) and the resource's account (resource-based policy
  naming the principal, its account or everyone; RCPs) must both allow. When
  the resource ARN has no account (S3) and the request does not give one,
  both cases are evaluated and must agree.

A `PolicySet` describes the policies of one request: ``scps`` are those of the
principal's account and ``rcps`` those of the resource's account, one list per
level of the OU path (root first, the account last); ``None`` or ``[]``
means no Organizations policies, while an empty level allows nothing. Flags:
``principal_is_management_account``, ``resource_is_management_account``,
``principal_is_service_linked_role`` (recognised without the flag from a role
ARN under ``/aws-service-role/``) and ``resource_policy_required``. Policy
types that cannot apply to the principal (identity-based policies of an
anonymous or service principal, a session policy for an IAM user, ...) are
ignored and the reasons say so.

Where AWS documentation leaves it open whether a limit applies, a limit that
would pass is harmless and one that would block makes the result unknown:
RCPs for services other than S3, STS, SQS, Secrets Manager and KMS (the
documented launch set) and for service-linked roles; a boundary or session
policy against a resource-based grant to everyone.

Supported policy language
-------------------------
Version, Id, Statement (a mapping or a list), Sid, Effect, Principal and
NotPrincipal (``*``, AWS account ids, account root, user, role, role session
and federated user ARNs, Service, Federated, CanonicalUser), Action and
NotAction (case-insensitive, ``*`` and ``?``), Resource and NotResource
(``*`` and ``?``; see `matching.resource_matches`), Condition, and policy
variables (``${key}``, ``${key, 'default'}``, ``${*}``, ``${?}``, ``${$}``) in
Resource and in String, ARN and Bool condition values when the Version is
2012-10-17 (in older or missing versions they are literal text).

Principals: a role ARN as the requester stands for one of its sessions. A
NotPrincipal excludes the requester only when it lists every layer AWS may
check (account, role, session; account and user); listing some is unknown.
A Deny with NotPrincipal always applies to users and roles with a boundary,
as documented. The request's resource ``"*"`` (actions without a resource)
belongs to the principal's account.

Condition operators evaluated exactly: StringEquals, StringNotEquals,
StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike,
NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals,
NumericGreaterThan, NumericGreaterThanEquals, the six Date operators of the
same names, Bool, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, IpAddress,
NotIpAddress, Null; each with the ``IfExists`` suffix (except Null) and the
``ForAnyValue:`` / ``ForAllValues:`` qualifiers. Keys within an operator and
operators within a Condition are ANDed; the values of one key are ORed, and
a negated operator is true when no value matches. A key known to be absent
follows AWS: false for plain operators, true for negated ones, true with
``IfExists`` and ``ForAllValues``, false with ``ForAnyValue``; Null tests
presence. Any other operator (Binary, BinaryEquals, ...) is unknown.

Values: numbers as decimals; dates as ISO 8601 extended format with a time zone,
a bare date (UTC midnight) or epoch seconds (a time without a zone, or another
form, is unknown); Bool as
``true``/``false`` (JSON booleans or those strings); IP addresses with
`ipaddress` (no prefix means one address). A multivalued key under an
operator without a set qualifier is unknown unless it holds one value.

How "unknown" works
-------------------
Each statement applies, does not apply, or is unknown. It is unknown when the
request leaves a condition key unknown (see `Request`), a policy variable
cannot be resolved, an operator or value is outside the subset above, a
pattern reads differently inside and across ARN segments, or the statement is
not valid for its policy type (Principal in an identity-based policy, none in
a resource-based one). Policy results combine in three-valued logic, and the
decision is only ALLOW, EXPLICIT_DENY or IMPLICIT_DENY when it holds however
the unknowns turn out: a definite explicit Deny decides whatever else is
unknown, and an unknown Allow does not matter when a Deny applies or a limit
certainly fails. Otherwise the decision is UNKNOWN; `EvaluationResult.allowed`
is then still False when the request is denied either way (but it cannot be
told whether explicitly). The result never claims a yes or no it cannot back.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union, cast

from .logic import Tri, all3, any3, maybe_exempt
from .matching import Grant
from .model import Decision, Policy, PolicyError, Reason, Why, texts
from .parse import parse_policy
from .request import IAM_KINDS, SESSION_KINDS, PrincipalInfo, PrincipalKind, Request
from .statements import CheckedStatement, Group, check_group

PolicyLike = Union[Policy, Mapping[str, Any]]

# Services whose resources RCPs were documented to cover at launch; for any
# other service, whether an RCP applies is treated as unknown.
RCP_SERVICES = frozenset({"s3", "sts", "sqs", "secretsmanager", "kms"})

def _as_policy(item: PolicyLike, label: str) -> Policy:
    if isinstance(item, Policy):
        return item if item.name else dataclasses.replace(item, name=label)
    try:
        return parse_policy(item, name=(item.get("Id") if isinstance(item, Mapping) else None) or label)
    except PolicyError as error:
        raise PolicyError(f"{label}: {error.message}", error.path) from None


def as_policies(items: Optional[Iterable[PolicyLike]], label: str) -> Optional[Tuple[Policy, ...]]:
    if items is None:
        return None
    if isinstance(items, (Mapping, Policy)):
        raise TypeError(f"{label} must be a sequence of policies, not a single policy")
    return tuple(_as_policy(item, f"{label}#{i}") for i, item in enumerate(items))


@dataclass(frozen=True)
class PolicySet:
    """All policies that bear on one request; documents are parsed once, here."""

    identity: Sequence[PolicyLike] = ()
    resource: Sequence[PolicyLike] = ()
    boundary: Optional[Sequence[PolicyLike]] = None
    session: Optional[Sequence[PolicyLike]] = None
    scps: Optional[Sequence[Sequence[PolicyLike]]] = None
    rcps: Optional[Sequence[Sequence[PolicyLike]]] = None
    principal_is_management_account: bool = False
    resource_is_management_account: bool = False
    principal_is_service_linked_role: bool = False
    resource_policy_required: bool = False

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "identity", as_policies(self.identity, "identity") or ())
        set_(self, "resource", as_policies(self.resource, "resource") or ())
        set_(self, "boundary", as_policies(self.boundary, "boundary"))
        set_(self, "session", as_policies(self.session, "session"))
        for name in ("scps", "rcps"):
            levels = getattr(self, name)
            if levels is not None:
                label = name[:-1].upper()
                set_(self, name, tuple(as_policies(level, f"{label}[{n}]") or ()
                                       for n, level in enumerate(levels)))


def parsed(items: Optional[Sequence[PolicyLike]]) -> Optional[Tuple[Policy, ...]]:
    """A PolicySet field, which `PolicySet.__post_init__` has turned into parsed policies."""
    return cast(Optional[Tuple[Policy, ...]], items)


def parsed_levels(levels: Optional[Sequence[Sequence[PolicyLike]]]) -> Tuple[Tuple[Policy, ...], ...]:
    return cast(Tuple[Tuple[Policy, ...], ...], levels or ())


@dataclass(frozen=True)
class EvaluationResult:
    """The decision, the reasons behind it, and whether the request is allowed (None if unknown)."""

    decision: Decision
    details: Tuple[Reason, ...]
    allowed: Optional[bool] = field(default=None)

    @property
    def reasons(self) -> Tuple[str, ...]:
        return texts(self.details)

    def __post_init__(self) -> None:
        if self.decision is Decision.ALLOW:
            object.__setattr__(self, "allowed", True)
        elif self.decision in (Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY):
            object.__setattr__(self, "allowed", False)


def _direct(grant: Optional[Grant], who: PrincipalInfo, boundary: Tri, session: Tri) -> Tri:
    """How far a same-account resource-based grant of this kind reaches past other policies."""
    if grant is None:
        return None
    if grant is Grant.EXACT:
        return True
    if grant is Grant.ROLE:
        return all3([boundary, session])
    if grant is Grant.WILDCARD:
        return all3([maybe_exempt(boundary), maybe_exempt(session)])
    return False  # an account grant delegates to IAM policies


@dataclass
class _Outcome:
    decision: Decision
    allowed: Optional[bool]
    reasons: List[Reason]


def evaluate(request: Request, policies: PolicySet) -> EvaluationResult:
    """Decide one request against a policy set; see the module documentation."""
    if not isinstance(policies, PolicySet):
        raise TypeError("evaluate() needs a PolicySet")
    who = request.who
    if who.kind not in IAM_KINDS or request.resource_account is not None:
        same = who.kind in IAM_KINDS and request.principal_account == request.resource_account
        outcome = _evaluate(request, policies, same)
        return EvaluationResult(outcome.decision, tuple(outcome.reasons), outcome.allowed)
    within = _evaluate(request, policies, True)
    across = _evaluate(request, policies, False)
    note = Reason(Why.BOTH_ACCOUNTS, "the resource's account is unknown, so same-account and cross-account "
                                     "evaluation were both done")
    if within.decision is across.decision and within.allowed == across.allowed:
        return EvaluationResult(within.decision, tuple([note] + within.reasons), within.allowed)
    allowed = within.allowed if within.allowed == across.allowed else None
    reasons = [note,
               Reason(Why.VERDICT, within.decision.value, "within the account"), *within.reasons,
               Reason(Why.VERDICT, across.decision.value, "across accounts"), *across.reasons]
    return EvaluationResult(Decision.UNKNOWN, tuple(reasons), allowed)


@dataclass
class _Applicable:
    """The policies that apply to this principal, and notes on those that do not."""

    identity: Tuple[Policy, ...]
    boundary: Optional[Tuple[Policy, ...]]
    session: Optional[Tuple[Policy, ...]]
    scp_levels: Tuple[Tuple[Policy, ...], ...]
    rcp_levels: Tuple[Tuple[Policy, ...], ...]
    rcp_uncertain: str
    notes: List[Reason]


def _applicable(request: Request, ps: PolicySet) -> _Applicable:
    """Step 1: drop the policy types that cannot apply to this principal or resource, saying why."""
    who = request.who
    iam = who.kind in IAM_KINDS
    slr = who.service_linked or ps.principal_is_service_linked_role
    notes: List[str] = []
    identity = parsed(ps.identity) if iam and who.kind is not PrincipalKind.ROOT else ()
    boundary = parsed(ps.boundary) if iam and who.kind is not PrincipalKind.ROOT else None
    session = parsed(ps.session) if who.kind in SESSION_KINDS else None
    a_who = _article(who.kind.value)
    if ps.identity and not identity:
        notes.append(f"identity-based policies ignored: {a_who} has none")
    if ps.boundary is not None and boundary is None:
        notes.append(f"permissions boundary ignored: {a_who} cannot have one")
    if ps.session is not None and session is None:
        notes.append(f"session policies ignored: {a_who} is not a session")
    scp_levels: Tuple[Tuple[Policy, ...], ...] = ()
    if ps.scps:
        if not iam:
            notes.append(f"SCPs do not apply to {a_who}")
        elif ps.principal_is_management_account:
            notes.append("SCPs do not apply: the principal is in the management account")
        elif slr:
            notes.append("SCPs do not apply to service-linked roles")
        else:
            scp_levels = parsed_levels(ps.scps)
    rcp_levels: Tuple[Tuple[Policy, ...], ...] = ()
    rcp_uncertain = ""
    if ps.rcps:
        if ps.resource_is_management_account:
            notes.append("RCPs do not apply: the resource is in the management account")
        else:
            rcp_levels = parsed_levels(ps.rcps)
            if request.service not in RCP_SERVICES:
                rcp_uncertain = f"whether RCPs cover {request.service} resources is not known here"
            elif slr:
                rcp_uncertain = "whether RCPs restrict service-linked roles is not known here"
    return _Applicable(identity or (), boundary, session, scp_levels, rcp_levels, rcp_uncertain,
                       [Reason(Why.NOTE, note) for note in notes])


@dataclass
class _Checked:
    """Step 2: every statement of every applicable policy, checked against the request."""

    identity: Group
    boundary: Group
    session: Group
    resource: Group
    scps: List[Group]
    rcps: List[Group]

    @property
    def deny_groups(self) -> List[Group]:
        """The groups whose Deny certainly counts (RCPs are added unless it is unknown whether they apply)."""
        return [self.identity, self.boundary, self.session, self.resource, *self.scps]


def _check(request: Request, ps: PolicySet, applicable: _Applicable) -> _Checked:
    has_boundary = applicable.boundary is not None
    return _Checked(
        check_group("identity-based policy", "identity", applicable.identity, request, has_boundary),
        check_group("permissions boundary", "boundary", applicable.boundary or (), request, has_boundary),
        check_group("session policy", "session", applicable.session or (), request, has_boundary),
        check_group("resource-based policy", "resource", parsed(ps.resource) or (), request, has_boundary),
        [check_group(f"SCP level {n}", "scp", level, request, False) for n, level in enumerate(applicable.scp_levels)],
        [check_group(f"RCP level {n}", "rcp", level, request, False) for n, level in enumerate(applicable.rcp_levels)])


def _denied(checked: _Checked, rcp_uncertain: str) -> Tri:
    """Step 3: whether an explicit Deny applies."""
    rcp_deny = any3(g.denies() for g in checked.rcps)
    if rcp_uncertain:
        rcp_deny = None if rcp_deny is not False else False
    return any3([*(g.denies() for g in checked.deny_groups), rcp_deny])


@dataclass
class _Allow:
    """Step 4: whether the grants and limits allow it, with a line per policy type and what blocks it."""

    value: Tri
    lines: List[Reason] = field(default_factory=list)
    blockers: List[str] = field(default_factory=list)


def _allowed(request: Request, ps: PolicySet, applicable: _Applicable, checked: _Checked, same: bool) -> _Allow:
    who = request.who
    boundary, session = applicable.boundary, applicable.session
    identity_ok: Tri = True if who.kind is PrincipalKind.ROOT else checked.identity.allows()
    boundary_ok: Tri = True if boundary is None else checked.boundary.allows()
    session_ok = checked.session.allows() if session is not None else who.kind is not PrincipalKind.FEDERATED_USER
    scp_ok = all3(g.allows() for g in checked.scps)
    rcp_ok = all3(g.allows() for g in checked.rcps)
    if applicable.rcp_uncertain:
        rcp_ok = maybe_exempt(rcp_ok)
    resource_allows = [c for c in checked.resource.checked if c.statement.is_allow]
    named = any3(c.applies for c in resource_allows)
    out = _Allow(None)
    if who.kind not in IAM_KINDS:
        out.value = all3([rcp_ok, named])
        out.lines.append(_resource_line(named, [c for c in resource_allows if c.applies is True]))
        if named is False:
            out.blockers.append("no resource-based policy statement allows this principal")
    else:
        identity_path = all3([identity_ok, boundary_ok, session_ok])
        if same:
            out.value = _same_account(out, ps, who, resource_allows, named, identity_path, boundary_ok, session_ok,
                                      all3([scp_ok, rcp_ok]))
        else:
            out.value = all3([scp_ok, rcp_ok, identity_path, named])
            out.lines.append(Reason(Why.NOTE, "cross-account: the principal's account and the resource's "
                                              "account must both allow"))
            out.lines.append(_resource_line(named, [c for c in resource_allows if c.applies is True]))
            if identity_path is False:
                out.blockers.append("the principal's account does not allow it (identity-based policies "
                                    "within the boundary and session policy)")
            if named is False:
                out.blockers.append("the resource-based policy does not allow this principal")
        _identity_lines(out, who, applicable, checked, identity_ok, boundary_ok, session_ok)
    out.lines.extend(g.describe_allow(g.allows()) for g in checked.rcps)
    if not applicable.rcp_uncertain:
        out.blockers.extend(f"{g.name} has no statement allowing it" for g in checked.rcps if g.allows() is False)
    else:
        out.lines.append(Reason(Why.NOTE, applicable.rcp_uncertain))
    return out


def _same_account(out: _Allow, ps: PolicySet, who: PrincipalInfo, resource_allows: List[CheckedStatement],
                  named: Tri, identity_path: Tri, boundary_ok: Tri, session_ok: Tri, limits_ok: Tri) -> Tri:
    """Within one account: a resource-based grant may reach past the identity side (see `_direct`)."""
    granting = [(c, all3([c.rest, any3(all3([m, _direct(g, who, boundary_ok, session_ok)]) for m, g in c.hits)]))
                for c in resource_allows]
    direct = any3(value for _, value in granting)
    path = all3([identity_path, named]) if ps.resource_policy_required else identity_path
    out.lines.append(_resource_line(direct, [c for c, value in granting if value is True], "directly"))
    out.lines.extend(_limited_grants(granting))
    if direct is False and path is False:
        out.blockers.append("neither the identity side (identity-based policies within the boundary "
                            "and session policy) nor a direct resource-based grant allows it")
    return all3([limits_ok, any3([direct, path])])


def _identity_lines(out: _Allow, who: PrincipalInfo, applicable: _Applicable, checked: _Checked,
                    identity_ok: Tri, boundary_ok: Tri, session_ok: Tri) -> None:
    """The lines of the principal's side: identity policies, boundary, session policy, SCPs."""
    if who.kind is PrincipalKind.ROOT:
        out.lines.append(Reason(Why.NOTE, "root user: full access unless denied or limited by Organizations "
                                          "policies"))
    else:
        out.lines.append(checked.identity.describe_allow(identity_ok))
    if applicable.boundary is not None:
        out.lines.append(checked.boundary.describe_allow(boundary_ok))
    if applicable.session is not None:
        out.lines.append(checked.session.describe_allow(session_ok))
    elif who.kind is PrincipalKind.FEDERATED_USER:
        out.lines.append(Reason(Why.NOTE, "session policy: none passed, so the federated user session has no "
                                          "identity-based permissions"))
    out.lines.extend(g.describe_allow(g.allows()) for g in checked.scps)
    out.blockers.extend(f"{g.name} has no statement allowing it" for g in checked.scps if g.allows() is False)


def _evaluate(request: Request, ps: PolicySet, same: bool) -> _Outcome:
    applicable = _applicable(request, ps)
    checked = _check(request, ps, applicable)
    deny = _denied(checked, applicable.rcp_uncertain)
    allow = _allowed(request, ps, applicable, checked, same)
    return _decide(deny, allow, checked, applicable)


def _decide(deny: Tri, allow: _Allow, checked: _Checked, applicable: _Applicable) -> _Outcome:
    """Step 5: the decision, certain only when it holds however the unknowns turn out."""
    notes = applicable.notes
    if deny is True:
        counted = checked.deny_groups + ([] if applicable.rcp_uncertain else checked.rcps)
        denials = [Reason(Why.DENY, c.label, "explicit deny") for g in counted for c in g.denying()]
        return _Outcome(Decision.EXPLICIT_DENY, False, denials + notes)
    unknowns = [Reason(Why.UNKNOWN, f"{c.label}: {c.why}", "unknown")
                for g in checked.deny_groups + checked.rcps for c in g.unknown()]
    if deny is False and allow.value is True:
        return _Outcome(Decision.ALLOW, True, allow.lines + notes)
    if deny is False and allow.value is False:
        head = Reason(Why.VERDICT, "; ".join(allow.blockers), "implicit deny")
        return _Outcome(Decision.IMPLICIT_DENY, False, [head] + allow.lines + notes)
    if allow.value is False:
        head = Reason(Why.VERDICT, "denied, but unknown whether explicitly: a Deny statement may apply")
        return _Outcome(Decision.UNKNOWN, False, [head] + unknowns + allow.lines + notes)
    if deny is None:
        head = Reason(Why.VERDICT, "a Deny statement may apply", "unknown")
    else:
        head = Reason(Why.VERDICT, "no Deny applies, but whether something allows the request is unknown", "unknown")
    return _Outcome(Decision.UNKNOWN, None, [head] + unknowns + allow.lines + notes)


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" or noun.startswith("IAM") else "a ") + noun


_LIMITED = {
    Grant.ROLE: "names the role, so the permissions boundary and session policy still limit it",
    Grant.ACCOUNT: "names the account, which leaves the decision to the identity-based policies",
    Grant.WILDCARD: "names every principal; AWS does not document whether a boundary or session policy "
                    "still limits that",
}


def _limited_grants(granting: List[Tuple[CheckedStatement, Tri]]) -> List[Reason]:
    """Explain resource-based statements that name the requester yet do not grant on their own."""
    lines = []
    for checked, value in granting:
        if checked.applies is True and value is not True:
            kinds = [g for m, g in checked.hits if m is True and g in _LIMITED]
            if kinds:
                lines.append(Reason(Why.NOTE, f"{checked.label} {_LIMITED[kinds[0]]}"))
    return lines


def _resource_line(value: Tri, granting: List[CheckedStatement], how: str = "") -> Reason:
    what = f"grants {how}".strip() if how else "allows this principal"
    if value is True:
        return Reason(Why.GRANT, "; ".join(c.label for c in granting), f"resource-based policy {what}",
                      tuple(c.policy for c in granting))
    if value is False:
        return Reason(Why.NOTE, f"no statement {what}", "resource-based policy")
    return Reason(Why.NOTE, f"unknown whether a statement {what}", "resource-based policy")
