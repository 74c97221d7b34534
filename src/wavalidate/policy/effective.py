"""Whether an identity-based Allow can take effect under a permissions boundary, SCPs and session policies."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import globs
from .conditions import parse_operator
from .evaluator import PolicyLike, PolicySet, as_policies, parsed, parsed_levels
from .logic import Tri, any3, not3
from .matching import action_matches, resource_matches
from .model import VERSION_CURRENT, Policy, Reason, Statement, Why, texts
from .parse import parse_policy
from .variables import has_variables

Target = Union[Statement, Policy, Mapping[str, Any]]


@dataclass(frozen=True)
class EffectiveAllow:
    """`effective`: True (some of it can take effect), False (cancelled), None (unknown)."""

    effective: Optional[bool]
    details: Tuple[Reason, ...]

    @property
    def reasons(self) -> Tuple[str, ...]:
        return texts(self.details)

    def cause(self) -> str:
        """Why it is cancelled (or the first reason), without the statement it is about."""
        chosen = next((r for r in self.details if r.kind in (Why.NONE_ALLOWED, Why.DENY)), self.details[0])
        return chosen.text


@dataclass(frozen=True)
class _Set:
    """A set of names: the union of `pats`, or its complement when `neg`.

    Unless `exact`, `pats` over-approximate the policy's patterns (variables
    read as `*`): the union is then an upper bound of the true set, and the
    complement a lower bound. Each check below only uses a set in the role
    its bound supports.
    """

    pats: Tuple[str, ...]
    neg: bool
    exact: bool
    actions: bool  # action names: case-insensitive, no ARN segments

    @property
    def has_upper(self) -> bool:
        return self.exact or not self.neg

    @property
    def has_lower(self) -> bool:
        return self.exact or self.neg


def _set(patterns: Optional[Tuple[str, ...]], negated: Optional[Tuple[str, ...]],
         actions: bool, variables: bool) -> _Set:
    if patterns is None and negated is None:
        return _Set(("*",), False, False, actions)  # no Resource: not valid here, so only "at most all"
    raw = patterns if patterns is not None else (negated or ())
    exact = not (variables and any(has_variables(p) for p in raw))
    return _Set(tuple(_approx(p, variables) for p in raw), patterns is None, exact, actions)


def _approx(pattern: str, variables: bool) -> str:
    if not (variables and has_variables(pattern)):
        return globs.source(pattern)
    # A variable may stand for any text, so `*` over-approximates it.
    return re.sub(r"\$\{[^}]*\}", "*", globs.source(pattern))


def _overlap(a: str, b: str, actions: bool) -> bool:
    """Could one name match both patterns (read as widely as AWS might)."""
    return globs.overlaps(a, b, ignore_case=actions)


def _within(inner: str, outer: str, actions: bool) -> bool:
    """Does `outer` certainly match every name `inner` might match."""
    if outer == "*":
        return True
    if actions:
        return globs.contains(outer, inner, ignore_case=True)
    return globs.contains(outer, inner, outer_colon_bound=True, inner_colon_bound=False)


def disjoint(x: _Set, y: _Set) -> bool:
    """Certainly no common element."""
    if not (x.has_upper and y.has_upper):
        return False
    if not x.neg and not y.neg:
        return all(not _overlap(a, b, x.actions) for a in x.pats for b in y.pats)
    if x.neg and y.neg:
        return "*" in x.pats or "*" in y.pats
    pos, neg = (x, y) if not x.neg else (y, x)
    return all(any(_within(a, b, pos.actions) for b in neg.pats) for a in pos.pats)


def subset(inner: _Set, outer: _Set) -> bool:
    """Certainly `inner` within `outer`."""
    if not (inner.has_upper and outer.has_lower):
        return False
    if not inner.neg and not outer.neg:
        return all(any(_within(a, b, inner.actions) for b in outer.pats) for a in inner.pats)
    if not inner.neg and outer.neg:
        return all(not _overlap(a, b, inner.actions) for a in inner.pats for b in outer.pats)
    if inner.neg and not outer.neg:
        return "*" in outer.pats
    return all(any(_within(b, a, inner.actions) for a in inner.pats) for b in outer.pats)


def _empty(x: _Set) -> bool:
    return x.neg and x.exact and "*" in x.pats


@dataclass(frozen=True)
class _Rule:
    """A limit statement reduced to what set reasoning needs."""

    label: str
    allow: bool
    actions: _Set
    resources: _Set
    unconditional: bool
    statement: Statement

    def matches(self, action: str, resource: str) -> Tri:
        """Whether this statement's Action and Resource cover one concrete request."""
        st = self.statement
        if st.actions is not None:
            hit = any(action_matches(p, action) for p in st.actions)
        else:
            hit = not any(action_matches(p, action) for p in st.not_actions or ())
        if not hit:
            return False
        if st.resources is None and st.not_resources is None:
            return None
        # Without variables the patterns are exact; with them, `pats` bound them from above,
        # so only a miss is certain.
        found = any3(resource_matches(p, resource) for p in self.resources.pats)
        if not self.resources.exact and found is not False:
            found = None
        return found if not self.resources.neg else not3(found)


