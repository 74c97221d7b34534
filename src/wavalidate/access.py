"""Access assertions: IAM requests and policy sets built from the model, decided offline.

An assertion (top-level `assertions:`, see docs/format.md) says that a
principal may, or must not, perform one action on one resource. This module
turns the model into what `wavalidate.policy.evaluate` needs and reads the
result back:

* ARNs. Accounts come from `account` resources (`account_id`); an account
  without one gets a placeholder id in file order (000000000001, ...), so two
  accounts stay two accounts. A resource without `account` belongs to the only
  `account` resource when there is exactly one, else to the placeholder
  account 000000000000. Regions come from the resource (or its subnets and
  VPC), else the first of the file's `regions`, else us-east-1. An `org_id`
  on an OU above an account fills aws:PrincipalOrgID and aws:ResourceOrgID;
  aws:PrincipalIsAWSService is false for IAM principals (unless `context`
  gives them).
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

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Optional, Sequence

from .model import UNKNOWN_READS, Architecture, Resource
from . import lazy

# The evaluator loads only when a file has policies to evaluate.
policy_lib = lazy.module("wavalidate.policy")

PARTITION = "aws"
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"
OUTSIDE_ACCOUNT = "999999999999"
ANYONE = "anyone"
OUTSIDE = "outside-account"
OUTSIDE_ORG = "outside-organization"
OTHER_ORG_ID = "o-0another0org0"  # stands for any organization but the file's
ANONYMOUS_ABSENT_KEYS = ("aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn",
                         "aws:PrincipalIsAWSService", "aws:PrincipalType")

FULL_ACCESS_SCP = {"Version": "2012-10-17", "Id": "FullAWSAccess (default)",
                   "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
FULL_ACCESS_RCP = {"Version": "2012-10-17", "Id": "RCPFullAWSAccess (default)",
                   "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
_ALLOW_ALL_IDENTITY = {"Version": "2012-10-17", "Id": "assumed: the principal's own policies allow it",
                       "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

# Keys whose fixed values make an S3 bucket policy statement non-public (S3's "meaning of public",
# as the PublicAccessBlockConfiguration API reference lists them). aws:SourceIp counts unless /0.
S3_NON_PUBLIC_KEYS = frozenset({
    "aws:sourceip", "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner",
    "aws:sourceaccount", "s3:x-amz-server-side-encryption-aws-kms-key-id", "aws:userid",
})
# Keys that narrow who the principal is; S3's list above does not name them, so a statement
# that relies on them is of unknown public-ness.
_MAYBE_NON_PUBLIC_KEYS = frozenset({"aws:principalorgid", "aws:principalaccount", "aws:principalarn",
                                    "aws:principalorgpaths"})
_FIXED_OPERATORS = ("StringEquals", "StringEqualsIgnoreCase", "ArnEquals", "ArnLike", "StringLike", "IpAddress")


# -- accounts -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Account:
    """The account a resource lives in: its id and, when the file has one, the `account` resource."""

    id: str
    resource: Optional[Resource] = None

    @property
    def known(self) -> bool:
        """The id is the account's real one (not a placeholder)."""
        return self.resource is not None and bool(self.resource.get("account_id"))

    @property
    def management(self) -> bool:
        return bool(self.resource is not None and self.resource.get("management"))


class Accounts:
    """Account ids of the file, real or placeholder, indexed once."""

    def __init__(self, arch: Architecture) -> None:
        self.arch = arch
        self.by_name: dict[str, Account] = {}
        n = 0
        for res in arch.of_type("account"):
            if res.get("account_id"):
                self.by_name[res.name] = Account(str(res.get("account_id")), res)
            else:
                n += 1
                self.by_name[res.name] = Account(f"{n:012d}", res)
        self.by_id = {a.id: a for a in self.by_name.values()}
        only = list(self.by_name.values())
        self.default = only[0] if len(only) == 1 else Account(DEFAULT_ACCOUNT)
        used = set(self.by_id) | {DEFAULT_ACCOUNT}
        outside = int(OUTSIDE_ACCOUNT)
        while f"{outside:012d}" in used:
            outside -= 1
        self.outside = f"{outside:012d}"

    def of(self, res: Resource) -> Account:
        if res.type == "account":
            return self.by_name[res.name]
        name = res.get("account")
        return self.by_name.get(name, self.default) if name else self.default

    def get_id(self, account_id: str) -> Account:
        return self.by_id.get(account_id) or Account(account_id)


