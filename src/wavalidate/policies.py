"""The policies an architecture holds, and the policy questions rules ask about them.

Every answer comes from `wavalidate.policy` (parser, linter, evaluator),
which is imported inside the functions that need it: it costs tens of
milliseconds to load, and a file without policies never needs it.

Answers that several rules need (lint problems, assertion results) are
memoised per Architecture. The cache holds only computations on values a rule
has already read from the model, so reads of deploy-time values (see
`model.UNKNOWN_READS`) still happen inside every rule that relies on them.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Optional, Sequence

from . import arns
from .arns import Account, Accounts

if TYPE_CHECKING:
    from .model import Architecture, Resource
    from .policy import EffectiveAllow, EvaluationResult, Policy, PolicySet, Problem, Statement

FULL_ACCESS_SCP = {"Version": "2012-10-17", "Id": "FullAWSAccess (default)",
                   "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
FULL_ACCESS_RCP = {"Version": "2012-10-17", "Id": "RCPFullAWSAccess (default)",
                   "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


# -- memo per architecture --------------------------------------------------------------------------

_MEMO: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def memo(arch: Architecture, key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()` once per architecture and key; the entry goes when the architecture does."""
    store = _MEMO.setdefault(arch, {})
    if key not in store:
        store[key] = compute()
    return store[key]


# -- policy documents of the file ----------------------------------------------------------------------

@dataclass(frozen=True)
class PolicyDoc:
    """One policy document in the file: where it is, what kind it is, and the document.

    `kind` is "identity" (inline or managed), "boundary" (an iam_policy used only as a
    permissions boundary), "session", "scp", "rcp", "resource" or "trust".
    """

    owner: Resource
    path: tuple
    kind: str
    doc: Any

    @property
    def label(self) -> str:
        where = ""
        for item in self.path[2:]:
            where += f"[{item}]" if isinstance(item, int) else (f".{item}" if where else str(item))
        return f"{self.owner.type} `{self.owner.name}` {where}"


def policy_documents(arch: Architecture) -> Iterator[PolicyDoc]:
    """Every policy document of the file, in file order."""
    boundaries = {r.get("permission_boundary") for r in arch.of_type("iam_role", "iam_user")}
    attached = {name for r in arch.of_type("iam_role", "iam_user", "iam_group")
                for name in r.get("managed_policies") or ()}
    for res in arch.resources.values():
        t = res.type
        if t in ("iam_user", "iam_group", "iam_role"):
            for i, doc in enumerate(res.get("policies") or ()):
                yield PolicyDoc(res, res.path("policies", i), "identity", doc)
            if t == "iam_role":
                if res.has("trust_policy"):
                    yield PolicyDoc(res, res.path("trust_policy"), "trust", res.get("trust_policy"))
                for i, doc in enumerate(res.get("session_policies") or ()):
                    yield PolicyDoc(res, res.path("session_policies", i), "session", doc)
        elif t == "iam_policy":
            kind = "boundary" if res.name in boundaries and res.name not in attached else "identity"
            yield PolicyDoc(res, res.path("document"), kind, res.get("document"))
        elif t in ("scp", "rcp"):
            yield PolicyDoc(res, res.path("document"), t, res.get("document"))
        elif t in ("s3_bucket", "sqs_queue", "sns_topic"):
            if res.has("policy"):
                yield PolicyDoc(res, res.path("policy"), "resource", res.get("policy"))
            if t == "s3_bucket":
                for i, point in enumerate(res.get("access_points") or ()):
                    if isinstance(point, Mapping) and "policy" in point:
                        yield PolicyDoc(res, res.path("access_points", i, "policy"), "resource", point["policy"])


def parse_named(items: Sequence[tuple[Any, str]]) -> list[Policy]:
    """Documents that parse, each named for messages; malformed ones raise PolicyError with the name."""
    from .policy import PolicyError, parse_policy
    out = []
    for doc, name in items:
        try:
            out.append(parse_policy(doc, name=name))
        except PolicyError as error:
            raise PolicyError(f"{name}: {error.message}", error.path) from None
    return out


def identity_documents(arch: Architecture, principal: Resource) -> list[tuple[Any, str]]:
    """(document, name) of every identity-based policy of a role or user, groups included."""
    found: list[tuple[Any, str]] = []

    def own(res: Resource) -> None:
        for i, doc in enumerate(res.get("policies") or ()):
            found.append((doc, f"{res.name}.policies[{i}]"))
        for name in res.get("managed_policies") or ():
            managed = arch.get(name)
            if managed is not None:
                found.append((managed.get("document"), name))

    own(principal)
    if principal.type == "iam_user":
        for group in arch.all(principal.get("groups")):
            own(group)
    return found


def org_levels(arch: Architecture, account: Account, field_name: str) -> Optional[list[list[tuple[Any, str]]]]:
    """SCP (`scps`) or RCP (`rcps`) levels for an account, or None when the file uses none."""
    if account.resource is None:
        return None
    if not any(r.get(field_name) for r in arch.of_type("account", "org_unit")):
        return None
    default = FULL_ACCESS_SCP if field_name == "scps" else FULL_ACCESS_RCP
    levels = []
    for holder in arns.org_path(arch, account.resource) + [account.resource]:
        names = holder.get(field_name) or ()
        level = [(arch.resources[n].get("document"), n) for n in names if n in arch.resources]
        if field_name == "rcps" or not level:
            # RCPFullAWSAccess cannot be detached; FullAWSAccess is the SCP default until replaced.
            level.append((default, default["Id"]))
        levels.append(level)
    return levels


