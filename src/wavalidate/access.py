"""Access assertions: IAM requests and policy sets built from the model, decided offline.

An assertion (top-level `assertions:`, see docs/format.md) says that a
principal may, or must not, perform one action on one resource. This module
turns the model into what `wavalidate.policy.evaluate` needs and reads the
result back. ARNs and accounts come from `wavalidate.arns`, the file's
policies from `wavalidate.policies`.

* Context. An `org_id` on an OU above an account fills aws:PrincipalOrgID
  and aws:ResourceOrgID; aws:PrincipalIsAWSService is false for IAM
  principals (unless `context` gives them).
* Identity side: a role's inline `policies` and `managed_policies` (the
  `iam_policy` documents), its `permission_boundary` and `session_policies`;
  a user's own policies plus those of its groups, and its boundary. SCPs come
  from the principal account's OU path (root first, the account last); once
  any SCP is attached anywhere in the file, a level without one is taken to
  carry AWS's default FullAWSAccess. SCPs skip the management account.
* Resource side: the S3 bucket policy (for the bucket and its objects), the
  SQS queue or SNS topic policy, or a role's trust policy for `sts:` actions
  (which must then allow in any case). RCPs come from the resource account's
  OU path, as SCPs do, with AWS's RCPFullAWSAccess at every level (it cannot
  be detached, so RCPs act through their Deny statements). Block Public Access (all four settings, the model's
  `block_public_access`) applies RestrictPublicBuckets: when the bucket policy
  is public, anonymous and other-account requests get nothing from it.
* Principals outside the file. `outside-account` stands for any principal of
  another account whose own account allows the request: a role in an account
  the file does not use, and a principal of every other account the resource
  policy names. It passes when none of them gets in. `outside-organization`
  is the same without the accounts of the resource's organization, each tried
  in another organization (aws:PrincipalOrgID `o-0another0org0`) and in none
  (the key absent). A principal ARN the file
  does not describe, or a resource ARN it does not hold, is evaluated twice,
  with the unknown side allowing everything and allowing nothing; when the two
  disagree the result is unknown.

Nothing here guesses: when the evaluator cannot decide, or the objects of a
bucket are treated differently by the policies and the assertion names them
all (`bucket/*`), the result is unknown with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Optional, Sequence

from . import arns
from .arns import PARTITION, Account, Accounts, org_id, principal_arn, resource_arn
from .model import UNKNOWN_READS, Architecture, Resource
from .policies import identity_documents, org_levels, parse_named, principal_limits
from .policy import PolicyError, PolicySet, Reason, Request, Why, evaluate, globs, s3public
from .policy.evaluator import parsed, parsed_levels

ANYONE = "anyone"
OUTSIDE = "outside-account"
OUTSIDE_ORG = "outside-organization"
OTHER_ORG_ID = "o-0another0org0"  # stands for any organization but the file's
ANONYMOUS_ABSENT_KEYS = ("aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn",
                         "aws:PrincipalIsAWSService", "aws:PrincipalType")

_ALLOW_ALL_IDENTITY = {"Version": "2012-10-17", "Id": "assumed: the principal's own policies allow it",
                       "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
_GRANTS_IT_ID = "assumed: a policy that grants it"
# Policies that stand for what the file does not hold; a grant by them explains nothing.
ASSUMED_POLICIES = frozenset({_ALLOW_ALL_IDENTITY["Id"], _GRANTS_IT_ID})


@dataclass(frozen=True)
class AssertionResult:
    """The outcome of one assertion: `allowed` is None when it cannot be decided offline."""

    index: int
    name: str
    expect: str
    allowed: Optional[bool]
    details: tuple = ()  # Reason
    summary: str = ""

    @property
    def reasons(self) -> tuple:
        return tuple(str(r) for r in self.details)

    @property
    def passed(self) -> Optional[bool]:
        if self.allowed is None:
            return None
        return self.allowed == (self.expect == "allow")

    def deciding(self, count: int = 3) -> str:
        """The reasons that decided it, most specific first: for an allow, the grants the file holds."""
        reasons = [r for r in self.details if r.kind is not Why.BOTH_ACCOUNTS]
        if self.allowed:
            granting = [r for r in reasons if r.kind is Why.GRANT and not ASSUMED_POLICIES.intersection(r.policies)]
            reasons = granting or reasons
        return "; ".join(str(r) for r in reasons[:count])

    def undecided(self) -> str:
        """The first concrete reason why it cannot be decided."""
        return specific_reason(self.details)


def specific_reason(details: Sequence[Reason]) -> str:
    """The first concrete reason among an evaluation's reasons for an unknown answer."""
    for reason in details:
        if reason.kind in (Why.CANNOT, Why.UNKNOWN):
            return reason.text
    return str(details[0]) if details else "the evaluator cannot decide"