def region_of(arch: Architecture, res: Resource) -> str:
    return arch.region_of(res) or next(iter(arch.regions), None) or DEFAULT_REGION


# -- ARNs -------------------------------------------------------------------------------------------

def principal_arn(arch: Architecture, res: Resource, accounts: Optional[Accounts] = None) -> str:
    """The ARN of an iam_role or iam_user of the file."""
    accounts = accounts or Accounts(arch)
    kind = {"iam_role": "role", "iam_user": "user"}[res.type]
    return f"arn:{PARTITION}:iam::{accounts.of(res).id}:{kind}/{res.name}"


_ARN_FORMS = {
    "sqs_queue": "arn:{p}:sqs:{r}:{a}:{n}",
    "sns_topic": "arn:{p}:sns:{r}:{a}:{n}",
    "dynamodb_table": "arn:{p}:dynamodb:{r}:{a}:table/{n}",
    "lambda_function": "arn:{p}:lambda:{r}:{a}:function:{n}",
    "kinesis_stream": "arn:{p}:kinesis:{r}:{a}:stream/{n}",
    "firehose_stream": "arn:{p}:firehose:{r}:{a}:deliverystream/{n}",
    "step_function": "arn:{p}:states:{r}:{a}:stateMachine:{n}",
    "rds_instance": "arn:{p}:rds:{r}:{a}:db:{n}",
    "aurora_cluster": "arn:{p}:rds:{r}:{a}:cluster:{n}",
    "ec2_instance": "arn:{p}:ec2:{r}:{a}:instance/{n}",
    "cloudwatch_alarm": "arn:{p}:cloudwatch:{r}:{a}:alarm:{n}",
    "iam_role": "arn:{p}:iam::{a}:role/{n}",
    "iam_user": "arn:{p}:iam::{a}:user/{n}",
    "iam_group": "arn:{p}:iam::{a}:group/{n}",
    "iam_policy": "arn:{p}:iam::{a}:policy/{n}",
}


def resource_arn(arch: Architecture, res: Resource, key: Optional[str] = None,
                 accounts: Optional[Accounts] = None) -> Optional[str]:
    """The ARN of a resource of the file (an S3 object with `key`), or None for types without one here."""
    accounts = accounts or Accounts(arch)
    if res.type == "s3_bucket":
        return f"arn:{PARTITION}:s3:::{res.name}" + (f"/{key}" if key is not None else "")
    form = _ARN_FORMS.get(res.type)
    if form is None or key is not None:
        return None
    return form.format(p=PARTITION, r=region_of(arch, res), a=accounts.of(res).id, n=res.name)


# -- policies of the file ---------------------------------------------------------------------------

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


def _docs(items: Sequence[tuple[Any, str]]) -> list:
    """Documents that parse, each named for messages; malformed ones raise PolicyError with the name."""
    out = []
    for doc, name in items:
        try:
            out.append(policy_lib.parse_policy(doc, name=name))
        except policy_lib.PolicyError as error:
            raise policy_lib.PolicyError(f"{name}: {error.message}", error.path) from None
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


def org_path(arch: Architecture, account: Resource) -> list[Resource]:
    """The OUs above an account, root first (cycles are cut)."""
    chain: list[Resource] = []
    seen: set[str] = set()
    ou = arch.get(account.get("org_unit"))
    while ou is not None and ou.name not in seen:
        seen.add(ou.name)
        chain.append(ou)
        ou = arch.get(ou.get("parent"))
    return list(reversed(chain))


def org_id(arch: Architecture, account: Optional[Account]) -> Optional[str]:
    """The organization id of an account, from the `org_id` of an OU above it."""
    if account is None or account.resource is None:
        return None
    for ou in reversed(org_path(arch, account.resource)):
        if ou.get("org_id"):
            return ou.get("org_id")
    return None