def _rules(name: str, policies: Sequence[Policy]) -> List[_Rule]:
    rules = []
    for policy in policies:
        for st in policy.statements:
            rules.append(_Rule(
                label=f"{name} {policy.name!r} {st.label()}",
                allow=st.is_allow,
                actions=_set(st.actions, st.not_actions, True, False),
                resources=_set(st.resources, st.not_resources, False, policy.variables_enabled),
                # A Principal is not valid here; treat it like a condition that may not hold.
                unconditional=not st.conditions and not st.has_principal,
                statement=st,
            ))
    return rules


def _satisfiable(statement: Statement) -> bool:
    """Whether some request context certainly satisfies the statement's conditions."""
    keys = [c.key.lower() for c in statement.conditions]
    if len(keys) != len(set(keys)):
        return False  # several operators on one key may contradict each other
    return all(parse_operator(c.operator) is not None for c in statement.conditions)


def _target_statements(target: Target) -> List[Tuple[Statement, Policy]]:
    if isinstance(target, Statement):
        return [(target, Policy((target,), VERSION_CURRENT))]
    if isinstance(target, Policy):
        return [(s, target) for s in target.statements]
    if isinstance(target, Mapping) and "Statement" in target:
        policy = parse_policy(target)
        return [(s, policy) for s in policy.statements]
    if isinstance(target, Mapping):
        # A lone statement is read as part of a 2012-10-17 policy.
        policy = parse_policy({"Version": VERSION_CURRENT, "Statement": dict(target)})
        return [(policy.statements[0], policy)]
    raise TypeError("effective_allow() needs a statement, a policy, or a document")


def effective_allow(target: Target, limits: Optional[PolicySet] = None, *,
                    boundary: Optional[Iterable[PolicyLike]] = None,
                    scps: Optional[Iterable[Iterable[PolicyLike]]] = None,
                    session: Optional[Iterable[PolicyLike]] = None,
                    principal_is_management_account: bool = False) -> EffectiveAllow:
    """Whether an identity-based Allow statement (or any Allow of a policy) survives the limits.

    This reasons about every request a statement could allow, not one request:
    action and resource patterns are compared as sets (overlap and containment
    of wildcard patterns). It answers False only when no request the statement
    allows can get past the limits (some limit allows none of it, or an
    unconditional Deny covers it), True only when some request certainly gets
    past (an unconditional Allow at every limit covers the statement, or one
    name it covers, and no Deny can touch that), and None otherwise. Names are
    members of the patterns, not looked up in a catalogue of real AWS actions:
    `s3:Delete*` survives a Deny of `s3:DeleteBucket` because of, say,
    `s3:DeleteObject` (shown as the synthetic `s3:Deletex`).

    Limits come from `limits` (its boundary, session and SCPs) or the keyword
    arguments; SCPs are skipped for the management account. For a policy the
    answer is True if some Allow statement survives, False if none does.
    """
    if limits is not None:
        boundary_p, session_p = parsed(limits.boundary), parsed(limits.session)
        scp_levels: Optional[Tuple[Tuple[Policy, ...], ...]] = parsed_levels(limits.scps)
        management = limits.principal_is_management_account
    else:
        boundary_p = as_policies(boundary, "boundary")
        session_p = as_policies(session, "session")
        scp_levels = None if scps is None else tuple(
            as_policies(level, f"SCP[{n}]") or () for n, level in enumerate(scps))
        management = principal_is_management_account
    levels: List[Tuple[str, List[_Rule]]] = []
    if boundary_p is not None:
        levels.append(("permissions boundary", _rules("permissions boundary", boundary_p)))
    if session_p is not None:
        levels.append(("session policy", _rules("session policy", session_p)))
    if scp_levels and not management:
        levels.extend((f"SCP level {n}", _rules(f"SCP level {n}", level)) for n, level in enumerate(scp_levels))

    results: List[EffectiveAllow] = []
    for statement, policy in _target_statements(target):
        if statement.is_allow:
            results.append(_statement_effective(statement, policy, levels))
    if not results:
        raise ValueError("effective_allow() needs an Allow statement")
    if len(results) == 1:
        return results[0]
    values = [r.effective for r in results]
    overall = True if True in values else (False if all(v is False for v in values) else None)
    return EffectiveAllow(overall, tuple(line for r in results for line in r.details))