@dataclass
class _Case:
    """One concrete request and the policies behind it."""

    request: Request
    policies: PolicySet
    who: str
    blocked: str = ""  # a reason the request is denied before policies are read (BPA)
    bpa_unknown: str = ""
    wildcard: bool = False


@dataclass
class _Target:
    arn: str
    account: Optional[Account]
    resource: Optional[Resource]
    policy: list = field(default_factory=list)     # (doc, name)
    required: bool = False
    known: bool = True
    wildcard: bool = False


def evaluate_assertions(arch: Architecture, accounts: Optional[Accounts] = None) -> list[AssertionResult]:
    accounts = accounts or Accounts(arch)
    return [evaluate_assertion(arch, item, i, accounts)
            for i, item in enumerate(arch.data.get("assertions") or ())]


def evaluate_assertion(arch: Architecture, assertion: Mapping[str, Any], index: int = 0,
                       accounts: Optional[Accounts] = None) -> AssertionResult:
    """Decide one assertion; unknown when it rests on values known only at deploy time."""
    reads: list = []
    token = UNKNOWN_READS.set(reads)
    try:
        result = _evaluate_assertion(arch, assertion, index, accounts or Accounts(arch))
    finally:
        UNKNOWN_READS.reset(token)
    if reads:
        where = ", ".join(f"`{name}`.{key}" for name, key in dict.fromkeys(reads))
        return AssertionResult(index, result.name, result.expect, None,
                               (Reason(Why.CANNOT, f"it rests on values known only at deploy time ({where})",
                                       "cannot evaluate"),),
                               "it rests on values known only at deploy time")
    return result


def _evaluate_assertion(arch: Architecture, assertion: Mapping[str, Any], index: int,
                        accounts: Accounts) -> AssertionResult:
    name, expect = assertion.get("name", f"#{index}"), assertion.get("expect", "deny")
    try:
        cases = list(_Cases(arch, assertion, accounts).all())
    except (PolicyError, ValueError) as error:
        return AssertionResult(index, name, expect, None, (Reason(Why.CANNOT, str(error), "cannot evaluate"),),
                               str(error))
    # Variants of one principal must agree; across principals (outside-account) one allowed is enough.
    outcomes: dict[str, list] = {}
    for case in cases:
        outcomes.setdefault(case.who, []).append((case, _decide(case)))
    results = [_agreed(variants, assertion) for variants in outcomes.values()]
    allowed_any = [(c, r) for c, r in results if r[0] is True]
    if allowed_any:
        case, (_, reasons) = allowed_any[0]
        return AssertionResult(index, name, expect, True, reasons, f"{case.who} is allowed")
    unknown = [(c, r) for c, r in results if r[0] is None]
    if unknown:
        case, (_, reasons) = unknown[0]
        head = str(reasons[0]) if reasons else "the evaluator cannot decide"
        return AssertionResult(index, name, expect, None, reasons, f"for {case.who}: {head}")
    case, (_, reasons) = results[0]
    whos = list(dict.fromkeys(c.who for c, _ in results))
    summary = f"{whos[0]} is denied" if len(whos) == 1 else "denied to " + ", ".join(whos)
    return AssertionResult(index, name, expect, False, reasons, summary)


