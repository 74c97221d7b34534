"""Parsing policy documents: the elements, their forms, and paths to malformed parts."""
from __future__ import annotations

from typing import Any

import pytest

from wavalidate.policy import PolicyError, PrincipalEntry, parse_policy
from wavalidate.policy.model import format_path

V = "2012-10-17"


def test_statement_may_be_a_mapping_or_a_list() -> None:
    single = parse_policy({"Version": V, "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})
    assert single.statements[0].path == ("Statement",)
    listed = parse_policy({"Version": V, "Id": "p1", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"},
        {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:aws:s3:::x"]}]})
    assert (listed.id, listed.name, listed.version, listed.variables_enabled) == ("p1", "p1", V, True)
    first, second = listed.statements
    assert (first.sid, first.actions, first.resources, first.path) == ("A", ("s3:Get*", "s3:List*"), ("*",),
                                                                      ("Statement", 0))
    assert (second.effect, second.not_actions, second.not_resources) == ("Deny", ("iam:*",), ("arn:aws:s3:::x",))


def test_missing_version_means_old_language() -> None:
    policy = parse_policy({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})
    assert (policy.version, policy.variables_enabled) == (None, False)
    old = parse_policy({"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})
    assert old.variables_enabled is False


def test_principal_forms_keep_a_path_to_each_value() -> None:
    policy = parse_policy({"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:*"},
        {"Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:root"],
                                          "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
        {"Effect": "Deny", "NotPrincipal": {"CanonicalUser": "79a59df9"}, "Action": "s3:*"}]})
    assert policy.statements[0].principals == (PrincipalEntry("*", "*", ("Statement", 0, "Principal")),)
    assert policy.statements[1].principals == (
        PrincipalEntry("AWS", "111122223333", ("Statement", 1, "Principal", "AWS", 0)),
        PrincipalEntry("AWS", "arn:aws:iam::111122223333:root", ("Statement", 1, "Principal", "AWS", 1)),
        PrincipalEntry("Service", "lambda.amazonaws.com", ("Statement", 1, "Principal", "Service")),
    )
    assert policy.statements[2].not_principals == (
        PrincipalEntry("CanonicalUser", "79a59df9", ("Statement", 2, "NotPrincipal", "CanonicalUser")),)


def test_conditions_are_flattened_with_paths() -> None:
    policy = parse_policy({"Version": V, "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                                                       "Condition": {"StringEquals": {"a": "1", "b": ["2", 3]},
                                                                     "Bool": {"c": True}}}})
    found = [(c.operator, c.key, c.values, c.path) for c in policy.statements[0].conditions]
    assert found == [
        ("StringEquals", "a", ("1",), ("Statement", "Condition", "StringEquals", "a")),
        ("StringEquals", "b", ("2", 3), ("Statement", "Condition", "StringEquals", "b")),
        ("Bool", "c", (True,), ("Statement", "Condition", "Bool", "c")),
    ]


STATEMENT = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}


@pytest.mark.parametrize("doc, path, message", [
    ([], (), "a policy document must be a mapping"),
    ({"Version": V}, (), "Statement is required"),
    ({"Version": "2020-01-01", "Statement": STATEMENT}, ("Version",), "Version must be one of 2012-10-17, 2008-10-17"),
    ({"Version": V, "Statement": STATEMENT, "Extra": 1}, ("Extra",), "unknown policy element 'Extra'"),
    ({"Version": V, "Id": 5, "Statement": STATEMENT}, ("Id",), "Id must be a string"),
    ({"Version": V, "Statement": []}, ("Statement",), "Statement must not be empty"),
    ({"Version": V, "Statement": "x"}, ("Statement",), "Statement must be a mapping or a list"),
    ({"Version": V, "Statement": ["x"]}, ("Statement", 0), "a statement must be a mapping"),
    ({"Version": V, "Statement": [{**STATEMENT, "Effect": "allow"}]}, ("Statement", 0, "Effect"),
     "Effect must be 'Allow' or 'Deny'"),
    ({"Version": V, "Statement": [{"Action": "s3:*", "Resource": "*"}]}, ("Statement", 0),
     "Effect must be 'Allow' or 'Deny'"),
    ({"Version": V, "Statement": [{"Effect": "Allow", "Resource": "*"}]}, ("Statement", 0),
     "a statement needs Action or NotAction"),
    ({"Version": V, "Statement": [{**STATEMENT, "NotAction": "x:y"}]}, ("Statement", 0, "NotAction"),
     "a statement cannot have both Action and NotAction"),
    ({"Version": V, "Statement": [{**STATEMENT, "Action": ["s3:*", 7]}]}, ("Statement", 0, "Action", 1),
     "must be a string"),
    ({"Version": V, "Statement": [{**STATEMENT, "Resource": []}]}, ("Statement", 0, "Resource"),
     "must be a string or a non-empty list of strings"),
    ({"Version": V, "Statement": [{**STATEMENT, "Principal": "me"}]}, ("Statement", 0, "Principal"),
     'Principal must be "*" or a non-empty mapping'),
    ({"Version": V, "Statement": [{**STATEMENT, "Principal": {"Group": "x"}}]},
     ("Statement", 0, "Principal", "Group"), "unknown principal type 'Group'"),
    ({"Version": V, "Statement": [{**STATEMENT, "Principal": {"AWS": "*"}, "NotPrincipal": {"AWS": "*"}}]},
     ("Statement", 0, "NotPrincipal"), "a statement cannot have both Principal and NotPrincipal"),
    ({"Version": V, "Statement": [{**STATEMENT, "Condition": ["x"]}]}, ("Statement", 0, "Condition"),
     "Condition must be a mapping of operators"),
    ({"Version": V, "Statement": [{**STATEMENT, "Condition": {"StringEquals": {}}}]},
     ("Statement", 0, "Condition", "StringEquals"), "a condition operator needs a non-empty mapping of keys"),
    ({"Version": V, "Statement": [{**STATEMENT, "Condition": {"StringEquals": {"k": [None]}}}]},
     ("Statement", 0, "Condition", "StringEquals", "k", 0), "a condition value must be a string, number or boolean"),
    ({"Version": V, "Statement": [{**STATEMENT, "Condition": {"StringEquals": {"k": []}}}]},
     ("Statement", 0, "Condition", "StringEquals", "k"), "condition values must not be empty"),
    ({"Version": V, "Statement": [{**STATEMENT, "Sid": 1}]}, ("Statement", 0, "Sid"), "Sid must be a string"),
    ({"Version": V, "Statement": [{**STATEMENT, "Effects": "Allow"}]}, ("Statement", 0, "Effects"),
     "unknown statement element 'Effects'"),
])
def test_malformed_policies_name_the_path(doc: Any, path: tuple, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(doc)
    assert (caught.value.path, caught.value.message) == (path, message)


def test_format_path() -> None:
    assert format_path(("Statement", 0, "Principal", "AWS", 1)) == "Statement[0].Principal.AWS[1]"
    assert format_path(()) == "<document>"
    assert str(PolicyError("bad", ("Version",))) == "bad (at Version)"