def org_levels(arch: Architecture, account: Account, field_name: str) -> Optional[list[list[tuple[Any, str]]]]:
    """SCP (`scps`) or RCP (`rcps`) levels for an account, or None when the file uses none."""
    if account.resource is None:
        return None
    if not any(r.get(field_name) for r in arch.of_type("account", "org_unit")):
        return None
    default = FULL_ACCESS_SCP if field_name == "scps" else FULL_ACCESS_RCP
    levels = []
    for holder in org_path(arch, account.resource) + [account.resource]:
        names = holder.get(field_name) or ()
        level = [(arch.resources[n].get("document"), n) for n in names if n in arch.resources]
        if field_name == "rcps" or not level:
            # RCPFullAWSAccess cannot be detached; FullAWSAccess is the SCP default until replaced.
            level.append((default, default["Id"]))
        levels.append(level)
    return levels


def principal_limits(arch: Architecture, principal: Resource, accounts: Optional[Accounts] = None) -> policy_lib.PolicySet:
    """The boundary, session policies and SCPs that limit a role or user (no grants)."""
    accounts = accounts or Accounts(arch)
    account = accounts.of(principal)
    boundary = arch.get(principal.get("permission_boundary"))
    sessions = principal.get("session_policies") if principal.type == "iam_role" else None
    levels = org_levels(arch, account, "scps")
    return policy_lib.PolicySet(
        boundary=_docs([(boundary.get("document"), boundary.name)]) if boundary is not None else None,
        session=_docs([(d, f"{principal.name}.session_policies[{i}]") for i, d in enumerate(sessions)])
        if sessions else None,
        scps=[_docs(level) for level in levels] if levels else None,
        principal_is_management_account=account.management)


# -- S3 public policies -------------------------------------------------------------------------------

def s3_statement_public(statement: Mapping[str, Any]) -> Optional[bool]:
    """Whether S3 counts one bucket policy statement as public (None: cannot tell)."""
    if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
        return False
    if "NotPrincipal" in statement:
        wildcard = True
    else:
        principal = statement.get("Principal")
        if principal == "*":
            wildcard = True
        elif isinstance(principal, Mapping):
            wildcard = any("*" in v for v in _strings(principal.get("AWS")))
        else:
            wildcard = False
    if not wildcard:
        return False
    verdict: Optional[bool] = True
    conditions = statement.get("Condition") or {}
    if not isinstance(conditions, Mapping):
        return None
    for operator, block in conditions.items():
        if not isinstance(block, Mapping):
            continue
        base = str(operator).split(":")[-1]
        for key, values in block.items():
            key = str(key).lower()
            items = values if isinstance(values, list) else [values]
            fixed = base in _FIXED_OPERATORS and all(isinstance(v, str) and "*" not in v and "?" not in v
                                                     or base == "IpAddress" for v in items)
            if key in S3_NON_PUBLIC_KEYS and fixed:
                if key == "aws:sourceip" and any(str(v).endswith("/0") for v in items):
                    continue
                if key == "aws:userid" and any(str(v).endswith(":*") for v in items):
                    continue
                return False
            if key in _MAYBE_NON_PUBLIC_KEYS and fixed:
                verdict = None
    return verdict


def s3_public_statements(doc: Any) -> list[tuple[int, Optional[bool]]]:
    """(index, public) for the statements of a bucket policy that are or may be public."""
    if not isinstance(doc, Mapping):
        return []
    raw = doc.get("Statement")
    items = [raw] if isinstance(raw, Mapping) else (raw if isinstance(raw, list) else [])
    out = []
    for i, st in enumerate(items):
        public = s3_statement_public(st)
        if public is not False:
            out.append((i if isinstance(raw, list) else -1, public))
    return out


def s3_policy_public(doc: Any) -> Optional[bool]:
    found = [p for _, p in s3_public_statements(doc)]
    if not found:
        return False
    return True if True in found else None


# -- assertions ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AssertionResult:
    """The outcome of one assertion: `allowed` is None when it cannot be decided offline."""

    index: int
    name: str
    expect: str
    allowed: Optional[bool]
    reasons: tuple = ()
    summary: str = ""

    @property
    def passed(self) -> Optional[bool]:
        if self.allowed is None:
            return None
        return self.allowed == (self.expect == "allow")


