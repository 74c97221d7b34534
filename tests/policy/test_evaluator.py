"""The evaluator beyond the documented examples: parsing, requests, unknowns, explanations."""
from __future__ import annotations

import pytest

from wavalidate.policy import (
    Decision,
    EvaluationResult,
    PolicyError,
    PolicySet,
    Request,
    check_statement,
    evaluate,
    globs,
    parse_policy,
)

V = "2012-10-17"
A = "111122223333"
USER = f"arn:aws:iam::{A}:user/alice"
ROLE = f"arn:aws:iam::{A}:role/app"
SESSION = f"arn:aws:sts::{A}:assumed-role/app/run-1"
BUCKET_OBJECT = "arn:aws:s3:::data/report.csv"
ALLOW_ALL = {"Version": V, "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}


def req(principal: str = USER, action: str = "s3:GetObject", resource: str = BUCKET_OBJECT,
        **kwargs: object) -> Request:
    kwargs.setdefault("resource_account", A)
    return Request(principal, action, resource, **kwargs)  # type: ignore[arg-type]


def resource_policy(*statements: dict) -> dict:
    return {"Version": V, "Statement": list(statements)}


def test_policy_set_parses_documents_once_and_names_them() -> None:
    ps = PolicySet(identity=[ALLOW_ALL, {**ALLOW_ALL, "Id": "admin"}], scps=[[ALLOW_ALL]])
    assert [p.name for p in ps.identity] == ["identity#0", "admin"]
    assert ps.scps is not None and ps.scps[0][0].name == "SCP[0]#0"
    parsed = parse_policy(ALLOW_ALL, name="given")
    assert PolicySet(identity=[parsed]).identity[0].name == "given"


def test_policy_set_reports_malformed_documents_with_label_and_path() -> None:
    bad = {"Version": V, "Statement": [ALLOW_ALL["Statement"], {"Effect": "Permit", "Action": "*"}]}
    with pytest.raises(PolicyError) as caught:
        PolicySet(boundary=[bad])
    assert caught.value.path == ("Statement", 1, "Effect")
    assert caught.value.message == "boundary#0: Effect must be 'Allow' or 'Deny'"


def test_policy_set_rejects_a_single_policy_where_a_list_is_expected() -> None:
    with pytest.raises(TypeError, match="identity must be a sequence of policies"):
        PolicySet(identity=ALLOW_ALL)  # type: ignore[arg-type]


def test_evaluation_result_allowed_follows_the_decision() -> None:
    assert EvaluationResult(Decision.ALLOW, ()).allowed is True
    assert EvaluationResult(Decision.IMPLICIT_DENY, ()).allowed is False
    assert EvaluationResult(Decision.EXPLICIT_DENY, ()).allowed is False
    assert EvaluationResult(Decision.UNKNOWN, ()).allowed is None
    assert EvaluationResult(Decision.UNKNOWN, (), allowed=False).allowed is False


@pytest.mark.parametrize("kwargs, message", [
    ({"principal": f"arn:aws:iam::{A}:group/devs"}, "groups cannot be principals"),
    ({"action": "GetObject"}, "must look like 'service:Action'"),
    ({"principal_account": "999999999999"}, "contradicts"),
    ({"resource": f"arn:aws:sqs:us-east-1:{A}:q", "resource_account": "999999999999"}, "contradicts"),
    ({"context": {"aws:SourceIp": "1.2.3.4"}, "known_absent": frozenset({"AWS:SOURCEIP"})},
     "both given and known absent"),
    ({"principal": "arn:aws:iam::111122223333:instance-profile/web"}, "is not a principal that can make requests"),
    ({"principal": "*"}, "use 'anonymous' for unauthenticated requests"),
])
def test_invalid_requests_are_rejected(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        req(**kwargs)


def test_request_derives_accounts_and_principal_keys() -> None:
    request = Request(USER, "sqs:SendMessage", f"arn:aws:sqs:us-east-1:{A}:queue")
    assert (request.principal_account, request.resource_account) == (A, A)
    assert request.lookup("aws:PrincipalAccount").values == (A,)
    assert request.lookup("aws:username").values == ("alice",)
    assert request.lookup("aws:PrincipalArn").values == (USER,)
    session = Request(SESSION, "s3:GetObject", BUCKET_OBJECT)
    assert session.resource_account is None
    assert session.lookup("aws:PrincipalArn").state.value == "unknown"
    plain = Request(USER, "s3:GetObject", BUCKET_OBJECT, derive_principal_keys=False)
    assert plain.lookup("aws:username").state.value == "unknown"


def test_reasons_name_the_deciding_statement() -> None:
    identity = {"Version": V, "Id": "app-policy", "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::data/*"}]}
    result = evaluate(req(), PolicySet(identity=[identity]))
    assert result.decision is Decision.ALLOW
    assert result.reasons == (
        "resource-based policy: no statement grants directly",
        "identity-based policy: allowed by identity-based policy 'app-policy' statement 'Read' (Statement[0])",
    )


