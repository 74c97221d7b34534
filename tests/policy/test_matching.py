"""Wildcards, actions, resource ARNs and principals."""
from __future__ import annotations

import pytest

from wavalidate.policy import globs
from wavalidate.policy.matching import (
    Grant,
    action_matches,
    arn_like,
    excluded_by,
    principal_match,
    resource_matches,
)
from wavalidate.policy.model import PrincipalEntry
from wavalidate.policy.request import PrincipalKind, describe_principal

ACCOUNT = "111122223333"
USER = f"arn:aws:iam::{ACCOUNT}:user/division/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/run-1"
FEDERATED = f"arn:aws:sts::{ACCOUNT}:federated-user/carol"


def aws(value: str) -> PrincipalEntry:
    return PrincipalEntry("AWS", value, ("Principal", "AWS"))


@pytest.mark.parametrize("pattern, action, expected", [
    ("s3:Get*", "s3:GetObject", True),
    ("s3:get*", "S3:GETOBJECT", True),  # action names are case-insensitive
    ("s3:Get*", "s3:PutObject", False),
    ("s3:Get?bject", "s3:GetObject", True),
    ("s3:Get?bject", "s3:GetOObject", False),
    ("*", "kms:Decrypt", True),
    ("iam:*Report", "iam:GetOrganizationsAccessReport", True),
    ("iam:*Report", "iam:GetReportSettings", False),
    ("s3:GetObject", "s3:GetObjectAcl", False),  # whole-name match, not a prefix
])
def test_action_matches(pattern: str, action: str, expected: bool) -> None:
    assert action_matches(pattern, action) is expected


@pytest.mark.parametrize("pattern, resource, expected", [
    ("*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", True),
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c.txt", True),  # `*` crosses `/`
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", False),
    ("arn:aws:s3:::*log*", "arn:aws:s3:::carlossalazar-logs", True),
    ("arn:aws:s3:::*log*", "arn:aws:s3:::carlossalazar", False),
    ("arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:user/bob", False),  # case-sensitive
    ("arn:aws:ec2:*:111122223333:instance/*", "arn:aws:ec2:eu-west-1:111122223333:instance/i-9", True),
    ("arn:aws:ec2:*:111122223333:instance/*", "arn:aws:ec2:eu-west-1:999999999999:instance/i-9", False),
    # `*` ends a segment: AWS says it "can" expand across colons; the evaluator will not guess.
    ("arn:aws:ec2:*:111122223333:instance/*",
     "arn:aws:ec2:eu-west-1:999:x:111122223333:instance/i-9", None),
    ("arn:aws:logs:us-east-1:111122223333:log-group:app:*",
     "arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:s1", None),
    ("arn:aws:logs:us-east-1:111122223333:log-group:app:*",
     "arn:aws:logs:us-east-1:111122223333:log-group:app:stream", True),
])
def test_resource_matches(pattern: str, resource: str, expected: object) -> None:
    assert resource_matches(globs.source(pattern), resource) is expected


def test_arn_like_matches_each_component_separately() -> None:
    # The example of the ARN condition operators page: StringLike matches, ArnLike does not.
    pattern = "arn:aws:someservice:*:111122223333:finance/*"
    value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    assert globs.match(pattern, value) is True
    assert arn_like(pattern, value) is False
    assert arn_like(pattern, "arn:aws:someservice:us-east-2:111122223333:finance/a:b") is True
    assert arn_like(pattern, "not-an-arn") is None


def test_glob_escapes_and_literals() -> None:
    assert globs.match(globs.literal("a*b"), "a*b") is True
    assert globs.match(globs.literal("a*b"), "axxb") is False
    assert globs.unescape(globs.source("s3:*") + globs.literal("?")) == "s3:*?"
    assert globs.tokens("a**b") == ("a", globs.Wild.STAR, "b")


@pytest.mark.parametrize("a, b, expected", [
    ("s3:Get*", "s3:*Object", True),
    ("s3:Get*", "ec2:*", False),
    ("a?c", "abc", True),
    ("a?c", "ac", False),
    ("*x", "y*", True),
    ("abc", "abd", False),
])
def test_overlaps(a: str, b: str, expected: bool) -> None:
    assert globs.overlaps(a, b) is expected
    assert globs.overlaps(b, a) is expected


@pytest.mark.parametrize("outer, inner, expected", [
    ("s3:*", "s3:Get*", True),
    ("s3:Get*", "s3:*", False),
    ("*", "anything?", True),
    ("a*c", "a?c", True),
    ("a?c", "a*c", False),
    ("*Object*", "s3:GetObject", True),
    ("s3:Get*", "s3:GetObject*", True),
])
def test_contains(outer: str, inner: str, expected: bool) -> None:
    assert globs.contains(outer, inner) is expected