@dataclass
class _Case:
    """One concrete request and the policies behind it."""

    request: policy_lib.Request
    policies: policy_lib.PolicySet
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


def evaluate_assertions(arch: Architecture) -> list[AssertionResult]:
    accounts = Accounts(arch)
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
                               (f"cannot evaluate: it rests on values known only at deploy time ({where})",),
                               "it rests on values known only at deploy time")
    return result


def _evaluate_assertion(arch: Architecture, assertion: Mapping[str, Any], index: int,
                        accounts: Accounts) -> AssertionResult:
    name, expect = assertion.get("name", f"#{index}"), assertion.get("expect", "deny")
    try:
        cases = list(_cases(arch, assertion, accounts))
    except (policy_lib.PolicyError, ValueError) as error:
        return AssertionResult(index, name, expect, None, (f"cannot evaluate: {error}",), str(error))
    # Variants of one principal must agree; across principals (outside-account) one allowed is enough.
    outcomes: dict[str, list] = {}
    for case in cases:
        outcomes.setdefault(case.who, []).append((case, _decide(case)))
    results = []
    for variants in outcomes.values():
        values = {value for _, (value, _) in variants}
        if len(values) == 1:
            results.append(variants[0])
        else:
            case = variants[0][0]
            lines = [f"if they allow {'everything' if n else 'nothing'}: "
                     f"{'allowed' if v else 'denied' if v is False else 'unknown, ' + specific_reason(why)}"
                     for n, (_, (v, why)) in enumerate(variants)]
            missing = "policies of the principal" if case.request.principal == assertion["principal"] \
                else "policies of the resource"
            results.append((case, (None, (f"the answer depends on {missing} that the file does not hold ("
                                          + "; ".join(lines) + ")",))))
    allowed_any = [(c, r) for c, r in results if r[0] is True]
    if allowed_any:
        case, (value, reasons) = allowed_any[0]
        return AssertionResult(index, name, expect, True, reasons, f"{case.who} is allowed")
    unknown = [(c, r) for c, r in results if r[0] is None]
    if unknown:
        case, (value, reasons) = unknown[0]
        head = reasons[0] if reasons else "the evaluator cannot decide"
        return AssertionResult(index, name, expect, None, reasons, f"for {case.who}: {head}")
    case, (value, reasons) = results[0]
    whos = list(dict.fromkeys(c.who for c, _ in results))
    summary = f"{whos[0]} is denied" if len(whos) == 1 else "denied to " + ", ".join(whos)
    return AssertionResult(index, name, expect, False, reasons, summary)


def specific_reason(reasons: Sequence[str]) -> str:
    """The first concrete reason among an evaluation's reasons for an unknown answer."""
    heads = ("unknown: no Deny applies", "unknown: a Deny statement may apply", "denied, but unknown")
    for reason in reasons:
        if reason.startswith("cannot evaluate: "):
            return reason[len("cannot evaluate: "):]
        if reason.startswith("unknown: ") and not reason.startswith(heads):
            return reason[len("unknown: "):]
    return reasons[0] if reasons else "the evaluator cannot decide"


def _decide(case: _Case) -> tuple[Optional[bool], tuple]:
    if case.blocked:
        return False, (case.blocked,)
    if case.wildcard:
        partial = _partial(case.policies, case.request.resource)
        if partial:
            return None, (partial,)
    try:
        result = policy_lib.evaluate(case.request, case.policies)
    except (policy_lib.PolicyError, ValueError, TypeError) as error:  # e.g. a context value no operator can read
        return None, (f"cannot evaluate: {error}",)
    reasons = tuple(result.reasons)
    if case.bpa_unknown and result.allowed is not False:
        return None, (case.bpa_unknown,) + reasons
    return result.allowed, reasons


