"""Access assertions end to end: the model becomes requests and policy sets, the evaluator decides."""
from __future__ import annotations

import textwrap

import pytest

from wavalidate import access, arns
from wavalidate.engine import check_text
from wavalidate.model import Architecture
from wavalidate.plugins import load_rules
from wavalidate.policy import s3public
from wavalidate.schema import validate

V = "2012-10-17"
PROD, DATA, VENDOR = "111122223333", "444455556666", "999988887777"


def model(resources: dict, assertions: list) -> Architecture:
    data = {"version": 1, "resources": resources, "assertions": assertions}
    problems = validate(data)
    assert not problems, problems
    return Architecture(data)


def policy(*statements: dict) -> dict:
    return {"Version": V, "Statement": list(statements)}


def allow(action: str, resource: str, **extra: object) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str, resource: str, **extra: object) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


EC2_TRUST = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})


def role(*statements: dict, **fields: object) -> dict:
    body: dict = {"type": "iam_role", "trust_policy": EC2_TRUST, **fields}
    if statements:
        body["policies"] = [policy(*statements)]
    return body


def ask(principal: str, action: str, resource: str, expect: str = "allow", **extra: object) -> dict:
    return {"name": "a", "principal": principal, "action": action, "resource": resource, "expect": expect, **extra}


def decide(resources: dict, *assertions: dict) -> list[access.AssertionResult]:
    return access.evaluate_assertions(model(resources, list(assertions)))


def one(resources: dict, assertion: dict) -> access.AssertionResult:
    return decide(resources, assertion)[0]


ACCOUNTS = {"prod": {"type": "account", "account_id": PROD}, "data": {"type": "account", "account_id": DATA}}


# -- within one account ------------------------------------------------------------------------------

def test_identity_allow_within_the_account():
    result = one({"app": role(allow("s3:GetObject", "arn:aws:s3:::assets/*")), "assets": {"type": "s3_bucket"}},
                 ask("app", "s3:GetObject", "assets/logo.png"))
    assert result.allowed is True and result.passed is True


def test_nothing_allows_is_an_implicit_deny():
    result = one({"app": role(allow("s3:GetObject", "arn:aws:s3:::other/*")), "assets": {"type": "s3_bucket"}},
                 ask("app", "s3:GetObject", "assets/logo.png"))
    assert result.allowed is False and result.passed is False
    assert "implicit deny" in result.reasons[0]


def test_bucket_policy_deny_wins_over_identity_allow():
    bucket = {"type": "s3_bucket", "policy": policy(
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::assets/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}})}
    resources = {"app": role(allow("s3:GetObject", "*")), "assets": bucket}
    insecure = one(resources, ask("app", "s3:GetObject", "assets/x", "deny", context={"aws:SecureTransport": False}))
    secure = one(resources, ask("app", "s3:GetObject", "assets/x", context={"aws:SecureTransport": True}))
    assert insecure.allowed is False and insecure.passed is True
    assert any("explicit deny" in r for r in insecure.reasons)
    assert secure.allowed is True


def test_user_gets_group_and_managed_policies():
    resources = {
        "readers": {"type": "iam_group", "managed_policies": ["read-assets"]},
        "read-assets": {"type": "iam_policy", "document": policy(allow("s3:GetObject", "arn:aws:s3:::assets/*"))},
        "alice": {"type": "iam_user", "groups": ["readers"]},
        "bob": {"type": "iam_user"},
        "assets": {"type": "s3_bucket"},
    }
    alice, bob = decide(resources, ask("alice", "s3:GetObject", "assets/x"), ask("bob", "s3:GetObject", "assets/x"))
    assert alice.allowed is True and bob.allowed is False


