"""AWS's documented evaluation examples, one row each, plus cases where the evaluator must not guess.

Sections cited are from the IAM User Guide ("Policy evaluation logic",
"Cross-account policy evaluation logic", "Permissions boundaries for IAM
entities", "Session policies", "AWS JSON policy elements") and the AWS
Organizations User Guide ("SCP evaluation", "RCP evaluation").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

import pytest

from wavalidate.policy import Decision, PolicySet, Request, evaluate

V = "2012-10-17"
A = "123456789012"
CARLOS = f"arn:aws:iam::{A}:user/carlossalazar"
SHIRLEY = f"arn:aws:iam::{A}:user/ShirleyRodriguez"
ROLE = f"arn:aws:iam::{A}:role/examplerole"
SESSION = f"arn:aws:sts::{A}:assumed-role/examplerole/examplerolesessionname"
FEDERATED = f"arn:aws:sts::{A}:federated-user/exampleuser"
ROOT = f"arn:aws:iam::{A}:root"
TRUSTED = "111111111111"
TRUSTING = "222222222222"
CARLOS_X = f"arn:aws:iam::{TRUSTED}:user/carlossalazar"


def policy(*statements: Dict[str, Any]) -> Dict[str, Any]:
    return {"Version": V, "Statement": list(statements)}


def allow(action: Any, resource: Any = "*", **extra: Any) -> Dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> Dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


# "Example identity-based and resource-based policy evaluation" (Carlos, one account).
CARLOS_IDENTITY = policy(
    allow(["s3:GetBucketLocation", "s3:GetAccountPublicAccessBlock", "s3:ListAccessPoints",
           "s3:ListAllMyBuckets"], "arn:aws:s3:::*", Sid="AllowS3ListRead"),
    allow("s3:*", ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"], Sid="AllowS3Self"),
    deny("s3:*", "arn:aws:s3:::*log*", Sid="DenyS3Logs"),
)
CARLOS_BUCKET = policy({
    "Effect": "Allow", "Principal": {"AWS": CARLOS}, "Action": "s3:*",
    "Resource": ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"]})

# "The difference between explicit and implicit denies".
GET_LIST_NO_REPORTS = policy(
    allow(["iam:Get*", "iam:List*"], Sid="AllowGetList"),
    deny("iam:*Report", Sid="DenyReports"),
)

# "Permissions boundaries for IAM entities" (Shirley).
SHIRLEY_BOUNDARY = policy(allow(["s3:*", "cloudwatch:*", "ec2:*"]))

# "Cross-account policy evaluation logic" example.
CARLOS_X_IDENTITY = policy(
    allow("s3:ListAllMyBuckets", Sid="AllowS3ListRead"),
    allow("s3:*Object*", "arn:aws:s3:::Production/*", Sid="AllowS3ProductionObjectActions"),
    deny("s3:*", ["arn:aws:s3:::*log*", "arn:aws:s3:::*log*/*"], Sid="DenyS3Logs"),
)
PRODUCTION_BUCKET = policy({
    "Effect": "Allow",
    "Action": ["s3:GetObject*", "s3:PutObject*", "s3:ReplicateObject", "s3:RestoreObject"],
    "Principal": {"AWS": CARLOS_X}, "Resource": "arn:aws:s3:::Production/*"})

# Resource-based policies naming each kind of principal (same-account table of the evaluation page).
def bucket_for(principal: Any) -> Dict[str, Any]:
    return policy({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::shared/*"})


S3_ONLY_BOUNDARY = policy(allow("ec2:*"))  # a boundary that does not allow s3
FULL_ACCESS = policy(allow("*"))
EC2_ONLY = policy(allow("ec2:*"))

# The MFA example of the identity-based policy examples (NotAction with Deny).
DENY_WITHOUT_MFA = policy(
    allow("*", Sid="AllowEverything"),
    {"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny",
     "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser",
                   "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice",
                   "sts:GetSessionToken"],
     "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
)

# The identity perimeter RCP of the AWS KMS / Organizations RCP examples.
RCP_PERIMETER = policy({
    "Sid": "RCPEnforceIdentityPerimeter", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
    "Resource": "*",
    "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-myorg"},
                  "Bool": {"aws:PrincipalIsAWSService": "false"}}})
RCP_FULL = policy({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})


@dataclass(frozen=True)
class Row:
    id: str
    principal: str
    action: str
    resource: str
    policies: Dict[str, Any]
    expected: Decision
    reason: Optional[str] = None  # one reason that must be among the result's reasons, verbatim
    request: Dict[str, Any] = field(default_factory=dict)
    allowed: Optional[bool] = None  # for UNKNOWN rows: what `allowed` must be


ROWS: Tuple[Row, ...] = (
    # --- Policy evaluation logic: "Example identity-based and resource-based policy evaluation"
    Row("carlos-logs-explicit-deny", CARLOS, "s3:PutObject", "arn:aws:s3:::carlossalazar-logs/file.txt",
        {"identity": [CARLOS_IDENTITY], "resource": [CARLOS_BUCKET]}, Decision.EXPLICIT_DENY,
        "explicit deny: identity-based policy 'identity#0' statement 'DenyS3Logs' (Statement[2])",
        request={"resource_account": A}),
    Row("carlos-own-bucket-both-allow", CARLOS, "s3:PutObject", "arn:aws:s3:::carlossalazar/file.txt",
        {"identity": [CARLOS_IDENTITY], "resource": [CARLOS_BUCKET]}, Decision.ALLOW,
        "identity-based policy: allowed by identity-based policy 'identity#0' statement 'AllowS3Self' "
        "(Statement[1])", request={"resource_account": A}),
    # "If either the identity-based policy or the resource-based policy ... allows the request ... allowed"
    Row("identity-alone-allows", CARLOS, "s3:PutObject", "arn:aws:s3:::carlossalazar/file.txt",
        {"identity": [CARLOS_IDENTITY]}, Decision.ALLOW, request={"resource_account": A}),
    Row("resource-alone-allows", CARLOS, "s3:PutObject", "arn:aws:s3:::carlossalazar/file.txt",
        {"resource": [CARLOS_BUCKET]}, Decision.ALLOW,
        "resource-based policy grants directly: resource-based policy 'resource#0' statement Statement[0]",
        request={"resource_account": A}),
    Row("nothing-allows", f"arn:aws:iam::{A}:user/bob", "s3:PutObject", "arn:aws:s3:::carlossalazar/file.txt",
        {"resource": [CARLOS_BUCKET]}, Decision.IMPLICIT_DENY, request={"resource_account": A}),
    # --- "The difference between explicit and implicit denies"
    Row("getlist-allows-get", CARLOS, "iam:GetUser", ROLE, {"identity": [GET_LIST_NO_REPORTS]}, Decision.ALLOW),
    Row("getlist-implicitly-denies-create", CARLOS, "iam:CreatePolicy", ROLE,
        {"identity": [GET_LIST_NO_REPORTS]}, Decision.IMPLICIT_DENY,
        "identity-based policy: no statement allows the request"),
    Row("reports-explicitly-denied", CARLOS, "iam:GetOrganizationsAccessReport", ROLE,
        {"identity": [GET_LIST_NO_REPORTS]}, Decision.EXPLICIT_DENY),
    Row("reports-denied-despite-other-allow", CARLOS, "iam:GenerateCredentialReport", ROLE,
        {"identity": [GET_LIST_NO_REPORTS, FULL_ACCESS]}, Decision.EXPLICIT_DENY,
        "explicit deny: identity-based policy 'identity#0' statement 'DenyReports' (Statement[1])"),
    # --- Permissions boundaries: "Shirley can never perform operations in any other service"
    Row("boundary-blocks-iam", SHIRLEY, "iam:CreateUser", f"arn:aws:iam::{A}:user/new",
        {"identity": [policy(allow("iam:CreateUser"))], "boundary": [SHIRLEY_BOUNDARY]}, Decision.IMPLICIT_DENY,
        "permissions boundary: no statement allows the request"),
    Row("boundary-and-identity-allow", SHIRLEY, "ec2:DescribeInstances", "*",
        {"identity": [policy(allow("ec2:Describe*"))], "boundary": [SHIRLEY_BOUNDARY]}, Decision.ALLOW),
    Row("boundary-alone-grants-nothing", SHIRLEY, "ec2:DescribeInstances", "*",
        {"boundary": [SHIRLEY_BOUNDARY]}, Decision.IMPLICIT_DENY),
    Row("explicit-deny-in-boundary", SHIRLEY, "s3:DeleteBucket", "arn:aws:s3:::logs",
        {"identity": [FULL_ACCESS], "boundary": [policy(allow("s3:*"), deny("s3:*", "arn:aws:s3:::logs"))]},
        Decision.EXPLICIT_DENY),
    # --- Evaluation logic, resource-based policies and implicit denies (same account), per principal type
    Row("rbp-user-arn-not-limited-by-boundary", CARLOS, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for(CARLOS)], "boundary": [S3_ONLY_BOUNDARY]}, Decision.ALLOW,
        request={"resource_account": A}),
    Row("rbp-role-arn-limited-by-boundary", SESSION, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for(ROLE)], "boundary": [S3_ONLY_BOUNDARY]}, Decision.IMPLICIT_DENY,
        request={"resource_account": A}),
    Row("rbp-role-arn-not-limited-by-identity", SESSION, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for(ROLE)]}, Decision.ALLOW, request={"resource_account": A}),
    Row("rbp-role-arn-limited-by-session-policy", SESSION, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for(ROLE)], "session": [EC2_ONLY]}, Decision.IMPLICIT_DENY,
        request={"resource_account": A}),
    Row("rbp-session-arn-not-limited", SESSION, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for(SESSION)], "boundary": [S3_ONLY_BOUNDARY], "session": [EC2_ONLY]},
        Decision.ALLOW, request={"resource_account": A}),
    Row("rbp-federated-session-arn-not-limited", FEDERATED, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for(FEDERATED)]}, Decision.ALLOW, request={"resource_account": A}),
    Row("rbp-account-principal-delegates-to-iam", CARLOS, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for(A)]}, Decision.IMPLICIT_DENY, request={"resource_account": A}),
    # --- Session policies: permissions are the intersection with the identity-based policy
    Row("session-policy-limits", SESSION, "s3:PutObject", "arn:aws:s3:::b/k",
        {"identity": [policy(allow("s3:*"))], "session": [policy(allow("s3:GetObject"))]},
        Decision.IMPLICIT_DENY, "session policy: no statement allows the request", request={"resource_account": A}),
    Row("session-policy-allows", SESSION, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [policy(allow("s3:*"))], "session": [policy(allow("s3:GetObject"))]},
        Decision.ALLOW, request={"resource_account": A}),
    Row("session-policy-grants-nothing-alone", SESSION, "s3:GetObject", "arn:aws:s3:::b/k",
        {"session": [policy(allow("s3:*"))]}, Decision.IMPLICIT_DENY, request={"resource_account": A}),
    Row("role-session-without-session-policy", SESSION, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [policy(allow("s3:*"))]}, Decision.ALLOW, request={"resource_account": A}),
    # Documented flow: a federated user session without a session policy is denied.
    Row("federated-user-needs-session-policy", FEDERATED, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [policy(allow("s3:*"))]}, Decision.IMPLICIT_DENY, request={"resource_account": A}),
    # --- SCPs: "an action must be allowed by both the identity-based policy and the SCP"
    Row("scp-limits-identity", CARLOS, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [FULL_ACCESS], "scps": [[FULL_ACCESS], [EC2_ONLY]]}, Decision.IMPLICIT_DENY,
        "SCP level 1: no statement allows the request", request={"resource_account": A}),
    Row("scp-every-level-allows", CARLOS, "ec2:RunInstances", "*",
        {"identity": [FULL_ACCESS], "scps": [[FULL_ACCESS], [EC2_ONLY], [FULL_ACCESS]]}, Decision.ALLOW),
    Row("scp-grants-nothing-alone", CARLOS, "ec2:RunInstances", "*",
        {"scps": [[FULL_ACCESS]]}, Decision.IMPLICIT_DENY),
    Row("scp-explicit-deny", CARLOS, "ec2:TerminateInstances", "*",
        {"identity": [FULL_ACCESS], "scps": [[FULL_ACCESS, policy(deny("ec2:Terminate*"))]]},
        Decision.EXPLICIT_DENY),
    Row("scp-empty-level-denies", CARLOS, "ec2:RunInstances", "*",
        {"identity": [FULL_ACCESS], "scps": [[FULL_ACCESS], []]}, Decision.IMPLICIT_DENY),
    Row("scp-limits-resource-policy-grant", CARLOS, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for(CARLOS)], "scps": [[EC2_ONLY]]}, Decision.IMPLICIT_DENY,
        request={"resource_account": A}),
    Row("scp-applies-to-member-root-user", ROOT, "s3:GetObject", "arn:aws:s3:::b/k",
        {"scps": [[EC2_ONLY]]}, Decision.IMPLICIT_DENY, request={"resource_account": A}),
    Row("root-user-has-full-access", ROOT, "s3:GetObject", "arn:aws:s3:::b/k", {}, Decision.ALLOW,
        request={"resource_account": A}),
    # "SCPs don't affect users or roles in the management account"
    Row("management-account-not-affected-by-scps", CARLOS, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [FULL_ACCESS], "scps": [[EC2_ONLY]], "principal_is_management_account": True},
        Decision.ALLOW, "SCPs do not apply: the principal is in the management account",
        request={"resource_account": A}),
    Row("scps-do-not-affect-service-linked-roles",
        f"arn:aws:iam::{A}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
        "ec2:DescribeInstances", "*", {"identity": [FULL_ACCESS], "scps": [[policy(deny("*"))]]},
        Decision.ALLOW, "SCPs do not apply to service-linked roles"),
    # --- Cross-account policy evaluation logic: "Example cross-account policy evaluation"
    Row("cross-account-logs-denied", CARLOS_X, "s3:PutObject", "arn:aws:s3:::Production-logs/file.txt",
        {"identity": [CARLOS_X_IDENTITY]}, Decision.EXPLICIT_DENY,
        "explicit deny: identity-based policy 'identity#0' statement 'DenyS3Logs' (Statement[2])",
        request={"resource_account": TRUSTING}),
    Row("cross-account-both-allow", CARLOS_X, "s3:PutObject", "arn:aws:s3:::Production/file.txt",
        {"identity": [CARLOS_X_IDENTITY], "resource": [PRODUCTION_BUCKET]}, Decision.ALLOW,
        request={"resource_account": TRUSTING}),
    Row("cross-account-needs-resource-policy", CARLOS_X, "s3:PutObject", "arn:aws:s3:::Production/file.txt",
        {"identity": [CARLOS_X_IDENTITY]}, Decision.IMPLICIT_DENY,
        "implicit deny: the resource-based policy does not allow this principal",
        request={"resource_account": TRUSTING}),
    Row("cross-account-needs-identity-policy", CARLOS_X, "s3:PutObject", "arn:aws:s3:::Production/file.txt",
        {"resource": [PRODUCTION_BUCKET]}, Decision.IMPLICIT_DENY, request={"resource_account": TRUSTING}),
    Row("cross-account-bucket-cannot-delete", CARLOS_X, "s3:DeleteObject", "arn:aws:s3:::Production/file.txt",
        {"identity": [CARLOS_X_IDENTITY], "resource": [PRODUCTION_BUCKET]}, Decision.IMPLICIT_DENY,
        request={"resource_account": TRUSTING}),
    # "When you use an AWS account identifier as the principal ... you delegate authority to the account"
    Row("cross-account-account-principal", CARLOS_X, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"identity": [policy(allow("s3:GetObject"))], "resource": [bucket_for(TRUSTED)]}, Decision.ALLOW,
        request={"resource_account": TRUSTING}),
    Row("cross-account-boundary-still-limits", CARLOS_X, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"identity": [FULL_ACCESS], "boundary": [S3_ONLY_BOUNDARY], "resource": [bucket_for(CARLOS_X)]},
        Decision.IMPLICIT_DENY, request={"resource_account": TRUSTING}),
    # --- NotAction with Deny (the self-managed MFA example)
    Row("notaction-deny-without-mfa", CARLOS, "ec2:RunInstances", "*", {"identity": [DENY_WITHOUT_MFA]},
        Decision.EXPLICIT_DENY, request={"known_absent": frozenset({"aws:MultiFactorAuthPresent"})}),
    Row("notaction-deny-spares-listed-actions", CARLOS, "iam:EnableMFADevice", CARLOS,
        {"identity": [DENY_WITHOUT_MFA]}, Decision.ALLOW,
        request={"known_absent": frozenset({"aws:MultiFactorAuthPresent"})}),
    Row("notaction-deny-with-mfa", CARLOS, "ec2:RunInstances", "*", {"identity": [DENY_WITHOUT_MFA]},
        Decision.ALLOW, request={"context": {"aws:MultiFactorAuthPresent": "true"}}),
    # --- Anonymous access: "Principal": "*" in a resource-based policy grants public access
    Row("public-read", "anonymous", "s3:GetObject", "arn:aws:s3:::site/index.html",
        {"resource": [policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                              "Resource": "arn:aws:s3:::site/*"})]},
        Decision.ALLOW, "resource-based policy allows this principal: resource-based policy 'resource#0' "
        "statement Statement[0]"),
    Row("anonymous-not-covered-by-account", "anonymous", "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for(A)]}, Decision.IMPLICIT_DENY),
    # --- NotPrincipal with Deny: "always deny any IAM principal that has a permissions boundary"
    Row("notprincipal-deny-with-boundary", CARLOS, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"identity": [FULL_ACCESS], "boundary": [FULL_ACCESS],
         "resource": [policy({"Effect": "Deny", "NotPrincipal": {"AWS": [CARLOS, ROOT]},
                              "Action": "s3:*", "Resource": "*"})]},
        Decision.EXPLICIT_DENY, request={"resource_account": A}),
    Row("notprincipal-deny-excludes-listed-user", CARLOS, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"identity": [FULL_ACCESS],
         "resource": [policy({"Effect": "Deny", "NotPrincipal": {"AWS": [CARLOS, ROOT]},
                              "Action": "s3:*", "Resource": "*"})]},
        Decision.ALLOW, request={"resource_account": A}),
    # --- RCPs: a perimeter Deny for principals outside the organization; skipped for the management account
    Row("rcp-blocks-outside-principal", CARLOS_X, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"identity": [FULL_ACCESS], "resource": [bucket_for(CARLOS_X)], "rcps": [[RCP_FULL, RCP_PERIMETER]]},
        Decision.EXPLICIT_DENY,
        "explicit deny: RCP level 0 'RCP[0]#1' statement 'RCPEnforceIdentityPerimeter' (Statement[0])",
        request={"resource_account": TRUSTING,
                 "context": {"aws:PrincipalOrgID": "o-other", "aws:PrincipalIsAWSService": "false"}}),
    Row("rcp-allows-inside-principal", CARLOS_X, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"identity": [FULL_ACCESS], "resource": [bucket_for(CARLOS_X)], "rcps": [[RCP_FULL, RCP_PERIMETER]]},
        Decision.ALLOW, request={"resource_account": TRUSTING,
                                 "context": {"aws:PrincipalOrgID": "o-myorg", "aws:PrincipalIsAWSService": "false"}}),
    Row("rcp-skips-management-account", CARLOS_X, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"identity": [FULL_ACCESS], "resource": [bucket_for(CARLOS_X)], "rcps": [[RCP_PERIMETER]],
         "resource_is_management_account": True},
        Decision.ALLOW, "RCPs do not apply: the resource is in the management account",
        request={"resource_account": TRUSTING}),
    Row("rcp-level-without-allow", CARLOS, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [FULL_ACCESS], "rcps": [[RCP_FULL], []]}, Decision.IMPLICIT_DENY,
        request={"resource_account": A}),
    # --- Trust policies and KMS key policies must allow the principal explicitly
    Row("key-policy-required-without-key-policy", SESSION, "kms:Decrypt",
        f"arn:aws:kms:us-east-1:{A}:key/k1", {"identity": [FULL_ACCESS], "resource_policy_required": True},
        Decision.IMPLICIT_DENY),
    Row("key-policy-delegating-to-account", SESSION, "kms:Decrypt", f"arn:aws:kms:us-east-1:{A}:key/k1",
        {"identity": [FULL_ACCESS], "resource_policy_required": True,
         "resource": [policy({"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"})]},
        Decision.ALLOW),

    # --- The evaluator does not guess
    Row("unknown-unsupported-operator", CARLOS, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [policy(allow("s3:*", Condition={"BinaryEquals": {"s3:x": "QmluYXJ5"}}))]},
        Decision.UNKNOWN,
        "unknown: identity-based policy 'identity#0' statement Statement[0]: unsupported condition "
        "operator 'BinaryEquals'", request={"resource_account": A}, allowed=None),
    Row("unsupported-operator-under-definite-deny", CARLOS, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [policy(allow("s3:*", Condition={"BinaryEquals": {"s3:x": "QmluYXJ5"}}),
                             deny("s3:GetObject"))]},
        Decision.EXPLICIT_DENY, request={"resource_account": A}),
    Row("unknown-context-key-in-allow", CARLOS, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [policy(allow("s3:*", Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))]},
        Decision.UNKNOWN,
        "unknown: identity-based policy 'identity#0' statement Statement[0]: condition key 'aws:SourceIp' "
        "is not known for this request", request={"resource_account": A}, allowed=None),
    Row("known-context-key-decides", CARLOS, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [policy(allow("s3:*", Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))]},
        Decision.IMPLICIT_DENY, request={"resource_account": A, "context": {"aws:SourceIp": "198.51.100.1"}}),
    Row("unknown-deny-over-definite-allow", CARLOS, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [policy(allow("s3:*"), deny("s3:*", Condition={"Bool": {"aws:SecureTransport": "false"}}))]},
        Decision.UNKNOWN, "unknown: a Deny statement may apply", request={"resource_account": A}, allowed=None),
    Row("unknown-deny-but-nothing-allows", CARLOS, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [policy(deny("s3:*", Condition={"Bool": {"aws:SecureTransport": "false"}}))]},
        Decision.UNKNOWN, "denied, but unknown whether explicitly: a Deny statement may apply",
        request={"resource_account": A}, allowed=False),
    Row("unknown-allow-does-not-matter-under-scp", CARLOS, "s3:GetObject", "arn:aws:s3:::b/k",
        {"identity": [policy(allow("s3:*", Condition={"StringEquals": {"aws:PrincipalTag/x": "y"}}))],
         "scps": [[EC2_ONLY]]},
        Decision.IMPLICIT_DENY, request={"resource_account": A}),
    Row("unknown-policy-variable", CARLOS, "s3:GetObject", "arn:aws:s3:::home/x/file",
        {"identity": [policy(allow("s3:GetObject", "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"))]},
        Decision.UNKNOWN, request={"resource_account": A}, allowed=None),
    Row("resolved-policy-variable", CARLOS, "s3:GetObject", "arn:aws:s3:::home/carlossalazar/file",
        {"identity": [policy(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"))]},
        Decision.ALLOW, request={"resource_account": A}),
    Row("unknown-resource-account-disagreement", CARLOS, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for(CARLOS)], "boundary": [S3_ONLY_BOUNDARY]}, Decision.UNKNOWN,
        "the resource's account is unknown, so same-account and cross-account evaluation were both done",
        allowed=None),
    Row("unknown-wildcard-grant-under-boundary", CARLOS, "s3:GetObject", "arn:aws:s3:::shared/a",
        {"resource": [bucket_for("*")], "boundary": [S3_ONLY_BOUNDARY]}, Decision.UNKNOWN,
        request={"resource_account": A}, allowed=None),
)


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_documented_example(row: Row) -> None:
    result = evaluate(Request(row.principal, row.action, row.resource, **row.request), PolicySet(**row.policies))
    assert result.decision is row.expected, result.reasons
    if row.reason is not None:
        assert row.reason in result.reasons, result.reasons
    if row.expected is Decision.UNKNOWN:
        assert result.allowed is row.allowed
    else:
        assert result.allowed is (row.expected is Decision.ALLOW)
