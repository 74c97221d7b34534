"""IAM and Organizations: policy documents, trust, credentials and access assertions (notes: 보안)."""
from __future__ import annotations

import re
from typing import Any, Iterator

from wavalidate.api import (
    Accounts,
    PolicyDoc,
    Violation,
    action_matches,
    assertion_results,
    cancelled_allows,
    effective_limits,
    facts,
    lint_problems,
    parsed_policy,
    policy_documents,
    public_bucket_statements,
    resource_arn,
    resource_policy_allows,
    rule,
)

NOTES = "보안"
_SERVICES = "service-wildcard"


def _problems(arch, codes: set[str]) -> Iterator[tuple[PolicyDoc, Any]]:
    """(document, lint problem) for every policy document of the file, filtered by lint code.

    Allow-all and service wildcards are least-privilege problems of identity
    policies only: in SCPs, RCPs, boundaries and session policies an Allow of
    everything is the normal way to limit nothing.
    """
    for doc, problem in lint_problems(arch):
        if problem.code in ("allow-all", _SERVICES) and doc.kind != "identity":
            continue
        if problem.code in codes:
            yield doc, problem


def _format_path(path: tuple) -> str:
    """("Statement", 0, "Action") as Statement[0].Action."""
    text = ""
    for item in path:
        text += f"[{item}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return text


def _at(doc: PolicyDoc, problem) -> tuple:
    return doc.path + tuple(problem.path)


# -- assertions ---------------------------------------------------------------------------------------

ASSERTION_FACTS = [facts.IAM_EXPLICIT_DENY_WINS, facts.IAM_CROSS_ACCOUNT_BOTH_ALLOW,
                   facts.SCP_EXEMPTS_MANAGEMENT_ACCOUNT, facts.RCP_EXEMPTS_MANAGEMENT_ACCOUNT,
                   facts.PERMISSIONS_BOUNDARY_PRINCIPALS, facts.S3_PUBLIC_POLICY_MEANING]


@rule("SEC500", severity="high",
      title="Access assertions hold: who may, and who must not, reach each resource",
      notes=f"{NOTES} > IAM 정책 평가 방법", best_practice="SEC03-BP07", facts=ASSERTION_FACTS)
def access_assertion(arch):
    """Each entry of `assertions` states that a principal may (`expect:
    allow`) or must not (`expect: deny`) perform one action on one resource.
    The offline evaluator follows AWS's evaluation logic over every policy the
    file holds for that request: identity-based policies (inline, managed and
    the user's groups), the permissions boundary and session policies, SCPs
    and RCPs along the OU path, and the resource's policy (S3 bucket policy
    with Block Public Access, SQS and SNS policies, a role's trust policy).
    Cross-account requests need both accounts to allow. An assertion that
    does not hold is what a pull-request gate is for: "this change must not
    open X".

    Where the organisation provides SCPs or RCPs that the file does not
    hold (`organization.provides.scps` or `rcps`), they can only deny
    more: an assertion expecting `deny` that the file's policies allow may
    still hold, so that finding is info and says why. SCPs limit only the
    organisation's own principals (the file's roles and users); RCPs limit
    every principal on the organisation's resources.

    Fix: change the policies until the assertion holds, or correct the
    assertion when the new access is intended. The finding lists the
    statements that decided the request.
    """
    hidden = [c for c in ("scps", "rcps") if arch.provided(c) is not None and not arch.of_type(c[:-1])]
    assertions = list(arch.data.get("assertions") or [])
    for result in assertion_results(arch):
        if result.passed is False:
            own = arch.get(assertions[result.index].get("principal")) is not None
            unseen = [c for c in hidden if c == "rcps" or own]
            if unseen and result.expect == "deny":
                yield Violation(("assertions", result.index, "expect"),
                                f"assertion `{result.name}` expects deny, but {result.summary}: {result.deciding()}; "
                                f"the organisation's {' and '.join(c.upper()[:-1] + 's' for c in unseen)}"
                                f"{arch.provided_where(unseen[0])} are not in this file and may deny it",
                                severity="info")
                continue
            yield Violation(("assertions", result.index, "expect"),
                            f"assertion `{result.name}` expects {result.expect}, but {result.summary}: "
                            f"{result.deciding()}")


