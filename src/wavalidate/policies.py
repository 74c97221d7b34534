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


def memo(arch: Architecture, key: tuple, compute: Callable[..., Any], *args: Any) -> Any:
    """`compute(*args)` once per architecture and key; the entry goes when the architecture does."""
    store = _MEMO.setdefault(arch, {})
    if key not in store:
        store[key] = compute(*args)
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
    found: list[tuple[PolicyDoc, Problem]] = []
    for doc in policy_documents(arch):
        from .policy import lint_identity_policy, lint_resource_policy, lint_trust_policy  # only with documents
        if doc.kind == "trust":
            account = accounts.of(doc.owner)
            role_account = account.id if account.known else None
            problems = memo(arch, ("lint", id(doc.doc), "trust", role_account),
                            lint_trust_policy, doc.doc, role_account)
        elif doc.kind in ("resource", "rcp"):
            problems = memo(arch, ("lint", id(doc.doc), "resource"), lint_resource_policy, doc.doc)
        else:
            problems = memo(arch, ("lint", id(doc.doc), doc.kind), lint_identity_policy, doc.doc, doc.kind)
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
                        PolicySet(resource=[document] if document is not None else [],
                                  resource_policy_required=True))
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


def effective_limits(arch: Architecture, principal: Resource,
                     accounts: Optional[Accounts] = None) -> Optional[PolicySet]:
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
    into an unknown result. The accounts are read here, in every rule that
    asks, so a deploy-time account id still reaches the engine each time.
    """
    if not arch.data.get("assertions"):
        return []
    from .access import evaluate_assertions
    accounts = Accounts(arch)
    return memo(arch, ("assertions",), evaluate_assertions, arch, accounts)


def public_bucket_statements(doc: Any) -> list[tuple[int, Optional[bool]]]:
    """(index, public) for the statements S3 counts as public, or may (-1: a lone statement)."""
    from .policy import s3public
    return s3public.public_statements(doc)


def service_call_allowed(arch: Architecture, document: Any, service: str, action: str, target: Resource,
                         source: Resource, accounts: Optional[Accounts] = None) -> Optional[bool]:
    """Whether `target`'s resource policy lets AWS service `service` call `action` on it for `source`
    (SNS delivering to a queue for a topic): None when unknown, or when the document is malformed.

    The request carries aws:SourceArn and aws:SourceAccount of `source`. Where
    the file does not settle an account (a placeholder id) or region, it is
    taken from an ARN of that resource the policy names, so a policy written
    for the real ids is not read as naming another resource. When that leaves
    them open, the answer is unknown (aws:SourceAccount is unknown without a
    real account id); when the policy names no ARN of the resource at all, the
    unsettled parts cannot make an ARN of another name match.
    """
    accounts = accounts or Accounts(arch)
    source_arn, source_account = _settled_arn(arch, source, accounts, _condition_values(document))
    target_arn, _ = _settled_arn(arch, target, accounts, _element_values(document, "Resource"))
    if target_arn is None:
        return None
    context: dict = {"aws:SourceArn": source_arn} if source_arn else {}
    if source_account:
        context["aws:SourceAccount"] = source_account
    result = resource_policy_allows(document, service, action, target_arn, context)
    return None if result is None else result.allowed


def _settled_arn(arch: Architecture, res: Resource, accounts: Accounts,
                 values: list) -> tuple[Optional[str], Optional[str]]:
    """(ARN, real account id) of a resource, the unsettled parts taken from the values that name it.

    The ARN is None when a value names the resource but leaves its account or region open.
    """
    from .policy import globs
    form = arns.FORMS.get(res.type)
    if form is None:
        return None, None
    account = accounts.of(res)
    account_id = account.id if account.known else None
    region = arch.region_of(res) or (next(iter(arch.regions)) if len(arch.regions) == 1 else None)
    own = form.format(p="", r="", a="", n=res.name).split(":", 5)[5]  # the resource part, as in the ARN
    named = [parts for parts in (arns.split(v) for v in values if isinstance(v, str))
             if parts and globs.match(globs.source(parts[5]), own)]
    for parts in named:
        account_id = account_id or (parts[4] if arns.is_account_id(parts[4]) else None)
        region = region or (parts[3] if parts[3] and not globs.has_wildcards(globs.source(parts[3])) else None)
    settled = bool(account_id) and (bool(region) or ":{r}:" not in form)
    arn = form.format(p=arns.PARTITION, r=region or arns.region_of(arch, res), a=account_id or account.id,
                      n=res.name)
    return (arn if settled or not named else None), account_id


def _statements(document: Any) -> list:
    raw = document.get("Statement") if isinstance(document, Mapping) else None
    items = [raw] if isinstance(raw, Mapping) else raw if isinstance(raw, list) else []
    return [st for st in items if isinstance(st, Mapping)]


def _listed(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _condition_values(document: Any) -> list:
    values = []
    for st in _statements(document):
        conditions = st.get("Condition")
        for block in conditions.values() if isinstance(conditions, Mapping) else ():
            for listed in block.values() if isinstance(block, Mapping) else ():
                values.extend(_listed(listed))
    return values


def _element_values(document: Any, key: str) -> list:
    return [value for st in _statements(document) for value in _listed(st.get(key))]