def _statement_effective(statement: Statement, policy: Policy,
                         levels: List[Tuple[str, List[_Rule]]]) -> EffectiveAllow:
    where = statement.label()
    if statement.has_principal:
        return EffectiveAllow(None, (Reason(Why.NOTE, "has a Principal, so it is not an identity-based statement",
                                            where),))
    actions = _set(statement.actions, statement.not_actions, True, False)
    resources = _set(statement.resources, statement.not_resources, False, policy.variables_enabled)
    if _empty(actions) or _empty(resources):
        return EffectiveAllow(False, (Reason(Why.NOTE, "NotAction/NotResource '*' leaves nothing to allow", where),))
    if not levels:
        return EffectiveAllow(True if _satisfiable(statement) else None,
                              (Reason(Why.NOTE, "no permissions boundary, session policy or SCP limits it", where),))
    regions = [(a, r) for a in _split(actions) for r in _split(resources)]
    statuses = [_region(a, r, levels) for a, r in regions]
    values = [value for value, _ in statuses]
    reasons = [Reason(why.kind, why.text, where) for _, why in statuses]
    if True in values:
        exact = actions.exact and resources.exact
        if exact and _satisfiable(statement):
            return EffectiveAllow(True, tuple(reasons))
        return EffectiveAllow(None, tuple(reasons) + (
            Reason(Why.OPEN, "its conditions or policy variables may never hold", where),))
    if all(v is False for v in values):
        return EffectiveAllow(False, tuple(reasons))
    return EffectiveAllow(None, tuple(reasons))


def _split(x: _Set) -> List[_Set]:
    if x.neg:
        return [x]
    return [_Set((p,), False, x.exact, x.actions) for p in x.pats]


def _describe(actions: _Set, resources: _Set) -> str:
    def text(s: _Set) -> str:
        shown = ", ".join(globs.unescape(p) for p in s.pats) or "*"
        return f"not {shown}" if s.neg else shown
    return f"{text(actions)} on {text(resources)}"


def _region(actions: _Set, resources: _Set, levels: List[Tuple[str, List[_Rule]]]) -> Tuple[Optional[bool], Reason]:
    what = _describe(actions, resources)
    for name, rules in levels:
        allows = [r for r in rules if r.allow]
        if all(disjoint(actions, r.actions) or disjoint(resources, r.resources) for r in allows):
            return False, Reason(Why.NONE_ALLOWED, f"{what}: {name} allows none of it")
    for _, rules in levels:
        for rule in rules:
            if (not rule.allow and rule.unconditional and subset(actions, rule.actions)
                    and subset(resources, rule.resources)):
                return False, Reason(Why.DENY, f"{what}: explicit deny by {rule.label}")
    # A complement might hold no name at all, so only patterns prove something is covered.
    if not actions.neg and not resources.neg and _covered(actions, resources, levels):
        return True, Reason(Why.PASSES, f"{what}: every limit allows it and no limit denies any of it")
    for action, resource in _examples(actions, resources, levels):
        if _passes(action, resource, levels):
            return True, Reason(Why.PASSES, f"{what}: for one, {action!r} on {resource!r} passes every limit")
    return None, Reason(Why.OPEN, f"{what}: the limits may allow only part of it, only under conditions, "
                                  "or deny part of it")


def _covered(actions: _Set, resources: _Set, levels: List[Tuple[str, List[_Rule]]]) -> bool:
    """Every level allows all of the region unconditionally and no Deny touches it."""
    for _, rules in levels:
        if not any(r.allow and r.unconditional and subset(actions, r.actions) and subset(resources, r.resources)
                   for r in rules):
            return False
    return all(r.allow or disjoint(actions, r.actions) or disjoint(resources, r.resources)
               for _, rules in levels for r in rules)


def _examples(actions: _Set, resources: _Set,
              levels: List[Tuple[str, List[_Rule]]]) -> List[Tuple[str, str]]:
    """Concrete requests inside the region to try as witnesses: drawn from its own
    patterns and from the limits' Allow patterns (which name what they let through)."""
    if not (actions.exact and resources.exact):
        return []
    action_pats = list(actions.pats if not actions.neg else ())
    resource_pats = list(resources.pats if not resources.neg else ())
    for _, rules in levels:
        for rule in rules:
            if rule.allow and not rule.actions.neg:
                action_pats.extend(rule.actions.pats)
            if rule.allow and not rule.resources.neg and rule.resources.exact:
                resource_pats.extend(rule.resources.pats)
    names = [(globs.example(a, f), globs.example(r, f))
             for a in dict.fromkeys(action_pats) for r in dict.fromkeys(resource_pats) for f in ("x", "")]
    inside = _Rule("", True, actions, resources, True, Statement(
        "Allow", (), actions=None if actions.neg else tuple(map(globs.unescape, actions.pats)),
        not_actions=tuple(map(globs.unescape, actions.pats)) if actions.neg else None,
        resources=None if resources.neg else tuple(map(globs.unescape, resources.pats)),
        not_resources=tuple(map(globs.unescape, resources.pats)) if resources.neg else None))
    return [(a, r) for a, r in dict.fromkeys(names) if inside.matches(a, r) is True]


def _passes(action: str, resource: str, levels: List[Tuple[str, List[_Rule]]]) -> bool:
    """One concrete request certainly allowed by every level and certainly denied by none."""
    for _, rules in levels:
        if not any(r.allow and r.unconditional and r.matches(action, resource) is True for r in rules):
            return False
    return all(r.allow or r.matches(action, resource) is False for _, rules in levels for r in rules)