@rule("SEC501", severity="info",
      title="Access assertions that cannot be decided offline are named",
      notes=f"{NOTES} > IAM 정책 평가 방법", best_practice="SEC03-BP07", facts=ASSERTION_FACTS)
def access_assertion_undecided(arch):
    """The evaluator answers "unknown" rather than guess: a condition key the
    assertion's `context` does not give, a condition operator outside the
    supported subset (docs/iam.md), a policy variable it cannot resolve, a
    principal or resource the file does not describe, or a bucket whose
    objects the policies treat differently when the assertion names them all.
    Such an assertion neither passes nor fails.

    Fix: give the missing keys in the assertion's `context` (and
    `complete_context: true` when no other key is present), name one object
    instead of `bucket/*`, or describe the principal or resource in the file.
    """
    for result in assertion_results(arch):
        if result.passed is None:
            yield Violation(("assertions", result.index, "expect"),
                            f"assertion `{result.name}` cannot be decided offline: {result.undecided()}")


# -- well-formed policies --------------------------------------------------------------------------------

@rule("SEC502", severity="high",
      title="Policy documents are valid IAM policy language",
      notes=f"{NOTES} > 자격 증명 기반 정책", best_practice="SEC03-BP02", facts=[facts.IAM_POLICY_ELEMENTS])
def iam_policy_invalid(arch):
    """A policy document that IAM would reject (an unknown element, an Effect
    other than Allow or Deny, a statement without Action, a malformed
    Principal or Condition) fails the deployment, and nothing else can be
    said about what it allows.

    Fix: correct the element the finding points at; the policy grammar is in
    the IAM User Guide's JSON policy element reference.
    """
    for doc, problem in _problems(arch, {"invalid-policy"}):
        yield Violation(_at(doc, problem), f"the policy at {doc.label} is not valid: {problem.message}")


@rule("SEC503", severity="high",
      title="IAM groups are not nested",
      notes=NOTES, best_practice="SEC03-BP02", facts=[facts.IAM_GROUPS_NEST])
def iam_group_nested(arch):
    """IAM groups cannot contain other groups (unlike Active Directory
    groups, as the notes point out). A design that relies on nesting grants
    nothing through the outer group.

    Fix: add the users to each group directly, or attach the outer group's
    managed policies to the inner group.
    """
    for group in arch.of_type("iam_group"):
        if group.get("groups"):
            names = "`, `".join(group.get("groups"))
            yield Violation(group.path("groups"),
                            f"IAM group `{group.name}` is placed in group `{names}`, but IAM groups cannot nest")


@rule("SEC504", severity="high",
      title="IAM groups are never named as a principal",
      notes=f"{NOTES} > 리소스 기반 정책", best_practice="SEC03-BP02", facts=[facts.IAM_GROUPS_NEST])
def iam_group_as_principal(arch):
    """A group is not an identity that can make requests, so a policy cannot
    name it in Principal: IAM rejects the policy.

    Fix: name the role or users instead, or grant the group's members access
    through the group's identity-based policy.
    """
    for doc, problem in _problems(arch, {"group-principal"}):
        yield Violation(_at(doc, problem), f"{doc.label}: {problem.message}")


@rule("SEC505", severity="high",
      title="Identity-based policies, SCPs and boundaries have no Principal",
      notes=f"{NOTES} > 자격 증명 기반 정책", best_practice="SEC03-BP02",
      facts=[facts.IAM_IDENTITY_POLICY_NO_PRINCIPAL, facts.IAM_POLICY_ELEMENTS])
def principal_in_identity_policy(arch):
    """The principal of an identity-based policy is the user, group or role
    it is attached to, so Principal and NotPrincipal are not allowed there (nor
    in SCPs, permissions boundaries and session policies); IAM rejects the
    policy. It usually means a resource-based statement was pasted into the
    wrong place.

    Fix: remove Principal, or move the statement to the resource's policy
    (bucket, queue, topic, trust policy).
    """
    for doc, problem in _problems(arch, {"principal-in-identity-policy"}):
        yield Violation(_at(doc, problem), f"{doc.label}: {problem.message}")


