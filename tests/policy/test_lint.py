"""Lint problems: codes and exact paths to the element at fault."""
from __future__ import annotations

from typing import List, Tuple

from wavalidate.policy import Problem, lint_identity_policy, lint_resource_policy, lint_trust_policy

V = "2012-10-17"
ROLE_ACCOUNT = "111122223333"


def found(problems: List[Problem]) -> List[Tuple[str, tuple]]:
    return [(p.code, p.path) for p in problems]


def test_clean_identity_policy_has_no_problems() -> None:
    doc = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                        "Resource": "arn:aws:s3:::data/*"}]}
    assert lint_identity_policy(doc) == []


def test_version_problems() -> None:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    assert found(lint_identity_policy({"Statement": statement})) == [("missing-version", ())]
    old = lint_identity_policy({"Version": "2008-10-17", "Statement": statement})
    assert old == [Problem("old-version", ("Version",),
                           'Version 2008-10-17 does not support policy variables; use "2012-10-17"')]


def test_invalid_policy_is_one_problem_with_the_parse_path() -> None:
    problems = lint_resource_policy({"Version": V, "Statement": [{"Effect": "Allow", "Action": 3}]})
    assert problems == [Problem("invalid-policy", ("Statement", 0, "Action"),
                                "must be a string or a non-empty list of strings")]


def test_principal_in_identity_policy() -> None:
    doc = {"Version": V, "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Deny", "NotPrincipal": {"AWS": "123456789012"}, "Action": "s3:*",
         "Resource": "arn:aws:s3:::b/*"}]}
    assert found(lint_identity_policy(doc)) == [("principal-in-identity-policy", ("Statement", 1, "NotPrincipal"))]


def test_resource_policy_statement_without_principal() -> None:
    doc = {"Version": V, "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}
    assert found(lint_resource_policy(doc)) == [("missing-principal", ("Statement",))]


def test_allow_everything_points_at_the_action_value() -> None:
    doc = {"Version": V, "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": ["ec2:Describe*", "s3:*", "*"], "Resource": ["arn:aws:s3:::b", "*"]},
        {"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::123456789012:user/*"},
        {"Effect": "Deny", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}
    assert found(lint_identity_policy(doc)) == [
        ("allow-all", ("Statement", 0, "Action")),
        ("service-wildcard", ("Statement", 1, "Action", 1)),
        ("allow-all", ("Statement", 1, "Action", 2)),
    ]
    assert lint_identity_policy(doc)[1].message == "allows every s3 action on every resource"


def test_wildcards_are_also_flagged_in_resource_policies() -> None:
    doc = {"Version": V, "Statement": {"Effect": "Allow", "Principal": {"AWS": "123456789012"},
                                       "Action": "sqs:*", "Resource": "*"}}
    assert found(lint_resource_policy(doc)) == [("service-wildcard", ("Statement", "Action"))]


def test_open_trust_policy() -> None:
    doc = {"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]},
         "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}},
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
         "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}}},
        {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}]}
    assert found(lint_trust_policy(doc, ROLE_ACCOUNT)) == [
        ("open-trust-policy", ("Statement", 0, "Principal")),
        ("open-trust-policy", ("Statement", 1, "Principal", "AWS", 1)),
        ("open-trust-policy", ("Statement", 3, "Principal", "AWS")),  # a negated test does not restrict
    ]


def test_allow_with_not_principal_opens_a_trust_policy() -> None:
    doc = {"Version": V, "Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"},
                                       "Action": "sts:AssumeRole"}}
    assert found(lint_trust_policy(doc, ROLE_ACCOUNT)) == [("open-trust-policy", ("Statement", "NotPrincipal"))]


def test_cross_account_trust_needs_a_condition() -> None:
    doc = {"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::999999999999:root", "111122223333",
                                                  "arn:aws:iam::888888888888:role/ci"]},
         "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": "999999999999"}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"sts:ExternalId": "secret"}}},
        {"Effect": "Allow", "Principal": {"AWS": "999999999999"}, "Action": "sts:AssumeRole",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    assert found(lint_trust_policy(doc, ROLE_ACCOUNT)) == [
        ("cross-account-trust-without-condition", ("Statement", 0, "Principal", "AWS", 0)),
        ("cross-account-trust-without-condition", ("Statement", 0, "Principal", "AWS", 2)),
    ]
    assert lint_trust_policy(doc, ROLE_ACCOUNT)[0].message == (
        "account 999999999999 can assume this role of account 111122223333 without a condition such as "
        "sts:ExternalId or aws:MultiFactorAuthPresent")
    assert lint_trust_policy(doc) == []  # without the role's account there is nothing to compare


def test_trust_policy_without_principal() -> None:
    doc = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    assert found(lint_trust_policy(doc, ROLE_ACCOUNT)) == [("missing-principal", ("Statement", 0))]


def test_group_used_as_principal() -> None:
    group = "arn:aws:iam::111122223333:group/admins"
    trust = {"Version": V, "Statement": {"Effect": "Allow", "Principal": {"AWS": ["111122223333", group]},
                                         "Action": "sts:AssumeRole"}}
    assert found(lint_trust_policy(trust, ROLE_ACCOUNT)) == [("group-principal", ("Statement", "Principal", "AWS", 1))]
    bucket = {"Version": V, "Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": group}, "Action": "s3:*",
                                          "Resource": "arn:aws:s3:::b/*"}}
    assert lint_resource_policy(bucket) == [
        Problem("group-principal", ("Statement", "NotPrincipal", "AWS"), f"{group} is a group; groups cannot be principals")]