def _cases(arch: Architecture, assertion: Mapping[str, Any], accounts: Accounts) -> Iterator[_Case]:
    action = assertion["action"]
    target = _target(arch, assertion["resource"], action, accounts)
    context = dict(assertion.get("context") or {})
    complete = bool(assertion.get("complete_context"))
    principal = assertion["principal"]

    def request(arn: str, principal_account: Optional[str], org: Optional[str] = None) -> policy_lib.Request:
        """`org`: the principal's organization for outside-organization ("" = none at all)."""
        known = dict(context)
        lowered = {k.lower() for k in known}
        principal_org = org_id(arch, accounts.by_id.get(principal_account or "")) if org is None else org
        derived = {"aws:PrincipalOrgID": principal_org or None,
                   "aws:ResourceOrgID": org_id(arch, target.account),
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
        return policy_lib.Request(principal=arn, action=action, resource=target.arn, principal_account=principal_account,
                       resource_account=target.account.id if target.account else None,
                       context=known, complete_context=complete, known_absent=frozenset(absent))

    def resource_side(who_account: Optional[str]) -> tuple[list, str, str]:
        """Resource policies as they apply to this requester, and BPA's verdict."""
        docs = list(target.policy)
        res = target.resource
        if res is None or res.type != "s3_bucket" or not res.block_public_access or not docs:
            return docs, "", ""
        if who_account is not None and target.account is not None and who_account == target.account.id:
            return docs, "", ""
        public = s3_policy_public(res.get("policy"))
        if public is True:
            return [], (f"Block Public Access on bucket `{res.name}` (RestrictPublicBuckets): its policy is "
                        "public, so anonymous and other-account requests get nothing from it"), ""
        if public is None:
            return docs, "", (f"unknown whether S3 counts the policy of bucket `{res.name}` as public, which "
                              "decides whether Block Public Access (RestrictPublicBuckets) cuts this request off")
        return docs, "", ""

    def limits_of_resource() -> dict:
        if target.account is None:
            return {}
        levels = org_levels(arch, target.account, "rcps")
        return {"rcps": [_docs(level) for level in levels] if levels else None,
                "resource_is_management_account": target.account.management}

    def unknown_resource_variants(arn: str) -> list[list]:
        if target.known:
            return [target.policy]
        everyone = {"Version": "2012-10-17", "Id": "assumed: a policy that grants it",
                    "Statement": [{"Effect": "Allow", "Principal": {"AWS": arn} if arn != "anonymous" else "*",
                                   "Action": "*", "Resource": "*"}]}
        return [[], [(everyone, everyone["Id"])]]

    def make(arn: str, who: str, identity: list, limits: policy_lib.PolicySet, who_account: Optional[str],
             org: Optional[str] = None) -> Iterator[_Case]:
        req = request(arn, who_account, org)
        docs, blocked, bpa_unknown = resource_side(who_account)
        for variant in ([docs] if target.known else unknown_resource_variants(arn)):
            ps = policy_lib.PolicySet(identity=_docs(identity), resource=_docs(variant),
                           boundary=limits.boundary, session=limits.session, scps=limits.scps,
                           principal_is_management_account=limits.principal_is_management_account,
                           resource_policy_required=target.required, **limits_of_resource())
            yield _Case(req, ps, who, blocked, bpa_unknown, target.wildcard)

    if principal == ANYONE:
        docs, blocked, bpa_unknown = resource_side(None)
        for variant in ([docs] if target.known else unknown_resource_variants("anonymous")):
            ps = policy_lib.PolicySet(resource=_docs(variant), resource_policy_required=target.required,
                           **limits_of_resource())
            yield _Case(request("anonymous", None), ps, "an anonymous caller", blocked, bpa_unknown,
                        target.wildcard)
        return
    if principal in (OUTSIDE, OUTSIDE_ORG):
        home = target.account.id if target.account else None
        home_org = org_id(arch, target.account)
        candidates = {f"arn:{PARTITION}:iam::{accounts.outside}:role/outside-principal": accounts.outside}
        for arn, account in _named_outsiders(target.policy, home):
            inside = home_org is not None and org_id(arch, accounts.by_id.get(account)) == home_org
            if principal == OUTSIDE or not inside:
                candidates.setdefault(arn, account)
        allow_all = [(_ALLOW_ALL_IDENTITY, _ALLOW_ALL_IDENTITY["Id"])]
        for arn, account in candidates.items():
            who = f"a principal of account {account}" if arn.endswith("/outside-principal") else f"`{arn}`"
            if principal == OUTSIDE:
                yield from make(arn, who, allow_all, policy_lib.PolicySet(), account)
            else:
                yield from make(arn, f"{who} in another organization", allow_all, policy_lib.PolicySet(), account,
                                OTHER_ORG_ID)
                yield from make(arn, f"{who} in no organization", allow_all, policy_lib.PolicySet(), account, "")
        return
    res = arch.get(principal)
    if res is None and principal.startswith("arn:"):  # the ARN of a role or user of the file
        res = next((r for r in arch.of_type("iam_role", "iam_user")
                    if principal_arn(arch, r, accounts) == principal), None)
    if res is not None:
        arn = principal_arn(arch, res, accounts)
        account = accounts.of(res)
        yield from make(arn, f"{res.type} `{res.name}`", identity_documents(arch, res),
                        principal_limits(arch, res, accounts), account.id)
        return
    # A principal ARN the file does not describe: its own policies are unknown.
    account_id = _arn_account(principal)
    limits = policy_lib.PolicySet()
    if account_id and account_id in accounts.by_id:
        levels = org_levels(arch, accounts.by_id[account_id], "scps")
        limits = policy_lib.PolicySet(scps=[_docs(level) for level in levels] if levels else None,
                           principal_is_management_account=accounts.by_id[account_id].management)
    for identity in ([], [(_ALLOW_ALL_IDENTITY, _ALLOW_ALL_IDENTITY["Id"])]):
        yield from make(principal, f"`{principal}`", identity, limits, account_id)


def _strings(value: Any) -> list[str]:
    """A policy element that holds a string or a list of strings, as a list (anything else: empty)."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _arn_account(arn: str) -> Optional[str]:
    parts = arn.split(":", 5)
    return parts[4] if len(parts) == 6 and re.fullmatch(r"\d{12}", parts[4]) else None


def _named_outsiders(policy: list, home: Optional[str]) -> Iterator[tuple[str, str]]:
    """Principals of other accounts that the resource's policy names."""
    for doc, _ in policy:
        raw = doc.get("Statement") if isinstance(doc, Mapping) else None
        for st in [raw] if isinstance(raw, Mapping) else (raw or []):
            principal = st.get("Principal") if isinstance(st, Mapping) else None
            if not isinstance(principal, Mapping):
                continue
            for value in _strings(principal.get("AWS")):
                account = value if re.fullmatch(r"\d{12}", value) else _arn_account(value)
                if not account or account == home:
                    continue
                if re.fullmatch(r"arn:aws[a-z-]*:iam::\d{12}:(user|role)/.+", value) and "*" not in value:
                    yield value, account
                else:
                    yield f"arn:{PARTITION}:iam::{account}:role/outside-principal", account


def _target(arch: Architecture, text: str, action: str, accounts: Accounts) -> _Target:
    if text.startswith("arn:"):
        for res in arch.of_type(*_ARN_FORMS, "s3_bucket"):
            arn = resource_arn(arch, res, accounts=accounts)
            if arn and (text == arn or (res.type == "s3_bucket" and text.startswith(arn + "/"))):
                key = text[len(arn) + 1:] if text != arn else None
                return _model_target(arch, res, key, action, accounts)
        account_id = _arn_account(text)
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
    target.wildcard = key is not None and policy_lib.globs.has_wildcards(policy_lib.globs.source(key))
    return target


def _partial(ps: policy_lib.PolicySet, pattern: str) -> str:
    """`bucket/*` stands for every object: a statement that covers only some of them makes it unknown."""
    wanted = policy_lib.globs.source(pattern)
    groups = [ps.identity, ps.resource, ps.boundary or (), ps.session or ()]
    groups += list(ps.scps or ()) + list(ps.rcps or ())
    for group in groups:
        for policy in group:
            for st in policy.statements:
                for value in (st.resources or ()) + (st.not_resources or ()):
                    src = policy_lib.globs.source(value)
                    if not policy_lib.globs.contains(src, wanted) and policy_lib.globs.overlaps(src, wanted):
                        return (f"policy {policy.name!r} {st.label()} covers only some of {pattern} ({value}); "
                                "name one object instead")
    return ""