@rule("SEC506", severity="high",
      title="Resource-based and trust policy statements name a Principal",
      notes=f"{NOTES} > 리소스 기반 정책", best_practice="SEC03-BP02", facts=[facts.IAM_POLICY_ELEMENTS])
def resource_policy_without_principal(arch):
    """A resource-based policy (bucket, queue, topic, trust policy, RCP)
    says who it grants to in Principal; a statement without one is rejected.
    The notes single out Principal as what sets resource-based policies apart.

    Fix: add Principal (an account, role or service) to the statement.
    """
    for doc, problem in _problems(arch, {"missing-principal"}):
        yield Violation(_at(doc, problem), f"{doc.label}: {problem.message}")


@rule("SEC507", severity="medium",
      title="Policies use the current policy language Version 2012-10-17",
      notes=f"{NOTES} > 자격 증명 기반 정책", best_practice="SEC03-BP02", facts=[facts.IAM_POLICY_VERSION])
def policy_version(arch):
    """The Version element picks the policy language. Without it, or with
    the old 2008-10-17, policy variables such as `${aws:username}` are read as
    literal text, so a statement meant for "each user's own prefix" matches
    nothing (or the wrong thing). A policy that uses no variable means the
    same in both versions today, so it is reported as low, for consistency;
    one that uses variables keeps the rule's severity.

    Fix: start every policy with `Version: "2012-10-17"`.
    """
    for doc, problem in _problems(arch, {"missing-version", "old-version"}):
        if _uses_variables(doc.doc):
            yield Violation(_at(doc, problem), f"{doc.label}: {problem.message}")
        else:
            yield Violation(_at(doc, problem), f"{doc.label}: {problem.message} (it uses no policy variables, so "
                                               "it means the same today)", severity="low")


