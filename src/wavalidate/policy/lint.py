"""Lint checks on single policy documents, reported with a path to the element at fault."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, FrozenSet, List, Mapping, Optional, Tuple

from .. import arns
from .conditions import parse_operator
from .model import VERSION_OLD, Path, Policy, PolicyError, PrincipalEntry, Statement
from .parse import parse_policy

_SERVICE_WILDCARD = re.compile(r"^[A-Za-z0-9-]+:\*$")

# Keys that narrow who can use an open trust policy (when tested positively).
RESTRICTING_KEYS = frozenset({
    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
    "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths",
    "aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:userid", "sts:externalid",
})
# Keys that make a cross-account trust safer (confused deputy, stolen credentials).
CROSS_ACCOUNT_KEYS = frozenset({
    "sts:externalid", "aws:multifactorauthpresent", "aws:multifactorauthage",
    "aws:principalorgid", "aws:principalorgpaths",
})


@dataclass(frozen=True)
class Problem:
    """One finding: a stable code, the path of the element at fault, and a message."""

    code: str
    path: Path
    message: str
    account: Optional[str] = None  # cross-account-trust-without-condition: the trusted account


# Policies without a Principal, by kind, as messages name them.
IDENTITY_KINDS = {"identity": "an identity-based policy", "scp": "an SCP", "boundary": "a permissions boundary",
                  "session": "a session policy"}


def lint_identity_policy(doc: Mapping[str, Any], kind: str = "identity") -> List[Problem]:
    """Checks for a policy attached to a user, group or role, or used as a boundary, session policy or SCP
    (`kind`, one of IDENTITY_KINDS)."""
    policy, problems = _parse(doc)
    if policy is None:
        return problems
    what = IDENTITY_KINDS.get(kind, IDENTITY_KINDS["identity"])
    for st in policy.statements:
        for key, entries in (("Principal", st.principals), ("NotPrincipal", st.not_principals)):
            if entries is not None:
                problems.append(Problem("principal-in-identity-policy", st.path + (key,),
                                        f"{key} is not allowed in {what}"))
        problems.extend(_group_principals(st))
        problems.extend(_wildcards(doc, st))
    return problems


def lint_resource_policy(doc: Mapping[str, Any]) -> List[Problem]:
    """Checks for a policy attached to a resource (bucket, queue, key, ...)."""
    policy, problems = _parse(doc)
    if policy is None:
        return problems
    for st in policy.statements:
        problems.extend(_missing_principal(st, "a resource-based policy"))
        problems.extend(_group_principals(st))
        problems.extend(_wildcards(doc, st))
    return problems


def lint_trust_policy(doc: Mapping[str, Any], role_account: Optional[str] = None) -> List[Problem]:
    """Checks for a role's trust (assume-role) policy; `role_account` enables the cross-account check."""
    policy, problems = _parse(doc)
    if policy is None:
        return problems
    for st in policy.statements:
        problems.extend(_missing_principal(st, "a trust policy"))
        problems.extend(_group_principals(st))
        if st.is_allow and st.not_principals is not None and not _has_key(st, RESTRICTING_KEYS):
            problems.append(Problem(
                "open-trust-policy", st.path + ("NotPrincipal",),
                "Allow with NotPrincipal lets every other principal assume the role"))
        if not st.is_allow or st.principals is None:
            continue
        for entry in st.principals:
            if _is_everyone(entry):
                if not _has_key(st, RESTRICTING_KEYS):
                    problems.append(Problem(
                        "open-trust-policy", entry.path,
                        "the role can be assumed by any principal: add a condition such as "
                        "aws:PrincipalOrgID, aws:PrincipalArn or sts:ExternalId"))
                continue
            account = _account_of(entry)
            if (role_account and account and account != role_account
                    and not _has_key(st, CROSS_ACCOUNT_KEYS)):
                problems.append(Problem(
                    "cross-account-trust-without-condition", entry.path,
                    f"account {account} can assume this role of account {role_account} without a "
                    "condition such as sts:ExternalId or aws:MultiFactorAuthPresent", account))
    return problems


def _parse(doc: Mapping[str, Any]) -> Tuple[Optional[Policy], List[Problem]]:
    try:
        policy = parse_policy(doc)
    except PolicyError as error:
        return None, [Problem("invalid-policy", error.path, error.message)]
    problems = []
    if policy.version is None:
        problems.append(Problem("missing-version", (),
                                "no Version: the old policy language applies and policy variables are "
                                "literal text; use \"2012-10-17\""))
    elif policy.version == VERSION_OLD:
        problems.append(Problem("old-version", ("Version",),
                                "Version 2008-10-17 does not support policy variables; use \"2012-10-17\""))
    return policy, problems


def _missing_principal(st: Statement, what: str) -> List[Problem]:
    if st.has_principal:
        return []
    return [Problem("missing-principal", st.path, f"a statement of {what} needs a Principal")]


def _group_principals(st: Statement) -> List[Problem]:
    found = []
    for entries in (st.principals, st.not_principals):
        for entry in entries or ():
            if entry.kind == "AWS" and arns.is_group(entry.value):
                found.append(Problem("group-principal", entry.path,
                                     f"{entry.value} is a group; groups cannot be principals"))
    return found


def _element_items(doc: Mapping[str, Any], st: Statement, key: str) -> List[Tuple[str, Path]]:
    """The values of one statement element with the path of each."""
    raw = _lookup(doc, st.path).get(key)
    if isinstance(raw, str):
        return [(raw, st.path + (key,))]
    if isinstance(raw, list):
        return [(item, st.path + (key, i)) for i, item in enumerate(raw)]
    return []


def _wildcards(doc: Mapping[str, Any], st: Statement) -> List[Problem]:
    if not st.is_allow or st.resources is None or "*" not in st.resources:
        return []
    found = []
    for action, path in _element_items(doc, st, "Action"):
        if action == "*":
            found.append(Problem("allow-all", path, "allows every action on every resource"))
        elif _SERVICE_WILDCARD.match(action):
            service = action.split(":", 1)[0]
            found.append(Problem("service-wildcard", path,
                                 f"allows every {service} action on every resource"))
    return found


def _lookup(doc: Any, path: Path) -> Mapping[str, Any]:
    for item in path:
        doc = doc[item]
    return doc if isinstance(doc, Mapping) else {}


def _is_everyone(entry: PrincipalEntry) -> bool:
    return entry.kind == "*" or (entry.kind == "AWS" and entry.value == "*")


def _account_of(entry: PrincipalEntry) -> Optional[str]:
    if entry.kind != "AWS":
        return None
    return arns.principal_account(entry.value)


def _has_key(st: Statement, keys: FrozenSet[str]) -> bool:
    """Whether a condition tests one of `keys` in a way that narrows access."""
    for condition in st.conditions:
        if condition.key.lower() not in keys:
            continue
        op = parse_operator(condition.operator)
        # Unsupported operators get the benefit of the doubt; negated, IfExists and Null
        # tests let requests without the key (or with other values) through.
        if op is None or not (op.negated or op.if_exists or op.family == "null"):
            return True
    return False