def _agreed(variants: list, assertion: Mapping[str, Any]) -> tuple:
    """One principal's answer: its variants (the unknown side allowing everything or nothing) must agree."""
    values = {value for _, (value, _) in variants}
    if len(values) == 1:
        return variants[0]
    case = variants[0][0]
    lines = [f"if they allow {'everything' if n else 'nothing'}: "
             f"{'allowed' if v else 'denied' if v is False else 'unknown, ' + specific_reason(why)}"
             for n, (_, (v, why)) in enumerate(variants)]
    missing = "policies of the principal" if case.request.principal == assertion["principal"] \
        else "policies of the resource"
    return case, (None, (Reason(Why.VERDICT, f"the answer depends on {missing} that the file does not hold ("
                                + "; ".join(lines) + ")"),))


def _decide(case: _Case) -> tuple[Optional[bool], tuple]:
    if case.blocked:
        return False, (Reason(Why.VERDICT, case.blocked),)
    if case.wildcard:
        partial = _partial(case.policies, case.request.resource)
        if partial:
            return None, (Reason(Why.UNKNOWN, partial),)
    try:
        result = evaluate(case.request, case.policies)
    except (PolicyError, ValueError, TypeError) as error:  # e.g. a context value no operator can read
        return None, (Reason(Why.CANNOT, str(error), "cannot evaluate"),)
    reasons = tuple(result.details)
    if case.bpa_unknown and result.allowed is not False:
        return None, (Reason(Why.VERDICT, case.bpa_unknown),) + reasons
    return result.allowed, reasons