def test_contains_respects_colon_bounds() -> None:
    # A segment-bound `*` cannot cover names with extra colons; an unbound one can.
    assert globs.contains("arn:*", "arn:a:b", outer_colon_bound=True) is False
    assert globs.contains("arn:*", "arn:a:b") is True
    assert globs.contains("s3:GET*", "s3:get*", ignore_case=True) is True


@pytest.mark.parametrize("text, kind, account, name", [
    (USER, PrincipalKind.USER, ACCOUNT, "alice"),
    (ROLE, PrincipalKind.ROLE, ACCOUNT, "app"),
    (SESSION, PrincipalKind.ROLE_SESSION, ACCOUNT, "app"),
    (FEDERATED, PrincipalKind.FEDERATED_USER, ACCOUNT, "carol"),
    (f"arn:aws:iam::{ACCOUNT}:root", PrincipalKind.ROOT, ACCOUNT, None),
    ("anonymous", PrincipalKind.ANONYMOUS, None, None),
    ("lambda.amazonaws.com", PrincipalKind.EXTERNAL, None, None),
])
def test_describe_principal(text: str, kind: PrincipalKind, account: object, name: object) -> None:
    who = describe_principal(text)
    assert (who.kind, who.account, who.name) == (kind, account, name)


def test_groups_cannot_be_principals() -> None:
    with pytest.raises(ValueError, match="groups cannot be principals"):
        describe_principal(f"arn:aws:iam::{ACCOUNT}:group/admins")


def test_service_linked_role_is_recognised_by_path() -> None:
    slr = describe_principal(f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS")
    assert slr.service_linked is True
    assert describe_principal(ROLE).service_linked is False


@pytest.mark.parametrize("entry, requester, expected", [
    (PrincipalEntry("*", "*", ("Principal",)), "anonymous", (True, Grant.WILDCARD)),
    (aws("*"), USER, (True, Grant.WILDCARD)),
    (aws(ACCOUNT), USER, (True, Grant.ACCOUNT)),
    (aws(f"arn:aws:iam::{ACCOUNT}:root"), SESSION, (True, Grant.ACCOUNT)),
    (aws(f"arn:aws:iam::{ACCOUNT}:root"), f"arn:aws:iam::{ACCOUNT}:root", (True, Grant.EXACT)),
    (aws("999999999999"), USER, (False, None)),
    (aws(USER), USER, (True, Grant.EXACT)),
    (aws(f"arn:aws:iam::{ACCOUNT}:user/Alice"), USER, (False, None)),  # user names are case-sensitive here
    (aws(ROLE), SESSION, (True, Grant.ROLE)),
    (aws(ROLE), ROLE, (True, Grant.ROLE)),
    (aws(f"arn:aws:iam::{ACCOUNT}:role/other"), SESSION, (False, None)),
    (aws(SESSION), SESSION, (True, Grant.EXACT)),
    (aws(SESSION), ROLE, (None, None)),  # which session the role runs as is not known
    (aws(FEDERATED), FEDERATED, (True, Grant.EXACT)),
    (aws(f"arn:aws:iam::{ACCOUNT}:user/carol"), FEDERATED, (None, None)),
    (aws(f"arn:aws:iam::{ACCOUNT}:role/*"), SESSION, (None, None)),  # no partial wildcards in principals
    (aws("AROAEXAMPLEID"), SESSION, (None, None)),  # unique id of a deleted role
    (aws(f"arn:aws:iam::{ACCOUNT}:group/admins"), USER, (None, None)),
    (aws(USER), "anonymous", (False, None)),
    (PrincipalEntry("Service", "lambda.amazonaws.com", ()), "lambda.amazonaws.com", (True, Grant.EXTERNAL)),
    (PrincipalEntry("Service", "lambda.amazonaws.com", ()), ROLE, (False, None)),
    (PrincipalEntry("Federated", "cognito-identity.amazonaws.com", ()), "cognito-identity.amazonaws.com",
     (True, Grant.EXTERNAL)),
    (PrincipalEntry("CanonicalUser", "79a59df9", ()), "79a59df9", (True, Grant.EXTERNAL)),
    (PrincipalEntry("CanonicalUser", "79a59df9", ()), USER, (None, None)),
])
def test_principal_match(entry: PrincipalEntry, requester: str, expected: tuple) -> None:
    matched, grant, _ = principal_match(entry, describe_principal(requester))
    assert (matched, grant) == expected


def test_not_principal_needs_every_layer_listed() -> None:
    session = describe_principal(SESSION)
    every_layer = (aws(SESSION), aws(ROLE), aws(f"arn:aws:iam::{ACCOUNT}:root"))
    assert excluded_by(every_layer, session) is True
    assert excluded_by((aws(SESSION), aws(ROLE)), session) is None  # AWS "might" deny the account
    assert excluded_by((aws("999999999999"),), session) is False
    user = describe_principal(USER)
    assert excluded_by((aws(USER), aws(ACCOUNT)), user) is True
    assert excluded_by((aws("*"),), user) is True