def test_principal_in_identity_policy_makes_the_statement_unknown() -> None:
    identity = {"Version": V, "Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}
    result = evaluate(req(), PolicySet(identity=[identity]))
    assert result.decision is Decision.UNKNOWN
    assert ("unknown: identity-based policy 'identity#0' statement Statement: Principal/NotPrincipal is not "
            "valid in this policy type") in result.reasons


def test_resource_policy_statement_without_principal_is_unknown() -> None:
    bucket = resource_policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    result = evaluate(req(), PolicySet(resource=[bucket]))
    assert result.decision is Decision.UNKNOWN
    assert result.allowed is None


def test_identity_statement_without_resource_is_unknown_but_resource_policy_is_not() -> None:
    no_resource = {"Version": V, "Statement": {"Effect": "Allow", "Action": "s3:*"}}
    assert evaluate(req(), PolicySet(identity=[no_resource])).decision is Decision.UNKNOWN
    bucket = resource_policy({"Effect": "Allow", "Principal": {"AWS": USER}, "Action": "s3:*"})
    assert evaluate(req(), PolicySet(resource=[bucket])).decision is Decision.ALLOW


def test_service_principal_is_granted_by_resource_policy_only() -> None:
    queue = f"arn:aws:sqs:us-east-1:{A}:q"
    policy = resource_policy({"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                              "Action": "sqs:SendMessage", "Resource": queue,
                              "Condition": {"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{A}:t"}}})
    request = Request("sns.amazonaws.com", "sqs:SendMessage", queue,
                      context={"aws:SourceArn": f"arn:aws:sns:us-east-1:{A}:t"})
    result = evaluate(request, PolicySet(resource=[policy], identity=[ALLOW_ALL], scps=[[]]))
    assert result.decision is Decision.ALLOW
    assert "identity-based policies ignored: an external principal has none" in result.reasons
    assert "SCPs do not apply to an external principal" in result.reasons
    other = Request("sns.amazonaws.com", "sqs:SendMessage", queue,
                    context={"aws:SourceArn": f"arn:aws:sns:us-east-1:{A}:other"})
    assert evaluate(other, PolicySet(resource=[policy])).decision is Decision.IMPLICIT_DENY


def test_role_given_by_arn_cannot_be_matched_to_a_named_session() -> None:
    bucket = resource_policy({"Effect": "Allow", "Principal": {"AWS": SESSION}, "Action": "s3:*", "Resource": "*"})
    assert evaluate(req(principal=ROLE), PolicySet(resource=[bucket])).decision is Decision.UNKNOWN
    assert evaluate(req(principal=SESSION), PolicySet(resource=[bucket])).decision is Decision.ALLOW


def test_federated_session_and_the_user_who_federated() -> None:
    federated = f"arn:aws:sts::{A}:federated-user/carol"
    bucket = resource_policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:user/carol"},
                              "Action": "s3:*", "Resource": "*"})
    result = evaluate(req(principal=federated), PolicySet(resource=[bucket]))
    assert result.decision is Decision.UNKNOWN  # the session ARN does not say who federated it
    assert result.allowed is None


def test_not_principal_listing_only_some_layers_is_unknown() -> None:
    deny = resource_policy({"Effect": "Deny", "NotPrincipal": {"AWS": [SESSION, ROLE]}, "Action": "s3:*",
                            "Resource": "*"})
    result = evaluate(req(principal=SESSION), PolicySet(identity=[ALLOW_ALL], resource=[deny]))
    assert result.decision is Decision.UNKNOWN
    complete = resource_policy({"Effect": "Deny", "NotPrincipal": {"AWS": [SESSION, ROLE, A]}, "Action": "s3:*",
                                "Resource": "*"})
    assert evaluate(req(principal=SESSION), PolicySet(identity=[ALLOW_ALL], resource=[complete])).decision \
        is Decision.ALLOW


def test_rcp_for_a_service_not_known_to_support_rcps_is_unknown_when_it_would_deny() -> None:
    rcp_deny = {"Version": V, "Statement": {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}}
    ps = PolicySet(identity=[ALLOW_ALL], rcps=[[rcp_deny]])
    result = evaluate(req(action="ec2:RunInstances", resource="*"), ps)
    assert result.decision is Decision.UNKNOWN
    assert "whether RCPs cover ec2 resources is not known here" in result.reasons
    assert evaluate(req(), ps).decision is Decision.EXPLICIT_DENY  # s3 is covered