def principal_limits(arch: Architecture, principal: Resource, accounts: Optional[Accounts] = None) -> PolicySet:
    """The boundary, session policies and SCPs that limit a role or user (no grants); PolicyError if malformed."""
    from .policy import PolicySet
    accounts = accounts or Accounts(arch)
    account = accounts.of(principal)
    boundary = arch.get(principal.get("permission_boundary"))
    sessions = principal.get("session_policies") if principal.type == "iam_role" else None
    levels = org_levels(arch, account, "scps")
    return PolicySet(
        boundary=parse_named([(boundary.get("document"), boundary.name)]) if boundary is not None else None,
        session=parse_named([(d, f"{principal.name}.session_policies[{i}]") for i, d in enumerate(sessions)])
        if sessions else None,
        scps=[parse_named(level) for level in levels] if levels else None,
        principal_is_management_account=account.management)


# -- questions rules ask ------------------------------------------------------------------------------

def parsed_policy(doc: Any) -> Optional[Policy]:
    """The parsed policy, or None when it is malformed (SEC502 reports that)."""
    from .policy import PolicyError, parse_policy
    try:
        return parse_policy(doc)
    except PolicyError:
        return None


def lint_problems(arch: Architecture) -> list[tuple[PolicyDoc, Problem]]:
    """(document, lint problem) for every policy document of the file, each linted as its kind.

    The documents are read from the model on every call; only the linting of
    each document is memoised.
    """
    accounts = Accounts(arch)
    found = []
    for doc in policy_documents(arch):
        from .policy import lint_identity_policy, lint_resource_policy, lint_trust_policy  # only with documents
        if doc.kind == "trust":
            account = accounts.of(doc.owner)
            role_account = account.id if account.known else None
            problems = memo(arch, ("lint", id(doc.doc), "trust", role_account),
                            lambda: lint_trust_policy(doc.doc, role_account))
        elif doc.kind in ("resource", "rcp"):
            problems = memo(arch, ("lint", id(doc.doc), "resource"), lambda: lint_resource_policy(doc.doc))
        else:
            problems = memo(arch, ("lint", id(doc.doc), doc.kind), lambda: lint_identity_policy(doc.doc, doc.kind))
        found.extend((doc, problem) for problem in problems)
    return found


def action_matches(pattern: str, action: str) -> bool:
    """Whether an Action pattern (`*`, `?`, case-insensitive) covers one action name."""
    from .policy.matching import action_matches as matches
    return matches(pattern, action)


def resource_policy_allows(document: Any, principal: str, action: str, resource: str,
                           context: Optional[Mapping[str, object]] = None) -> Optional[EvaluationResult]:
    """How a resource-based policy (which must allow) decides a request of a service or other principal.

    Keys missing from `context` are unknown, so a statement that tests them
    makes the answer unknown rather than a guess. None when the document is
    malformed (SEC502 reports it).
    """
    from .policy import PolicyError, PolicySet, Request, evaluate
    try:
        return evaluate(Request(principal, action, resource, context=dict(context or {})),
                        PolicySet(resource=[document], resource_policy_required=True))
    except (PolicyError, ValueError):
        return None


def cancelled_allows(document: Any, limits: PolicySet) -> list[tuple[Statement, str]]:
    """The Allow statements of an identity policy that the limits cancel, each with the reason."""
    from .policy import Policy, effective_allow
    policy = parsed_policy(document)
    if policy is None:
        return []
    out = []
    for st in policy.statements:
        if not st.is_allow:
            continue
        result: EffectiveAllow = effective_allow(Policy((st,), policy.version, policy.id, policy.name), limits)
        if result.effective is False:
            out.append((st, result.cause()))
    return out


def effective_limits(arch: Architecture, principal: Resource, accounts: Optional[Accounts] = None) -> Optional[PolicySet]:
    """The boundary, session policies and SCPs that limit a role or user, or None when nothing limits it
    (SCPs skip the management account) or a limit is malformed (SEC502 reports that)."""
    from .policy import PolicyError
    try:
        limits = principal_limits(arch, principal, accounts)
    except PolicyError:
        return None
    if limits.boundary is None and limits.session is None and (
            not limits.scps or limits.principal_is_management_account):
        return None
    return limits


def assertion_results(arch: Architecture) -> list:
    """The outcome of every access assertion of the file (`access.AssertionResult`), evaluated once.

    Each assertion watches its own reads of deploy-time values and turns them
    into an unknown result, so the memo hides nothing from the engine.
    """
    if not arch.data.get("assertions"):
        return []
    from .access import evaluate_assertions
    return memo(arch, ("assertions",), lambda: evaluate_assertions(arch))


def public_bucket_statements(doc: Any) -> list[tuple[int, Optional[bool]]]:
    """(index, public) for the statements S3 counts as public, or may (-1: a lone statement)."""
    from .policy import s3public
    return s3public.public_statements(doc)