def _uses_variables(value: Any) -> bool:
    """True when a policy document holds a `${...}` policy variable anywhere."""
    if isinstance(value, str):
        return "${" in value
    if isinstance(value, dict):
        return any(_uses_variables(k) or _uses_variables(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_uses_variables(v) for v in value)
    return False


# -- least privilege -----------------------------------------------------------------------------------

@rule("SEC508", severity="high",
      title="No identity policy allows every action on every resource",
      notes=f"{NOTES} > 역할", best_practice="SEC03-BP02", facts=[facts.IAM_LEAST_PRIVILEGE])
def iam_allow_all(arch):
    """`Action: "*"` on `Resource: "*"` is administrator access. A workload
    or person with it can read every secret, delete every resource and grant
    itself anything else. The notes list least privilege among the reasons
    for roles.

    Fix: list the actions the principal needs on the resources it uses; keep
    administrator access for a break-glass role with MFA.
    """
    for doc, problem in _problems(arch, {"allow-all"}):
        yield Violation(_at(doc, problem), f"{doc.label} {problem.message}")


@rule("SEC509", severity="medium",
      title="Identity policies do not allow a whole service on every resource",
      notes=f"{NOTES} > 역할", best_practice="SEC03-BP02", facts=[facts.IAM_LEAST_PRIVILEGE])
def iam_service_wildcard(arch):
    """`s3:*` on `*` allows every action of the service on every resource of
    every account the principal can reach: deleting buckets, changing their
    policies and encryption, not only reading the application's data.

    Fix: name the actions (`s3:GetObject`, `s3:PutObject`) and the resources
    (the bucket and its objects).
    """
    for doc, problem in _problems(arch, {_SERVICES}):
        yield Violation(_at(doc, problem), f"{doc.label} {problem.message}")


# -- trust ---------------------------------------------------------------------------------------------

@rule("SEC510", severity="critical",
      title="No role can be assumed by any principal",
      notes=f"{NOTES} > 역할", best_practice="SEC03-BP09", facts=[facts.IAM_CONFUSED_DEPUTY])
def trust_policy_open(arch):
    """A trust policy with `Principal: "*"` (or `AWS: "*"`, or an Allow with
    NotPrincipal) and no condition that narrows it lets any AWS principal, in
    any account, assume the role and use its permissions.

    Fix: name the accounts, roles or service that may assume the role, or add
    a condition such as aws:PrincipalOrgID, aws:PrincipalArn or sts:ExternalId.
    """
    for doc, problem in _problems(arch, {"open-trust-policy"}):
        yield Violation(_at(doc, problem), f"role `{doc.owner.name}`: {problem.message}")


@rule("SEC511", severity="high",
      title="Cross-account trust has a condition such as ExternalId or MFA",
      notes=f"{NOTES} > 역할", best_practice="SEC03-BP09",
      facts=[facts.IAM_CONFUSED_DEPUTY, facts.IAM_CROSS_ACCOUNT_BOTH_ALLOW])
def cross_account_trust_without_condition(arch):
    """The notes give cross-account access as a main use of roles. Trusting
    another account hands the decision to that account's administrators; a
    third party that serves many customers (a confused deputy) should present
    an sts:ExternalId, and people should come with MFA. Trusting a whole
    account (its root, `arn:aws:iam::111122223333:root` or the bare ID) that
    the file does not describe is high: anyone that account's
    administrators allow can assume the role. Trust in one named role of
    another account, or in an account the file describes, is medium. The
    role's account needs an `account_id` for the comparison; without one
    the rule stays silent.

    Fix: add a condition on sts:ExternalId (third parties),
    aws:MultiFactorAuthPresent (people) or aws:PrincipalOrgID (your own
    organization).
    """
    accounts = Accounts(arch)
    for doc, problem in _problems(arch, {"cross-account-trust-without-condition"}):
        known = problem.account is not None and accounts.get_id(problem.account).resource is not None
        whole_account = _is_account_root(_value_at(doc.doc, problem.path))
        yield Violation(_at(doc, problem), f"role `{doc.owner.name}`: {problem.message}",
                        severity="medium" if known or not whole_account else None)


def _value_at(document: Any, path) -> Any:
    """The value at a lint problem's path inside a policy document, or None."""
    for step in path:
        if isinstance(document, dict) and step in document:
            document = document[step]
        elif isinstance(document, list) and isinstance(step, int) and 0 <= step < len(document):
            document = document[step]
        else:
            return None
    return document


def _is_account_root(principal: Any) -> bool:
    """A bare account ID or `arn:...:iam::ID:root` trusts the whole account; a role or user ARN does not."""
    text = str(principal or "").strip()
    return bool(re.fullmatch(r"\d{12}", text) or re.fullmatch(r"arn:[\w-]+:iam::\d{12}:root", text))


# -- credentials ---------------------------------------------------------------------------------------

@rule("SEC512", severity="high",
      title="Workloads on EC2 and Lambda use roles, not long-lived access keys",
      notes=f"{NOTES} > 역할", best_practice="SEC02-BP02", facts=[facts.IAM_WORKLOADS_USE_ROLES])
def access_keys_on_compute(arch):
    """An instance profile or a Lambda execution role gives the workload
    temporary credentials that rotate by themselves. An IAM user's access
    keys copied onto an instance or into a function's configuration never
    expire, leak with images, logs and repositories, and are shared by every
    copy. The notes list "IAM roles for Amazon EC2" among the uses of roles.

    Fix: give the instance, Auto Scaling group or function a `role` with the
    user's permissions, then deactivate and delete the keys.
    """
    for user in arch.of_type("iam_user"):
        for i, key in enumerate(user.get("access_keys") or ()):
            if key.get("used_by") and key.get("active") is not False:
                users = "`, `".join(key["used_by"])
                yield Violation(user.path("access_keys", i, "used_by"),
                                f"access key {i + 1} of IAM user `{user.name}` is used by `{users}`; a role "
                                "gives that workload temporary credentials instead")
    for function in arch.of_type("lambda_function"):
        if function.get("access_keys"):
            yield Violation(function.path("access_keys"),
                            f"Lambda function `{function.name}` reads long-lived access keys from its "
                            "configuration; its execution role already gives it temporary credentials")


@rule("SEC521", severity="medium",
      title=f"Active access keys are rotated within {facts.IAM_ACCESS_KEY_MAX_AGE_DAYS.value} days",
      notes=NOTES, best_practice="SEC02-BP05", facts=[facts.IAM_ACCESS_KEY_MAX_AGE_DAYS])
def access_key_rotation(arch):
    """A long-lived key that stays active for years has had years to leak
    (laptops, CI logs, repositories) and still works. AWS Config's
    access-keys-rotated rule and the CIS benchmark both expect rotation within
    90 days; a key that nobody can rotate is usually a sign that a role should
    have replaced it (SEC512).

    Fix: create a second key, move the consumers to it, deactivate and delete
    the old one; better, replace the user's keys with a role or IAM Identity
    Center.
    """
    limit = facts.IAM_ACCESS_KEY_MAX_AGE_DAYS.value
    for user in arch.of_type("iam_user"):
        for i, key in enumerate(user.get("access_keys") or ()):
            age = key.get("age_days")
            if age is not None and age > limit and key.get("active") is not False:
                yield Violation(user.path("access_keys", i, "age_days"),
                                f"access key {i + 1} of IAM user `{user.name}` is {age} days old; rotate keys "
                                f"within {limit} days")


@rule("SEC516", severity="high",
      title="IAM users who sign in to the console have MFA",
      notes=NOTES, best_practice="SEC02-BP01", facts=[facts.IAM_MFA_FOR_HUMANS])
def console_user_without_mfa(arch):
    """With a console password and nothing else, one phished or reused
    password opens the account. MFA is the second factor AWS asks for on every human sign-in.

    Fix: require an MFA device for the user (and a policy that denies most
    actions without aws:MultiFactorAuthPresent), or better, move people to IAM
    Identity Center with federation.
    """
    for user in arch.of_type("iam_user"):
        if user.get("console_access") and not user.get("mfa"):
            where = user.path("mfa") if user.has("mfa") else user.path("console_access")
            yield Violation(where, f"IAM user `{user.name}` signs in to the console without MFA")


# -- limits that cancel grants -----------------------------------------------------------------------

@rule("SEC513", severity="info",
      title="Allows that a permissions boundary or SCP cancels are named",
      notes=f"{NOTES} > IAM 권한경계", best_practice="SEC03-BP02",
      facts=[facts.IAM_EXPLICIT_DENY_WINS, facts.PERMISSIONS_BOUNDARY_PRINCIPALS,
             facts.SCP_EXEMPTS_MANAGEMENT_ACCOUNT])
def allow_without_effect(arch):
    """Boundaries, SCPs and session policies grant nothing: an action is
    allowed only where they allow it too, and their Deny wins. An identity
    policy statement whose every request they block has no effect. It is not
    a hole, but it misleads: readers believe the principal can do what the
    statement says, and the real permissions live elsewhere.

    Fix: remove the statement, or change the boundary or SCP if the access is
    meant to work.
    """
    accounts = Accounts(arch)
    for principal in arch.of_type("iam_role", "iam_user"):
        limits = effective_limits(arch, principal, accounts)
        if limits is None:
            continue
        for i, doc in enumerate(principal.get("policies") or ()):
            for st, why in cancelled_allows(doc, limits):
                key = "Action" if st.actions is not None else "NotAction"
                yield Violation(principal.path("policies", i) + st.path + (key,),
                                f"this allow has no effect for {principal.type} `{principal.name}`: {why}")
        for j, name in enumerate(principal.get("managed_policies") or ()):
            managed = arch.get(name)
            if managed is None:
                continue
            for st, why in cancelled_allows(managed.get("document"), limits):
                yield Violation(principal.path("managed_policies", j),
                                f"this allow has no effect for {principal.type} `{principal.name}`: "
                                f"{_format_path(st.path)} of managed policy `{name}`, {why}")
        if principal.type != "iam_user":
            continue
        for k, group in enumerate(arch.all(principal.get("groups"))):
            documents = [(f"policy {i + 1} of group `{group.name}`", d)
                         for i, d in enumerate(group.get("policies") or ())]
            documents += [(f"managed policy `{n}` of group `{group.name}`", arch.get(n).get("document"))
                          for n in group.get("managed_policies") or () if arch.get(n) is not None]
            for what, document in documents:
                for st, why in cancelled_allows(document, limits):
                    yield Violation(principal.path("groups", k),
                                    f"this allow has no effect for iam_user `{principal.name}`: "
                                    f"{_format_path(st.path)} of {what}, {why}")


# -- quotas --------------------------------------------------------------------------------------------

@rule("REL514", severity="medium",
      title="Roles and users stay within the managed policies quota",
      notes=NOTES, best_practice="REL01-BP01",
      facts=[facts.IAM_MANAGED_POLICIES_PER_ROLE, facts.IAM_MANAGED_POLICIES_PER_ROLE_MAX])
def iam_managed_policy_quota(arch):
    """A role or user takes 10 managed policies by default (quota
    L-0DA4ABF3, adjustable). Attaching more fails the deployment unless the
    quota was raised. AWS's knowledge center gives 20 as the most an
    increase allows (one secondary source gives 25), so more than 20 is
    reported as a warning too: an adjustable quota, not an impossibility.

    Fix: merge related policies into fewer customer managed policies, or
    request a quota increase (20 is the documented ceiling).
    """
    quota = facts.IAM_MANAGED_POLICIES_PER_ROLE.value
    hard = facts.IAM_MANAGED_POLICIES_PER_ROLE_MAX.value
    for principal in arch.of_type("iam_role", "iam_user"):
        count = len(principal.get("managed_policies") or ())
        kind = "role" if principal.type == "iam_role" else "user"
        if count > hard:
            yield Violation(principal.path("managed_policies", hard),
                            f"IAM {kind} `{principal.name}` has {count} managed policies; the default quota is "
                            f"{quota} and AWS documents {hard} as the most an increase gives (quota L-0DA4ABF3)")
        elif count > quota:
            yield Violation(principal.path("managed_policies", quota),
                            f"IAM {kind} `{principal.name}` has {count} managed policies; the default quota is "
                            f"{quota} (can be raised to {hard}, quota L-0DA4ABF3)")


# -- Organizations -------------------------------------------------------------------------------------

def _allows_everything(arch, name: str) -> bool:
    scp = arch.get(name)
    policy = parsed_policy(scp.get("document")) if scp is not None else None
    return policy is not None and any(
        st.is_allow and st.actions == ("*",) and st.resources == ("*",) and not st.conditions
        for st in policy.statements)


def _only_allows(arch, name: str) -> bool:
    scp = arch.get(name)
    policy = parsed_policy(scp.get("document")) if scp is not None else None
    return policy is not None and all(st.is_allow for st in policy.statements)


@rule("SEC515", severity="low",
      title="SCPs and RCPs are attached where they limit something",
      notes=f"{NOTES} > AWS Organizations (OU:organization unit)", best_practice="SEC01-BP01",
      facts=[facts.SCP_EXEMPTS_MANAGEMENT_ACCOUNT, facts.RCP_EXEMPTS_MANAGEMENT_ACCOUNT,
             facts.IAM_EXPLICIT_DENY_WINS])
def scp_no_effect(arch):
    """SCPs never grant; they only cap. Two placements make one do nothing:
    attached to the management account, which SCPs (and RCPs) do not affect; or made of
    Allow statements only and attached next to an SCP that already allows
    every action (FullAWSAccess), so the cap is still "everything". Both give
    a false sense of a guardrail.

    Fix: attach guardrails to OUs of member accounts and write them as Deny
    statements (or replace FullAWSAccess with the allow list); protect the
    management account by keeping workloads out of it.
    """
    for holder in arch.of_type("account", "org_unit"):
        names = list(holder.get("scps") or ())
        if holder.type == "account" and holder.get("management"):
            for key, kind in (("scps", "SCP"), ("rcps", "RCP")):
                for i, name in enumerate(holder.get(key) or ()):
                    yield Violation(holder.path(key, i),
                                    f"{kind} `{name}` is attached to management account `{holder.name}`, which "
                                    f"{kind}s do not affect")
            continue
        if not any(_allows_everything(arch, n) for n in names):
            continue
        for i, name in enumerate(names):
            if _only_allows(arch, name) and not _allows_everything(arch, name):
                yield Violation(holder.path("scps", i),
                                f"SCP `{name}` only allows, and {holder.type} `{holder.name}` also has an SCP "
                                "that allows every action, so it limits nothing")


# -- public resource policies --------------------------------------------------------------------------

def _read_only_get(statement: Any) -> bool:
    actions = statement.get("Action") if isinstance(statement, dict) else None
    actions = [actions] if isinstance(actions, str) else (actions or [])
    return bool(actions) and all(isinstance(a, str) and a.lower() == "s3:getobject" for a in actions)


@rule("SEC517", severity="high",
      title="Bucket, queue and topic policies do not grant everyone without a condition",
      notes=f"{NOTES} > 리소스 기반 정책", best_practice="SEC03-BP07",
      facts=[facts.S3_PUBLIC_POLICY_MEANING, facts.S3_BPA_ON_BY_DEFAULT_SINCE])
def resource_policy_public(arch):
    """A resource-based statement that allows `Principal: "*"` (or an Allow
    with NotPrincipal) with no condition that fixes the source (aws:SourceArn,
    aws:SourceAccount, aws:SourceVpce, aws:SourceIp ...) lets anyone on the
    internet use it. For S3 that is S3's own definition of a public policy.
    With Block Public Access on (the default for new buckets) S3 rejects such
    a bucket policy outright (BlockPublicPolicy), so the design cannot be
    deployed as written (medium). A public bucket on purpose says so with
    `public_reason` and grants only s3:GetObject.

    Fix: name the principals, or add a condition on aws:SourceArn (an SNS
    topic, a CloudFront distribution), aws:SourceVpce or aws:PrincipalOrgID;
    serve public content through CloudFront with origin access control.
    """
    for doc in policy_documents(arch):
        if doc.kind != "resource":
            continue
        res = doc.owner
        raw = doc.doc.get("Statement") if isinstance(doc.doc, dict) else None
        for index, public in public_bucket_statements(doc.doc):
            if public is not True:
                continue
            statement = raw if index < 0 or not isinstance(raw, list) else raw[index]
            if not isinstance(statement, dict):
                continue
            at = doc.path + (("Statement",) if index < 0 else ("Statement", index))
            key = "NotPrincipal" if "NotPrincipal" in statement else "Principal"
            if res.type == "s3_bucket" and res.block_public_access:
                yield Violation(at + (key,),
                                f"{doc.label} grants everyone, so S3 rejects it while Block Public Access is "
                                "on (BlockPublicPolicy)", severity="medium")
            elif res.type == "s3_bucket" and res.get("public_reason") and _read_only_get(statement):
                continue
            else:
                yield Violation(at + (key,), f"{doc.label} grants everyone without a condition that fixes "
                                             "the source")


# -- escalation and broad grants ------------------------------------------------------------------------

def _identity_statements(arch):
    """(document, statement mapping, path of the statement) of every identity policy statement."""
    for doc in policy_documents(arch):
        if doc.kind != "identity" or not isinstance(doc.doc, dict):
            continue
        raw = doc.doc.get("Statement")
        items = [((), raw)] if isinstance(raw, dict) else list(enumerate(raw)) if isinstance(raw, list) else []
        for index, statement in items:
            if isinstance(statement, dict) and statement.get("Effect") == "Allow":
                at = doc.path + ("Statement",) + ((index,) if index != () else ())
                yield doc, statement, at


def _values(statement, key: str, at: tuple) -> list:
    raw = statement.get(key)
    if isinstance(raw, str):
        return [(raw, at + (key,))]
    if isinstance(raw, list):
        return [(v, at + (key, i)) for i, v in enumerate(raw) if isinstance(v, str)]
    return []


def _condition_keys(statement) -> set:
    conditions = statement.get("Condition")
    if not isinstance(conditions, dict):
        return set()
    return {str(k).lower() for block in conditions.values() if isinstance(block, dict) for k in block}


@rule("SEC518", severity="high",
      title="iam:PassRole is limited to the roles a principal must pass",
      notes=f"{NOTES} > 역할", best_practice="SEC03-BP02",
      facts=[facts.IAM_PASSROLE_ESCALATION, facts.IAM_LEAST_PRIVILEGE])
def passrole_any_role(arch):
    """Whoever may pass any role to a service (an EC2 instance profile, a
    Lambda function, a CloudFormation stack) can launch that service with the
    most powerful role in the account and act through it: a privilege
    escalation that needs no other IAM permission. `*` and `iam:*` are
    reported by SEC508 and SEC509; this rule catches the explicit grant.

    Fix: list the role ARNs in Resource, and add a condition on
    iam:PassedToService naming the service that receives them.
    """
    for doc, statement, at in _identity_statements(arch):
        resources = [v for v, _ in _values(statement, "Resource", at)]
        if "*" not in resources or _condition_keys(statement) & {"iam:passedtoservice", "iam:associatedresourcearn"}:
            continue
        for action, path in _values(statement, "Action", at):
            if action in ("*",) or action.lower() == "iam:*":
                continue
            if action_matches(action, "iam:PassRole"):
                yield Violation(path, f"{doc.label} lets the principal pass any role to any service "
                                      f"(`{action}` on `*`)")


@rule("SEC519", severity="medium",
      title="Identity policies do not allow everything but a list (Allow with NotAction on *)",
      notes=f"{NOTES} > 자격 증명 기반 정책", best_practice="SEC03-BP02", facts=[facts.IAM_LEAST_PRIVILEGE])
def allow_not_action(arch):
    """An Allow with NotAction on every resource grants every action of every
    service except the few listed, including services launched after the
    policy was written. It reads like a restriction and behaves like
    administrator access. (In a Deny, NotAction is the normal way to write a
    guardrail and is not reported.)

    Fix: list the actions to allow; to carve out exceptions from broad
    access, pair an Allow with a separate Deny.
    """
    for doc, statement, at in _identity_statements(arch):
        if "NotAction" not in statement:
            continue
        resources = [v for v, _ in _values(statement, "Resource", at)]
        if "*" in resources or "NotResource" in statement:
            yield Violation(at + ("NotAction",),
                            f"{doc.label} allows every action except those listed, on every resource")


@rule("SEC520", severity="high",
      title="Roles given to EC2 and Lambda trust that service",
      notes=f"{NOTES} > 역할", best_practice="SEC02-BP02", facts=[facts.IAM_SERVICE_ROLE_TRUST])
def role_trust_matches_use(arch):
    """An instance profile role is assumed by ec2.amazonaws.com, a Lambda
    execution role by lambda.amazonaws.com. When the role's trust policy does
    not let that service call sts:AssumeRole, the instance gets no
    credentials and Lambda refuses the role, which usually ends with someone
    copying access keys onto the machine (SEC512). The rule evaluates the
    trust policy for the service's request and stays silent when the answer
    depends on conditions it cannot know.

    Fix: add a statement allowing the service principal to call
    sts:AssumeRole, or give the workload a role made for it.
    """
    accounts = Accounts(arch)
    for user in arch.of_type(*sorted({t for t, _ in facts.IAM_SERVICE_ROLE_TRUST.value})):
        role = arch.get(user.get("role"))
        if role is None or role.type != "iam_role" or not role.has("trust_policy"):
            continue
        service = dict(facts.IAM_SERVICE_ROLE_TRUST.value)[user.type]
        arn = resource_arn(arch, role, accounts=accounts)
        if arn is None:  # every role has an ARN; this keeps the type checker informed
            continue
        result = resource_policy_allows(role.get("trust_policy"), service, "sts:AssumeRole", arn)
        if result is not None and result.allowed is False:  # None: SEC502 reports a malformed trust policy
            yield Violation(user.path("role"),
                            f"{user.type} `{user.name}` uses role `{role.name}`, whose trust policy does not let "
                            f"{service} assume it")