def test_same_account_bucket_policy_grants_a_user_directly():
    bucket = {"type": "s3_bucket", "policy": policy(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD}:user/alice"}, "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::assets/*"})}
    resources = {**ACCOUNTS, "alice": {"type": "iam_user", "account": "prod"},
                 "assets": {**bucket, "account": "prod"}}
    assert one(resources, ask("alice", "s3:GetObject", "assets/x")).allowed is True


# -- across accounts -----------------------------------------------------------------------------------

def _cross(identity: bool, bucket_grant: bool) -> access.AssertionResult:
    statements = [allow("s3:GetObject", "arn:aws:s3:::shared/*")] if identity else []
    bucket: dict = {"type": "s3_bucket", "account": "data"}
    if bucket_grant:
        bucket["policy"] = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD}:root"},
                                   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"})
    resources = {**ACCOUNTS, "app": role(*statements, account="prod"), "shared": bucket}
    return one(resources, ask("app", "s3:GetObject", "shared/x"))


@pytest.mark.parametrize("identity,bucket_grant,allowed", [
    (True, True, True), (True, False, False), (False, True, False), (False, False, False)])
def test_cross_account_needs_both_sides(identity, bucket_grant, allowed):
    assert _cross(identity, bucket_grant).allowed is allowed


def test_outside_account_is_allowed_when_the_resource_policy_names_another_account():
    bucket = {"type": "s3_bucket", "account": "prod", "policy": policy(
        {"Effect": "Allow", "Principal": {"AWS": VENDOR}, "Action": "s3:GetObject", "Resource": "*"})}
    result = one({**ACCOUNTS, "backups": bucket}, ask("outside-account", "s3:GetObject", "backups/db", "deny"))
    assert result.allowed is True and result.passed is False
    assert VENDOR in result.summary


def test_outside_account_is_denied_without_a_grant():
    result = one({**ACCOUNTS, "backups": {"type": "s3_bucket", "account": "prod"}},
                 ask("outside-account", "s3:GetObject", "backups/db", "deny"))
    assert result.allowed is False and result.passed is True


def test_outside_account_assumes_a_role_only_with_its_external_id():
    trust = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{VENDOR}:root"},
                    "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x-42"}}})
    resources = {**ACCOUNTS, "audit": {"type": "iam_role", "account": "prod", "trust_policy": trust}}
    unknown, wrong, right = decide(
        resources, ask("outside-account", "sts:AssumeRole", "audit", "deny"),
        ask("outside-account", "sts:AssumeRole", "audit", "deny", context={"sts:ExternalId": "guess"}),
        ask("outside-account", "sts:AssumeRole", "audit", context={"sts:ExternalId": "x-42"}))
    assert unknown.allowed is None and unknown.passed is None
    assert wrong.allowed is False
    assert right.allowed is True


def test_trust_policy_is_required_for_assume_role_within_the_account():
    resources = {**ACCOUNTS, "admin": {"type": "iam_role", "account": "prod", "trust_policy": EC2_TRUST},
                 "ops": role(allow("sts:AssumeRole", "*"), account="prod")}
    assert one(resources, ask("ops", "sts:AssumeRole", "admin", "deny")).allowed is False


def test_cross_account_assume_role_needs_the_trust_and_the_callers_permission():
    trust = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DATA}:root"}, "Action": "sts:AssumeRole"})
    resources = {**ACCOUNTS, "deployer": {"type": "iam_role", "account": "prod", "trust_policy": trust},
                 "ci": role(allow("sts:AssumeRole", f"arn:aws:iam::{PROD}:role/deployer"), account="data"),
                 "intern": role(account="data")}
    ci, intern = decide(resources, ask("ci", "sts:AssumeRole", "deployer"),
                        ask("intern", "sts:AssumeRole", "deployer", "deny"))
    assert ci.allowed is True
    assert intern.allowed is False and intern.passed is True


# -- limits ----------------------------------------------------------------------------------------------

ORG = {
    "mgmt": {"type": "account", "account_id": "222222222222", "management": True, "org_unit": "workloads"},
    "prod": {"type": "account", "account_id": PROD, "org_unit": "workloads"},
    "workloads": {"type": "org_unit", "scps": ["no-deletes"]},
    "no-deletes": {"type": "scp", "document": policy(allow("*", "*"), deny("s3:DeleteObject", "*"))},
}


def test_scp_denies_what_the_role_allows():
    resources = {**ORG, "app": role(allow("s3:*", "*"), account="prod"), "assets": {"type": "s3_bucket",
                                                                                  "account": "prod"}}
    delete, read = decide(resources, ask("app", "s3:DeleteObject", "assets/x", "deny"),
                          ask("app", "s3:GetObject", "assets/x"))
    assert delete.allowed is False and any("SCP" in r for r in delete.reasons)
    assert read.allowed is True


def test_scp_allow_list_must_cover_the_action_at_every_level():
    resources = {
        "prod": {"type": "account", "account_id": PROD, "org_unit": "team", "scps": ["s3-only"]},
        "team": {"type": "org_unit"},
        "s3-only": {"type": "scp", "document": policy(allow("s3:*", "*"))},
        "app": role(allow("*", "*"), account="prod"),
        "table": {"type": "dynamodb_table", "account": "prod", "region": "eu-west-1"},
        "assets": {"type": "s3_bucket", "account": "prod"},
    }
    dynamo, s3 = decide(resources, ask("app", "dynamodb:GetItem", "table", "deny"),
                        ask("app", "s3:GetObject", "assets/x"))
    assert dynamo.allowed is False and s3.allowed is True


def test_scps_do_not_limit_the_management_account():
    resources = {**ORG, "admin": role(allow("s3:*", "*"), account="mgmt"),
                 "assets": {"type": "s3_bucket", "account": "mgmt"}}
    assert one(resources, ask("admin", "s3:DeleteObject", "assets/x")).allowed is True


def test_permissions_boundary_limits_the_role():
    resources = {
        "read-only": {"type": "iam_policy", "document": policy(allow("s3:GetObject", "*"))},
        "app": role(allow("s3:*", "*"), permission_boundary="read-only"),
        "assets": {"type": "s3_bucket"},
    }
    put, get = decide(resources, ask("app", "s3:PutObject", "assets/x", "deny"), ask("app", "s3:GetObject", "assets/x"))
    assert put.allowed is False and any("permissions boundary" in r for r in put.reasons)
    assert get.allowed is True


def test_session_policy_limits_the_role():
    resources = {"app": role(allow("s3:*", "*"), session_policies=[policy(allow("s3:GetObject", "*"))]),
                 "assets": {"type": "s3_bucket"}}
    put, get = decide(resources, ask("app", "s3:PutObject", "assets/x", "deny"), ask("app", "s3:GetObject", "assets/x"))
    assert put.allowed is False and get.allowed is True


def test_rcp_keeps_other_organizations_out():
    rcp = policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                  "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-mine"}}})
    bucket = {"type": "s3_bucket", "account": "prod", "policy": policy(
        {"Effect": "Allow", "Principal": {"AWS": VENDOR}, "Action": "s3:GetObject", "Resource": "*"})}
    resources = {"prod": {"type": "account", "account_id": PROD, "rcps": ["org-only"]},
                 "org-only": {"type": "rcp", "document": rcp}, "shared": bucket}
    unknown, other_org, same_org = decide(
        resources, ask("outside-account", "s3:GetObject", "shared/x", "deny"),
        ask("outside-account", "s3:GetObject", "shared/x", "deny", context={"aws:PrincipalOrgID": "o-other"}),
        ask("outside-account", "s3:GetObject", "shared/x", context={"aws:PrincipalOrgID": "o-mine"}))
    assert unknown.allowed is None
    assert other_org.allowed is False
    assert same_org.allowed is True


def test_org_id_on_the_root_fills_principal_org_id():
    rcp = policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                  "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-mine123456"}}})
    grant = {"Effect": "Allow", "Principal": {"AWS": [PROD, DATA]}, "Action": "s3:GetObject", "Resource": "*"}
    resources = {
        "root": {"type": "org_unit", "org_id": "o-mine123456", "rcps": ["org-only"]},
        "prod": {"type": "account", "account_id": PROD, "org_unit": "root"},
        "data": {"type": "account", "account_id": DATA},  # not in the organization as far as the file says
        "org-only": {"type": "rcp", "document": rcp},
        "shared": {"type": "s3_bucket", "account": "prod", "policy": policy(grant)},
        "member": role(allow("s3:GetObject", "*"), account="prod"),
        "stranger": role(allow("s3:GetObject", "*"), account="data"),
    }
    member, stranger = decide(resources, ask("member", "s3:GetObject", "shared/x"),
                              ask("stranger", "s3:GetObject", "shared/x", "deny"))
    assert member.allowed is True
    assert stranger.allowed is None  # its organization is not known
    settled = one(resources, ask("stranger", "s3:GetObject", "shared/x", "deny",
                                 context={"aws:PrincipalOrgID": "o-theirs12345"}))
    assert settled.allowed is False and settled.passed is True


def test_outside_organization_skips_member_accounts_and_tries_other_and_no_organization():
    rcp = policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                  "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-mine123456"}}})
    grant = {"Effect": "Allow", "Principal": {"AWS": [DATA, VENDOR]}, "Action": "s3:GetObject", "Resource": "*"}
    resources = {
        "root": {"type": "org_unit", "org_id": "o-mine123456"},
        "prod": {"type": "account", "account_id": PROD, "org_unit": "root"},
        "data": {"type": "account", "account_id": DATA, "org_unit": "root"},
        "shared": {"type": "s3_bucket", "account": "prod", "policy": policy(grant)},
    }
    org, account = decide(resources, ask("outside-organization", "s3:GetObject", "shared/x", "deny"),
                          ask("outside-account", "s3:GetObject", "shared/x", "deny"))
    assert org.allowed is True and VENDOR in org.summary  # the vendor is outside and granted
    assert account.allowed is True
    guarded = {**resources, "root": {**resources["root"], "rcps": ["org-only"]},
               "org-only": {"type": "rcp", "document": rcp}}
    org, account = decide(guarded, ask("outside-organization", "s3:GetObject", "shared/x", "deny"),
                          ask("outside-account", "s3:GetObject", "shared/x", "deny"))
    assert org.allowed is False and org.passed is True  # the RCP keeps every other organization out
    assert account.allowed is True and DATA in account.summary  # a member account is still another account


# -- public buckets ------------------------------------------------------------------------------------------

PUBLIC_POLICY = policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::site/*"})


def test_public_bucket_without_block_public_access_lets_anyone_read():
    bucket = {"type": "s3_bucket", "block_public_access": False, "public_reason": "website", "policy": PUBLIC_POLICY}
    result = one({"site": bucket}, ask("anyone", "s3:GetObject", "site/index.html", "deny"))
    assert result.allowed is True and result.passed is False


def test_block_public_access_cuts_off_a_public_policy():
    bucket = {"type": "s3_bucket", "account": "prod", "policy": PUBLIC_POLICY}
    resources = {**ACCOUNTS, "site": bucket, "app": {"type": "iam_user", "account": "prod"},
                 "other": {"type": "iam_user", "account": "data"}}
    anyone, outside, owner = decide(resources, ask("anyone", "s3:GetObject", "site/i", "deny"),
                                    ask("outside-account", "s3:GetObject", "site/i", "deny"),
                                    ask("app", "s3:GetObject", "site/i"))
    assert anyone.allowed is False and "RestrictPublicBuckets" in anyone.reasons[0]
    assert outside.allowed is False
    assert owner.allowed is not False  # the owner account still reads through the policy (or unknown)


def test_block_public_access_leaves_a_non_public_policy_alone():
    bucket = {"type": "s3_bucket", "account": "prod", "policy": policy(
        {"Effect": "Allow", "Principal": {"AWS": DATA}, "Action": "s3:GetObject", "Resource": "*"})}
    resources = {**ACCOUNTS, "shared": bucket, "reader": role(allow("s3:GetObject", "*"), account="data")}
    assert one(resources, ask("reader", "s3:GetObject", "shared/x")).allowed is True


def test_an_rcp_on_the_organization_keeps_anonymous_callers_out_of_a_public_bucket():
    rcp = policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                  "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-mine123456"}}})
    bucket = {"type": "s3_bucket", "account": "prod", "block_public_access": False, "public_reason": "site",
              "policy": PUBLIC_POLICY}
    resources = {"prod": {"type": "account", "account_id": PROD, "rcps": ["org-only"]},
                 "org-only": {"type": "rcp", "document": rcp}, "site": bucket}
    result = one(resources, ask("anyone", "s3:GetObject", "site/index.html", "deny"))
    assert result.allowed is False and any("explicit deny" in r for r in result.reasons)


def test_s3_public_statement_reading():
    assert s3public.statement_public({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}) is True
    assert s3public.statement_public({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                     "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}) is False
    assert s3public.statement_public({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                     "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}}) is True
    assert s3public.statement_public({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}) is None
    assert s3public.statement_public({"Effect": "Allow", "Principal": {"AWS": PROD}, "Action": "s3:*"}) is False
    assert s3public.statement_public({"Effect": "Deny", "Principal": "*", "Action": "s3:*"}) is False


# -- unknown ---------------------------------------------------------------------------------------------------

def test_a_condition_key_not_given_is_unknown_until_the_context_settles_it():
    statement = allow("s3:GetObject", "*", Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})
    resources = {"app": role(statement), "assets": {"type": "s3_bucket"}}
    unknown, office, elsewhere, absent = decide(
        resources, ask("app", "s3:GetObject", "assets/x"),
        ask("app", "s3:GetObject", "assets/x", context={"aws:SourceIp": "203.0.113.9"}),
        ask("app", "s3:GetObject", "assets/x", context={"aws:SourceIp": "198.51.100.1"}),
        ask("app", "s3:GetObject", "assets/x", complete_context=True))
    assert unknown.allowed is None and unknown.passed is None
    assert any("aws:SourceIp" in r for r in unknown.reasons)
    assert office.allowed is True and elsewhere.allowed is False and absent.allowed is False


def test_all_objects_with_a_policy_for_some_of_them_is_unknown():
    resources = {"app": role(allow("s3:GetObject", "arn:aws:s3:::assets/public/*")), "assets": {"type": "s3_bucket"}}
    some, one_object = decide(resources, ask("app", "s3:GetObject", "assets/*"),
                              ask("app", "s3:GetObject", "assets/public/logo.png"))
    assert some.allowed is None and "only some" in some.reasons[0]
    assert one_object.allowed is True


def test_a_principal_the_file_does_not_describe_is_unknown_when_its_policies_matter():
    resources = {**ACCOUNTS, "assets": {"type": "s3_bucket", "account": "prod"}}
    result = one(resources, ask(f"arn:aws:iam::{PROD}:role/stranger", "s3:GetObject", "assets/x"))
    assert result.allowed is None


def test_the_arn_of_a_role_of_the_file_is_that_role():
    resources = {**ACCOUNTS, "app": role(allow("s3:GetObject", "*"), account="prod"),
                 "assets": {"type": "s3_bucket", "account": "prod"}}
    result = one(resources, ask(f"arn:aws:iam::{PROD}:role/app", "s3:GetObject", "arn:aws:s3:::assets/x"))
    assert result.allowed is True and "iam_role `app`" in result.summary


def test_a_resource_the_file_does_not_hold_is_unknown_when_its_policy_matters():
    resources = {**ACCOUNTS, "app": role(account="prod")}
    result = one(resources, ask("app", "s3:GetObject", "arn:aws:s3:::somebody-elses-bucket/x"))
    assert result.allowed is None


def test_a_malformed_policy_makes_the_assertion_unknown_not_wrong():
    resources = {"app": role(allow("s3:GetObject", "*")), "assets": {"type": "s3_bucket",
                                                                     "policy": {"Statement": [{"Effect": "Maybe"}]}}}
    result = one(resources, ask("app", "s3:GetObject", "assets/x"))
    assert result.allowed is None and "cannot evaluate" in result.reasons[0]


# -- ARNs and accounts ------------------------------------------------------------------------------------------

def test_accounts_without_ids_get_distinct_placeholders_and_resources_default_to_the_only_account():
    arch = model({"a": {"type": "account"}, "b": {"type": "account"}, "q": {"type": "sqs_queue", "account": "b"},
                  "lone": {"type": "sqs_queue"}}, [])
    accounts = arns.Accounts(arch)
    assert accounts.of(arch.get("a")).id != accounts.of(arch.get("b")).id
    assert arns.resource_arn(arch, arch.get("q")) == f"arn:aws:sqs:us-east-1:{accounts.of(arch.get('b')).id}:q"
    assert accounts.of(arch.get("lone")).id == arns.DEFAULT_ACCOUNT
    single = model({"only": {"type": "account", "account_id": PROD}, "t": {"type": "sns_topic",
                                                                          "region": "eu-west-1"}}, [])
    assert arns.resource_arn(single, single.get("t")) == f"arn:aws:sns:eu-west-1:{PROD}:t"


# -- the rules report assertions at their `expect` ------------------------------------------------------------

def test_failing_and_undecided_assertions_become_findings():
    text = textwrap.dedent("""\
        version: 1
        resources:
          assets: {type: s3_bucket, block_public_access: false, public_reason: downloads,
                   policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*",
                            Action: "s3:GetObject", Resource: "arn:aws:s3:::assets/*"}]}}
          app:
            type: iam_role
            policies:
              - {Version: "2012-10-17", Statement: {Effect: Allow, Action: "s3:GetObject", Resource: "*",
                 Condition: {Bool: {"aws:MultiFactorAuthPresent": "true"}}}}
        assertions:
          - {name: not-public, principal: anyone, action: s3:GetObject, resource: assets/x, expect: deny}
          - {name: app-reads, principal: app, action: s3:PutObject, resource: private/x, expect: allow}
        """).replace("  app:\n", "  private: {type: s3_bucket}\n  app:\n")
    rules = [r for r in load_rules()[0] if r.code in ("SEC500", "SEC501")]
    findings = check_text(text, rules, name="a.yaml")
    got = [(f.code, f.line, f.col, f.severity) for f in findings]
    lines = text.splitlines()
    expect_at = [(n, lines[n - 1].index("expect: ") + len("expect: ") + 1) for n in (13, 14)]
    assert got == [("SEC500", line, col, "high") for line, col in expect_at]
    rules_all = [r for r in load_rules()[0] if r.code in ("SEC500", "SEC501")]
    text2 = text.replace("s3:PutObject", "s3:GetObject")
    findings = check_text(text2, rules_all, name="a.yaml")
    assert [(f.code, f.severity) for f in findings] == [("SEC500", "high"), ("SEC501", "info")]
    assert "aws:MultiFactorAuthPresent" in findings[1].message


def test_a_policy_known_only_at_deploy_time_makes_the_assertion_unknown():
    data = {"version": 1, "resources": {"app": {"type": "iam_role"}, "assets": {"type": "s3_bucket"}},
            "assertions": [ask("app", "s3:GetObject", "assets/x", "deny")]}
    arch = Architecture(data, unknown=[("resources", "app", "policies")])
    result = access.evaluate_assertions(arch)[0]
    assert result.allowed is None and "deploy time" in result.reasons[0]


MALFORMED = """\
version: 1
resources:
  a: {type: account, account_id: "111122223333", org_unit: ou1}
  ou1: {type: org_unit, parent: ou2, scps: [s1], rcps: [r1]}
  ou2: {type: org_unit, parent: ou1}
  s1: {type: scp, document: "nope"}
  r1: {type: rcp, document: {Statement: []}}
  p1: {type: iam_policy, document: {Version: "2012-10-17", Statement: {Effect: Allow, Action: 5, Resource: "*"}}}
  r:
    type: iam_role
    account: a
    permission_boundary: p1
    managed_policies: [p1]
    trust_policy: [1, 2]
    policies: ["x", {Statement: "x"}, {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*", Condition: []}]}]
    session_policies: [{Version: "2012-10-17", Statement: {Effect: Allow, NotAction: "*", Resource: "*"}}]
  u: {type: iam_user, groups: [g], access_keys: [{used_by: []}], console_access: true, mfa: true}
  g: {type: iam_group, policies: [{Statement: {Effect: Allow, Action: "s3:*", NotResource: "*"}}]}
  b: {type: s3_bucket, policy: {Statement: [{Effect: Allow, Principal: {AWS: 5}, Action: "s3:*"}, "junk"]}, access_points: [{name: ap, policy: 7}]}
  q: {type: sqs_queue, policy: {Statement: {Effect: Allow, Principal: "*", Action: "sqs:*", Condition: {StringEquals: "x"}}}}
  f: {type: lambda_function, role: r}
assertions:
  - {name: a1, principal: r, action: s3:GetObject, resource: b/*, expect: allow, context: {k: {x: 1}, aws:SourceIp: [1, 2]}}
  - {name: a2, principal: u, action: s3:GetObject, resource: q, expect: deny}
  - {name: a3, principal: anyone, action: sqs:SendMessage, resource: q, expect: deny}
  - {name: a4, principal: outside-organization, action: sts:AssumeRole, resource: r, expect: deny}
  - {name: a5, principal: "arn:aws:iam::111122223333:group/x", action: s3:GetObject, resource: "arn:aws:s3:::zzz", expect: deny}
  - {name: a6, principal: u, action: s3:GetObject, resource: a, expect: deny}
"""


def test_malformed_policies_and_odd_assertions_never_crash_a_rule():
    findings = check_text(MALFORMED, load_rules()[0], name="weird.yaml")
    assert not [f for f in findings if f.code.startswith("E")], [(f.code, f.message) for f in findings]
    assert {f.code for f in findings} >= {"SEC502", "SEC501"}