class _Cases:
    """The concrete requests one assertion stands for, each with the policies behind it.

    `all()` picks by the assertion's principal: anyone (an anonymous caller),
    outside-account or outside-organization (a principal of each other
    account), a role or user of the file, or a principal ARN the file does
    not describe. A resource the file does not hold is tried with a policy
    that grants nothing and one that grants everything.
    """

    def __init__(self, arch: Architecture, assertion: Mapping[str, Any], accounts: Accounts) -> None:
        self.arch = arch
        self.accounts = accounts
        self.action = assertion["action"]
        self.principal = assertion["principal"]
        self.context = dict(assertion.get("context") or {})
        self.complete = bool(assertion.get("complete_context"))
        self.target = _target(arch, assertion["resource"], self.action, accounts)

    def all(self) -> Iterator[_Case]:
        if self.principal == ANYONE:
            return self.anyone()
        if self.principal in (OUTSIDE, OUTSIDE_ORG):
            return self.outsiders()
        res = self.arch.get(self.principal)
        if res is None and self.principal.startswith("arn:"):  # the ARN of a role or user of the file
            res = next((r for r in self.arch.of_type("iam_role", "iam_user")
                        if principal_arn(self.arch, r, self.accounts) == self.principal), None)
        if res is not None:
            return self.file_principal(res)
        return self.unknown_principal()

    # -- who asks --------------------------------------------------------------------------------------

    def anyone(self) -> Iterator[_Case]:
        docs, blocked, bpa_unknown = self.resource_side(None)
        for variant in self.resource_variants(docs, "anonymous"):
            ps = PolicySet(resource=parse_named(variant), resource_policy_required=self.target.required,
                           **self.resource_limits())
            yield _Case(self.request("anonymous", None), ps, "an anonymous caller", blocked, bpa_unknown,
                        self.target.wildcard)

    def outsiders(self) -> Iterator[_Case]:
        target = self.target
        home = target.account.id if target.account else None
        home_org = org_id(self.arch, target.account)
        candidates = {f"arn:{PARTITION}:iam::{self.accounts.outside}:role/outside-principal": self.accounts.outside}
        for arn, account in _named_outsiders(target.policy, home):
            inside = home_org is not None and org_id(self.arch, self.accounts.by_id.get(account)) == home_org
            if self.principal == OUTSIDE or not inside:
                candidates.setdefault(arn, account)
        allow_all = [(_ALLOW_ALL_IDENTITY, _ALLOW_ALL_IDENTITY["Id"])]
        for arn, account in candidates.items():
            who = f"a principal of account {account}" if arn.endswith("/outside-principal") else f"`{arn}`"
            if self.principal == OUTSIDE:
                yield from self.make(arn, who, allow_all, PolicySet(), account)
            else:
                yield from self.make(arn, f"{who} in another organization", allow_all, PolicySet(), account,
                                     OTHER_ORG_ID)
                yield from self.make(arn, f"{who} in no organization", allow_all, PolicySet(), account, "")

    def file_principal(self, res: Resource) -> Iterator[_Case]:
        yield from self.make(principal_arn(self.arch, res, self.accounts), f"{res.type} `{res.name}`",
                             identity_documents(self.arch, res), principal_limits(self.arch, res, self.accounts),
                             self.accounts.of(res).id)

    def unknown_principal(self) -> Iterator[_Case]:
        """A principal ARN the file does not describe: its own policies may allow nothing or everything."""
        account_id = arns.account_of(self.principal)
        limits = PolicySet()
        if account_id and account_id in self.accounts.by_id:
            account = self.accounts.by_id[account_id]
            levels = org_levels(self.arch, account, "scps")
            limits = PolicySet(scps=[parse_named(level) for level in levels] if levels else None,
                               principal_is_management_account=account.management)
        for identity in ([], [(_ALLOW_ALL_IDENTITY, _ALLOW_ALL_IDENTITY["Id"])]):
            yield from self.make(self.principal, f"`{self.principal}`", identity, limits, account_id)

    # -- the parts of one case ---------------------------------------------------------------------------

    def make(self, arn: str, who: str, identity: list, limits: PolicySet, who_account: Optional[str],
             org: Optional[str] = None) -> Iterator[_Case]:
        req = self.request(arn, who_account, org)
        docs, blocked, bpa_unknown = self.resource_side(who_account)
        for variant in self.resource_variants(docs, arn):
            ps = PolicySet(identity=parse_named(identity), resource=parse_named(variant),
                           boundary=limits.boundary, session=limits.session, scps=limits.scps,
                           principal_is_management_account=limits.principal_is_management_account,
                           resource_policy_required=self.target.required, **self.resource_limits())
            yield _Case(req, ps, who, blocked, bpa_unknown, self.target.wildcard)

    def request(self, arn: str, principal_account: Optional[str], org: Optional[str] = None) -> Request:
        """The request, with the context the file settles; `org` is the principal's organization for
        outside-organization ("" = none at all)."""
        known = dict(self.context)
        lowered = {k.lower() for k in known}
        principal_org = org_id(self.arch, self.accounts.by_id.get(principal_account or "")) if org is None else org
        derived = {"aws:PrincipalOrgID": principal_org or None,
                   "aws:ResourceOrgID": org_id(self.arch, self.target.account),
                   "aws:PrincipalIsAWSService": False if arn != "anonymous" else None}
        absent: set = set()
        if org == "":
            absent = {"aws:PrincipalOrgID", "aws:PrincipalOrgPaths"}
        if arn == "anonymous":  # present only in signed requests (IAM global condition keys)
            absent = set(ANONYMOUS_ABSENT_KEYS)
        absent = {k for k in absent if k.lower() not in lowered}
        for key, value in derived.items():
            if value is not None and key.lower() not in lowered:
                known[key] = value
        target = self.target
        return Request(principal=arn, action=self.action, resource=target.arn, principal_account=principal_account,
                       resource_account=target.account.id if target.account else None,
                       context=known, complete_context=self.complete, known_absent=frozenset(absent))

    def resource_side(self, who_account: Optional[str]) -> tuple[list, str, str]:
        """Resource policies as they apply to this requester, and Block Public Access's verdict."""
        target = self.target
        docs = list(target.policy)
        res = target.resource
        if res is None or res.type != "s3_bucket" or not res.block_public_access or not docs:
            return docs, "", ""
        if who_account is not None and target.account is not None and who_account == target.account.id:
            return docs, "", ""
        public = s3public.policy_public(res.get("policy"))
        if public is True:
            return [], (f"Block Public Access on bucket `{res.name}` (RestrictPublicBuckets): its policy is "
                        "public, so anonymous and other-account requests get nothing from it"), ""
        if public is None:
            return docs, "", (f"unknown whether S3 counts the policy of bucket `{res.name}` as public, which "
                              "decides whether Block Public Access (RestrictPublicBuckets) cuts this request off")
        return docs, "", ""

    def resource_limits(self) -> dict:
        """The RCPs of the resource's account."""
        account = self.target.account
        if account is None:
            return {}
        levels = org_levels(self.arch, account, "rcps")
        return {"rcps": [parse_named(level) for level in levels] if levels else None,
                "resource_is_management_account": account.management}

    def resource_variants(self, docs: list, arn: str) -> list[list]:
        """The resource's policies; for a resource the file does not hold, none and one that grants everything."""
        if self.target.known:
            return [docs]
        everyone = {"Version": "2012-10-17", "Id": _GRANTS_IT_ID,
                    "Statement": [{"Effect": "Allow", "Principal": {"AWS": arn} if arn != "anonymous" else "*",
                                   "Action": "*", "Resource": "*"}]}
        return [[], [(everyone, everyone["Id"])]]


