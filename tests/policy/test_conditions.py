"""Each supported condition operator, absent and unknown keys, set qualifiers, variables."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Mapping, Optional

import pytest

from wavalidate.policy import SUPPORTED_OPERATORS, Request
from wavalidate.policy.conditions import evaluate_condition, evaluate_conditions, parse_operator
from wavalidate.policy.model import Condition

USER = "arn:aws:iam::111122223333:user/alice"


def run(operator: str, key: str, values: object, context: Optional[Mapping[str, object]] = None,
        absent: tuple = (), complete: bool = False, variables: bool = True) -> Optional[bool]:
    request = Request(USER, "s3:GetObject", "arn:aws:s3:::bucket/key", context=context or {},
                      known_absent=frozenset(absent), complete_context=complete)
    items = tuple(values) if isinstance(values, list) else (values,)
    result, _ = evaluate_condition(Condition(operator, key, items, ("Condition",)), request, variables)
    return result


def test_supported_subset_is_the_documented_one() -> None:
    assert len(SUPPORTED_OPERATORS) == 26
    assert parse_operator("ForAllValues:StringLikeIfExists").qualifier == "ForAllValues"
    assert parse_operator("ForAllValues:StringLikeIfExists").if_exists is True
    assert parse_operator("BinaryEquals") is None
    assert parse_operator("NullIfExists") is None
    assert parse_operator("stringequals") is None  # spelled as AWS documents it, or not at all


@pytest.mark.parametrize("operator, value, expected", [
    ("StringEquals", "Dev", True),
    ("StringEquals", "dev", False),
    ("StringEquals", ["Prod", "Dev"], True),  # values of one key are ORed
    ("StringNotEquals", "Dev", False),
    ("StringNotEquals", ["Prod", "Test"], True),  # negated: true when no value matches
    ("StringNotEquals", ["Prod", "Dev"], False),
    ("StringEqualsIgnoreCase", "dEV", True),
    ("StringNotEqualsIgnoreCase", "DEV", False),
    ("StringLike", "D?v", True),
    ("StringLike", "d*", False),  # case-sensitive
    ("StringLike", "*", True),
    ("StringNotLike", "P*", True),
    ("StringNotLike", ["P*", "D*"], False),
    ("StringEquals", "D*", False),  # no wildcards in StringEquals
])
def test_string_operators(operator: str, value: object, expected: bool) -> None:
    assert run(operator, "aws:PrincipalTag/team", value, {"aws:PrincipalTag/team": "Dev"}) is expected


@pytest.mark.parametrize("operator, value, expected", [
    ("NumericEquals", "10", True),
    ("NumericEquals", 10.0, True),
    ("NumericNotEquals", ["10", "11"], False),
    ("NumericLessThan", "10", False),
    ("NumericLessThanEquals", "10", True),
    ("NumericGreaterThan", "9.5", True),
    ("NumericGreaterThanEquals", "11", False),
    ("NumericEquals", "ten", None),  # unreadable values are not guessed
])
def test_numeric_operators(operator: str, value: object, expected: object) -> None:
    assert run(operator, "s3:max-keys", value, {"s3:max-keys": "10"}) is expected


@pytest.mark.parametrize("operator, value, expected", [
    ("DateEquals", "2020-06-01T12:00:00Z", True),
    ("DateEquals", "2020-06-01T14:00:00+02:00", True),  # same instant
    ("DateNotEquals", "2020-06-01T12:00:01Z", True),
    ("DateLessThan", "2020-06-01T12:00:00Z", False),
    ("DateLessThanEquals", 1591012800, True),  # epoch seconds
    ("DateGreaterThan", "2020-06-01", True),  # a bare date is UTC midnight
    ("DateGreaterThanEquals", "2020-06-02", False),
    ("DateEquals", "2020-06-01T12:00:00", None),  # no zone: ambiguous
    ("DateLessThan", "yesterday", None),
])
def test_date_operators(operator: str, value: object, expected: object) -> None:
    assert run(operator, "aws:CurrentTime", value, {"aws:CurrentTime": "2020-06-01T12:00:00Z"}) is expected


def test_date_accepts_datetime_context_values() -> None:
    when = datetime(2021, 1, 1, tzinfo=timezone.utc)
    assert run("DateLessThan", "aws:CurrentTime", "2021-01-01T00:00:01Z", {"aws:CurrentTime": when}) is True
    naive = datetime(2021, 1, 1)
    assert run("DateLessThan", "aws:CurrentTime", "2022-01-01T00:00:00Z", {"aws:CurrentTime": naive}) is None


@pytest.mark.parametrize("value, context, expected", [
    ("true", True, True),
    (True, "true", True),
    ("false", True, False),
    ("false", "false", True),
    ("yes", True, None),  # only the documented spellings
])
def test_bool(value: object, context: object, expected: object) -> None:
    assert run("Bool", "aws:SecureTransport", value, {"aws:SecureTransport": context}) is expected


@pytest.mark.parametrize("operator, value, ip, expected", [
    ("IpAddress", "203.0.113.0/24", "203.0.113.7", True),
    ("IpAddress", "203.0.113.0/24", "198.51.100.7", False),
    ("IpAddress", "203.0.113.7", "203.0.113.7", True),  # no prefix means /32
    ("IpAddress", ["203.0.113.0/24", "2001:DB8:1234:5678::/64"], "2001:db8:1234:5678::1", True),
    ("NotIpAddress", "203.0.113.0/24", "198.51.100.7", True),
    ("NotIpAddress", "203.0.113.0/24", "203.0.113.9", False),
    ("IpAddress", "not-a-range", "203.0.113.7", None),
    ("IpAddress", "203.0.113.0/24", "vpce-1234", None),
])
def test_ip_operators(operator: str, value: object, ip: str, expected: object) -> None:
    assert run(operator, "aws:SourceIp", value, {"aws:SourceIp": ip}) is expected


@pytest.mark.parametrize("operator, value, expected", [
    ("ArnEquals", "arn:aws:sns:us-east-1:111122223333:topic", True),
    ("ArnLike", "arn:aws:sns:*:111122223333:*", True),
    ("ArnLike", "arn:aws:sns:*:999999999999:*", False),
    ("ArnNotEquals", "arn:aws:sns:us-east-1:111122223333:topic", False),
    ("ArnNotLike", "arn:aws:sqs:*:*:*", True),
])
def test_arn_operators(operator: str, value: str, expected: bool) -> None:
    context = {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic"}
    assert run(operator, "aws:SourceArn", value, context) is expected


@pytest.mark.parametrize("value, context, absent, expected", [
    ("true", None, ("aws:TokenIssueTime",), True),
    ("false", None, ("aws:TokenIssueTime",), False),
    ("false", {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}, (), True),
    ("true", {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}, (), False),
    ("true", None, (), None),  # the request does not say whether the key exists
])
def test_null(value: str, context: Optional[Mapping[str, object]], absent: tuple, expected: object) -> None:
    assert run("Null", "aws:TokenIssueTime", value, context, absent) is expected


@pytest.mark.parametrize("operator, expected", [
    ("StringEquals", False),  # documented: a missing key does not match
    ("StringNotLike", True),  # documented: a negated operator is true on a missing key
    ("ArnNotLike", True),
    ("NumericLessThan", False),
    ("StringEqualsIfExists", True),
    ("StringNotEqualsIfExists", True),
    ("ForAllValues:StringEquals", True),  # empty set: vacuously true
    ("ForAnyValue:StringEquals", False),
    ("BoolIfExists", True),
])
def test_known_absent_key(operator: str, expected: bool) -> None:
    value = "false" if "Bool" in operator else "x"
    assert run(operator, "aws:RequestTag/env", value, absent=("aws:requesttag/ENV",)) is expected


def test_complete_context_makes_every_missing_key_absent() -> None:
    assert run("StringEquals", "aws:RequestTag/env", "x", complete=True) is False
    assert run("StringEqualsIfExists", "aws:RequestTag/env", "x", complete=True) is True


@pytest.mark.parametrize("operator", ["StringEquals", "StringNotLike", "StringEqualsIfExists",
                                      "ForAllValues:StringEquals", "ForAnyValue:StringLike"])
def test_unknown_key_is_unknown_for_every_operator(operator: str) -> None:
    assert run(operator, "aws:RequestTag/env", "x") is None


def test_keys_are_case_insensitive() -> None:
    assert run("StringEquals", "AWS:principaltag/TEAM", "Dev", {"aws:PrincipalTag/team": "Dev"}) is True


@pytest.mark.parametrize("operator, values, requested, expected", [
    # The DynamoDB examples of the multi-value conditions page.
    ("ForAllValues:StringLike", ["PostDateTime", "Message", "Tags"], ["PostDateTime", "Message"], True),
    ("ForAllValues:StringLike", ["PostDateTime", "Message", "Tags"], ["PostDateTime", "UserName"], False),
    ("ForAnyValue:StringLike", ["ID", "PostDateTime"], ["UserName", "Message", "PostDateTime"], True),
    ("ForAnyValue:StringLike", ["ID", "PostDateTime"], ["UserName"], False),
    ("ForAllValues:StringEquals", ["a"], [], True),  # empty data set
    ("ForAnyValue:StringEquals", ["a"], [], False),
    ("ForAllValues:StringNotEquals", ["ID"], ["Message", "Tags"], True),
    ("ForAnyValue:StringNotEquals", ["ID"], ["ID"], False),
])
def test_set_qualifiers(operator: str, values: list, requested: list, expected: bool) -> None:
    context = {"dynamodb:Attributes": requested}
    assert run(operator, "dynamodb:Attributes", values, context) is expected


def test_multivalued_key_with_single_valued_operator_is_unknown() -> None:
    assert run("StringEquals", "aws:TagKeys", "a", {"aws:TagKeys": ["a", "b"]}) is None
    assert run("StringEquals", "aws:TagKeys", "a", {"aws:TagKeys": ["a"]}) is True


def test_unsupported_operator_is_unknown_with_a_reason() -> None:
    request = Request(USER, "s3:GetObject", "arn:aws:s3:::b/k", context={"k": "x"})
    result, why = evaluate_condition(Condition("BinaryEquals", "k", ("eA==",), ()), request, True)
    assert (result, why) == (None, "unsupported condition operator 'BinaryEquals'")


def test_conditions_are_anded_and_false_wins_over_unknown() -> None:
    request = Request(USER, "s3:GetObject", "arn:aws:s3:::b/k", context={"aws:SecureTransport": False})
    unknown = Condition("StringEquals", "aws:SourceVpc", ("vpc-1",), ())
    false = Condition("Bool", "aws:SecureTransport", ("true",), ())
    true = Condition("Bool", "aws:SecureTransport", ("false",), ())
    assert evaluate_conditions([unknown, false], request, True) == (False, "")
    assert evaluate_conditions([true, unknown], request, True) == (
        None, "condition key 'aws:SourceVpc' is not known for this request")
    assert evaluate_conditions([], request, True) == (True, "")


@pytest.mark.parametrize("value, variables, expected", [
    ("home/${aws:username}/*", True, True),
    ("home/${aws:username}/*", False, False),  # old Version: variables are literal text
    ("home/${aws:PrincipalTag/none, 'alice'}/*", True, True),  # default for an absent key
    ("${*}home*", True, False),  # ${*} is a literal asterisk
    ("home/${aws:userid}/*", True, None),  # unknown key
])
def test_policy_variables(value: str, variables: bool, expected: object) -> None:
    result = run("StringLike", "s3:prefix", value, {"s3:prefix": "home/alice/docs"},
                 absent=("aws:PrincipalTag/none",), variables=variables)
    assert result is expected


def test_variable_values_match_literally() -> None:
    # A substituted value never acts as a wildcard.
    context = {"s3:prefix": "ab", "aws:PrincipalTag/p": "a*"}
    assert run("StringLike", "s3:prefix", "${aws:PrincipalTag/p}", context) is False
    context = {"s3:prefix": "a*", "aws:PrincipalTag/p": "a*"}
    assert run("StringLike", "s3:prefix", "${aws:PrincipalTag/p}", context) is True