def test_rcp_for_a_service_linked_role_is_unknown_when_it_would_deny() -> None:
    rcp_deny = {"Version": V, "Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}}
    ps = PolicySet(identity=[ALLOW_ALL], rcps=[[rcp_deny]], principal_is_service_linked_role=True)
    assert evaluate(req(principal=SESSION), ps).decision is Decision.UNKNOWN


def test_ignored_policy_types_are_reported() -> None:
    result = evaluate(req(principal=f"arn:aws:iam::{A}:root"),
                      PolicySet(identity=[ALLOW_ALL], boundary=[ALLOW_ALL], session=[ALLOW_ALL]))
    assert result.decision is Decision.ALLOW
    assert result.reasons[-3:] == (
        "identity-based policies ignored: a root user has none",
        "permissions boundary ignored: a root user cannot have one",
        "session policies ignored: a root user is not a session",
    )
    user = evaluate(req(), PolicySet(identity=[ALLOW_ALL], session=[{"Version": V, "Statement": {
        "Effect": "Deny", "Action": "*", "Resource": "*"}}]))
    assert user.decision is Decision.ALLOW
    assert "session policies ignored: an IAM user is not a session" in user.reasons


def test_no_scps_versus_an_empty_scp_level() -> None:
    assert evaluate(req(), PolicySet(identity=[ALLOW_ALL], scps=[])).decision is Decision.ALLOW
    assert evaluate(req(), PolicySet(identity=[ALLOW_ALL], scps=None)).decision is Decision.ALLOW
    result = evaluate(req(), PolicySet(identity=[ALLOW_ALL], scps=[[]]))
    assert result.decision is Decision.IMPLICIT_DENY
    assert result.reasons[0] == "implicit deny: SCP level 0 has no statement allowing it"


def test_explicit_deny_in_resource_policy_wins_over_identity_allow() -> None:
    bucket = resource_policy({"Sid": "NoHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                              "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    ps = PolicySet(identity=[ALLOW_ALL], resource=[bucket])
    result = evaluate(req(context={"aws:SecureTransport": False}), ps)
    assert result.decision is Decision.EXPLICIT_DENY
    assert result.reasons == ("explicit deny: resource-based policy 'resource#0' statement 'NoHttp' "
                              "(Statement[0])",)
    assert evaluate(req(context={"aws:SecureTransport": True}), ps).decision is Decision.ALLOW


def test_old_version_keeps_variables_literal() -> None:
    old = {"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
                                                 "Resource": "arn:aws:s3:::home/${aws:username}/*"}}
    literal = req(resource="arn:aws:s3:::home/${aws:username}/x")
    assert evaluate(literal, PolicySet(identity=[old])).decision is Decision.ALLOW
    assert evaluate(req(resource="arn:aws:s3:::home/alice/x"), PolicySet(identity=[old])).decision \
        is Decision.IMPLICIT_DENY


def test_not_resource_and_not_action() -> None:
    policy = {"Version": V, "Statement": {"Effect": "Allow", "NotAction": "iam:*",
                                          "NotResource": "arn:aws:s3:::secret/*"}}
    ps = PolicySet(identity=[policy])
    assert evaluate(req(), ps).decision is Decision.ALLOW
    assert evaluate(req(resource="arn:aws:s3:::secret/x"), ps).decision is Decision.IMPLICIT_DENY
    assert evaluate(req(action="iam:GetUser", resource=USER), ps).decision is Decision.IMPLICIT_DENY


def test_check_statement_reports_why_it_is_unknown() -> None:
    policy = parse_policy({"Version": V, "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                                                       "Condition": {"StringLike": {"s3:prefix": "a*"}}}})
    checked = check_statement(policy.statements[0], policy, "identity", req())
    assert (checked.applies, checked.why) == (None, "condition key 's3:prefix' is not known for this request")
    other = check_statement(policy.statements[0], policy, "identity", req(action="ec2:RunInstances"))
    assert (other.applies, other.why) == (False, "")


def test_many_evaluations_reuse_compiled_patterns() -> None:
    identity = {"Version": V, "Statement": [
        {"Effect": "Allow", "Action": f"s3:Get{i}*", "Resource": f"arn:aws:s3:::bucket{i}/*"} for i in range(50)]}
    ps = PolicySet(identity=[identity])
    before = globs.tokens.cache_info().misses
    for i in range(200):
        evaluate(req(action=f"s3:Get{i % 50}Object", resource=f"arn:aws:s3:::bucket{i % 50}/k"), ps)
    # 50 action and 50 resource patterns (two ARN readings each), tokenized once.
    assert globs.tokens.cache_info().misses - before <= 150
