"""effective_allow: identity Allow statements cancelled (or not) by boundaries, SCPs and session policies."""
from __future__ import annotations

from typing import Any, Dict

import pytest

from wavalidate.policy import PolicySet, effective_allow, parse_policy

V = "2012-10-17"


def doc(*statements: Dict[str, Any]) -> Dict[str, Any]:
    return {"Version": V, "Statement": list(statements)}


def allow(action: Any, resource: Any = "*", **extra: Any) -> Dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> Dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


SHIRLEY_BOUNDARY = doc(allow(["s3:*", "cloudwatch:*", "ec2:*"]))


@pytest.mark.parametrize("statement, expected", [
    (allow("iam:CreateUser"), False),  # the boundary documentation's example
    (allow("s3:GetObject", "arn:aws:s3:::b/*"), True),
    (allow(["iam:CreateUser", "ec2:RunInstances"]), True),  # part of it survives
    (allow("*"), True),  # whatever else, the boundary's s3 actions get through
    (allow("s3:Get*", Condition={"Bool": {"aws:SecureTransport": "true"}}), True),
    (allow("s3:Get*", Condition={"BinaryEquals": {"k": "eA=="}}), None),
    (allow("s3:Get*", "arn:aws:s3:::home/${aws:username}/*"), None),
    ({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}, True),  # ec2 actions, say
    ({"Effect": "Allow", "NotAction": ["s3:*", "ec2:*", "cloudwatch:*"], "Resource": "*"}, False),
    (allow("s3:Get*", Condition={"Bool": {"a": "true"}, "BoolIfExists": {"a": "false"}}), None),
    ({"Effect": "Allow", "NotAction": "*", "Resource": "*"}, False),
])
def test_boundary(statement: Dict[str, Any], expected: object) -> None:
    assert effective_allow(statement, boundary=[SHIRLEY_BOUNDARY]).effective is expected


def test_boundary_reason_names_the_limit() -> None:
    result = effective_allow(allow("iam:CreateUser", Sid="MakeUsers"), boundary=[SHIRLEY_BOUNDARY])
    assert result.reasons == (
        "statement 'MakeUsers' (Statement): iam:CreateUser on *: permissions boundary allows none of it",)


def test_scp_levels_and_explicit_denies() -> None:
    scps = [[doc(allow("*"))], [doc(allow(["ec2:*", "s3:*"]), deny("s3:DeleteBucket"))]]
    assert effective_allow(allow("iam:*"), scps=scps).effective is False
    assert effective_allow(allow("ec2:RunInstances"), scps=scps).effective is True
    cancelled = effective_allow(allow("s3:DeleteBucket", "arn:aws:s3:::b"), scps=scps)
    assert cancelled.effective is False
    assert cancelled.reasons == ("statement Statement: s3:DeleteBucket on arn:aws:s3:::b: explicit deny by "
                                 "SCP level 1 'SCP[1]#0' statement Statement[1]",)
    partly = effective_allow(allow("s3:Delete*"), scps=scps)  # s3:DeleteObject, say, is not denied
    assert partly.effective is True
    assert partly.reasons == ("statement Statement: s3:Delete* on *: for one, 's3:Deletex' on 'x' passes every limit",)
    assert effective_allow(allow("ec2:RunInstances"), scps=[[doc(allow("*"))], []]).effective is False


def test_conditional_limits_never_make_it_certain() -> None:
    boundary = [doc(allow("s3:*", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}))]
    assert effective_allow(allow("s3:GetObject"), boundary=boundary).effective is None
    conditional_deny = [doc(allow("*"), deny("s3:*", Condition={"Bool": {"aws:SecureTransport": "false"}}))]
    assert effective_allow(allow("s3:GetObject"), boundary=conditional_deny).effective is None


def test_resources_are_compared_as_sets() -> None:
    boundary = [doc(allow("s3:*", "arn:aws:s3:::team-*"))]
    assert effective_allow(allow("s3:GetObject", "arn:aws:s3:::team-a/*"), boundary=boundary).effective is True
    assert effective_allow(allow("s3:GetObject", "arn:aws:s3:::other/*"), boundary=boundary).effective is False
    wide = effective_allow(allow("s3:GetObject", "arn:aws:s3:::*"), boundary=boundary)
    assert wide.effective is True
    assert wide.reasons == ("statement Statement: s3:GetObject on arn:aws:s3:::*: for one, 's3:GetObject' on "
                            "'arn:aws:s3:::team-x' passes every limit",)
    guarded = [doc(allow("s3:*", "arn:aws:s3:::team-*"),
                   deny("s3:*", "arn:aws:s3:::*", Condition={"Bool": {"aws:SecureTransport": "false"}}))]
    assert effective_allow(allow("s3:GetObject", "arn:aws:s3:::*"), boundary=guarded).effective is None


def test_management_account_skips_scps_and_policy_set_limits_work() -> None:
    scps = [[doc(allow("ec2:*"))]]
    assert effective_allow(allow("iam:*"), scps=scps, principal_is_management_account=True).effective is True
    limits = PolicySet(boundary=[SHIRLEY_BOUNDARY], session=[doc(allow("s3:GetObject"))])
    assert effective_allow(allow("s3:PutObject", "arn:aws:s3:::b/*"), limits).effective is False
    assert effective_allow(allow("s3:GetObject", "arn:aws:s3:::b/*"), limits).effective is True


def test_whole_policies_and_parsed_statements() -> None:
    policy = doc(allow("iam:CreateUser"), allow("s3:GetObject"), deny("s3:PutObject"))
    result = effective_allow(policy, boundary=[SHIRLEY_BOUNDARY])
    assert result.effective is True
    assert len(result.reasons) == 2
    assert effective_allow(doc(allow("iam:CreateUser")), boundary=[SHIRLEY_BOUNDARY]).effective is False
    parsed = parse_policy(doc(allow("iam:CreateUser")))
    assert effective_allow(parsed.statements[0], boundary=[SHIRLEY_BOUNDARY]).effective is False


def test_no_limits_means_effective() -> None:
    result = effective_allow(allow("s3:GetObject"))
    assert (result.effective, result.reasons) == (
        True, ("statement Statement: no permissions boundary, session policy or SCP limits it",))


def test_deny_statements_are_rejected() -> None:
    with pytest.raises(ValueError, match="needs an Allow statement"):
        effective_allow(deny("s3:*"), boundary=[SHIRLEY_BOUNDARY])


def test_policy_variables_in_limits_are_never_read_as_coverage() -> None:
    # The boundary excludes the caller's own prefix; who the caller is stays open.
    boundary = [doc({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::${aws:username}/*"})]
    statement = allow("s3:GetObject", "arn:aws:s3:::bob/x")
    assert effective_allow(statement, boundary=boundary).effective is None
    # ...but a request outside every reading of the pattern is certainly allowed by it.
    other = allow("s3:ListAllMyBuckets", "*")
    assert effective_allow(other, boundary=boundary).effective is True


def test_limit_statement_without_resource_is_not_read_as_all() -> None:
    boundary = [doc({"Effect": "Allow", "Action": "s3:*"})]
    assert effective_allow(allow("s3:GetObject", "arn:aws:s3:::b/k"), boundary=boundary).effective is None