def _strings(value: Any) -> list[str]:
    """A policy element that holds a string or a list of strings, as a list (anything else: empty)."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _named_outsiders(policy: list, home: Optional[str]) -> Iterator[tuple[str, str]]:
    """Principals of other accounts that the resource's policy names."""
    for doc, _ in policy:
        raw = doc.get("Statement") if isinstance(doc, Mapping) else None
        for st in [raw] if isinstance(raw, Mapping) else (raw or []):
            principal = st.get("Principal") if isinstance(st, Mapping) else None
            if not isinstance(principal, Mapping):
                continue
            for value in _strings(principal.get("AWS")):
                account = value if arns.is_account_id(value) else arns.account_of(value)
                if not account or account == home:
                    continue
                if arns.is_named_principal(value):
                    yield value, account
                else:
                    yield f"arn:{PARTITION}:iam::{account}:role/outside-principal", account


def _target(arch: Architecture, text: str, action: str, accounts: Accounts) -> _Target:
    if text.startswith("arn:"):
        for res in arch.of_type(*arns.FORMS, "s3_bucket"):
            arn = resource_arn(arch, res, accounts=accounts)
            if arn and (text == arn or (res.type == "s3_bucket" and text.startswith(arn + "/"))):
                key = text[len(arn) + 1:] if text != arn else None
                return _model_target(arch, res, key, action, accounts)
        account_id = arns.account_of(text)
        return _Target(text, accounts.get_id(account_id) if account_id else None, None, known=False)
    name, _, key = text.partition("/")
    res = arch.resources[name]
    return _model_target(arch, res, key if "/" in text else None, action, accounts)


def _model_target(arch: Architecture, res: Resource, key: Optional[str], action: str,
                  accounts: Accounts) -> _Target:
    arn = resource_arn(arch, res, key, accounts)
    if arn is None:
        raise ValueError(f"no ARN is known for {res.type} `{res.name}`" + (f" with `/{key}`" if key else "")
                         + "; give the ARN instead")
    target = _Target(arn, accounts.of(res), res)
    service = action.split(":", 1)[0].lower()
    if res.type in ("s3_bucket", "sqs_queue", "sns_topic") and res.has("policy"):
        target.policy = [(res.get("policy"), f"{res.name}.policy")]
    elif res.type == "iam_role" and service == "sts":
        if res.has("trust_policy"):
            target.policy = [(res.get("trust_policy"), f"{res.name}.trust_policy")]
        target.required = True
    target.wildcard = key is not None and globs.has_wildcards(globs.source(key))
    return target


def _partial(ps: PolicySet, pattern: str) -> str:
    """`bucket/*` stands for every object: a statement that covers only some of them makes it unknown."""
    wanted = globs.source(pattern)
    groups = [parsed(ps.identity), parsed(ps.resource), parsed(ps.boundary), parsed(ps.session)]
    groups += list(parsed_levels(ps.scps)) + list(parsed_levels(ps.rcps))
    for group in groups:
        for policy in group or ():
            for st in policy.statements:
                for value in (st.resources or ()) + (st.not_resources or ()):
                    src = globs.source(value)
                    if not globs.contains(src, wanted) and globs.overlaps(src, wanted):
                        return (f"policy {policy.name!r} {st.label()} covers only some of {pattern} ({value}); "
                                "name one object instead")
    return ""
