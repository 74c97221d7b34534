"""The policy questions rules ask (wavalidate.policies): answered once per architecture, reads still seen."""
from __future__ import annotations

import os

from wavalidate import access, policies, policy
from wavalidate.engine import check_text
from wavalidate.model import UNKNOWN_READS, Architecture
from wavalidate.plugins import load_rules
from wavalidate.schema import validate

SAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "samples", "iam-organization.yaml")
V = "2012-10-17"


def _counting(monkeypatch, owner, name: str) -> list:
    calls: list = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(owner, name, counted)
    return calls


def test_every_rule_shares_one_lint_per_document_and_one_evaluation_of_assertions(monkeypatch):
    monkeypatch.setenv("WAVALIDATE_ISOLATION", "thread")  # rules in this process, where the counters are
    identity = _counting(monkeypatch, policy, "lint_identity_policy")
    trust = _counting(monkeypatch, policy, "lint_trust_policy")
    assertions = _counting(monkeypatch, access, "evaluate_assertions")
    with open(SAMPLE, encoding="utf-8") as handle:
        text = handle.read()
    findings = check_text(text, load_rules()[0], name="iam-organization.yaml")
    assert findings  # the sample has findings, so the rules did run
    assert len(assertions) == 1
    documents = [id(args[0]) for args in identity + trust]
    assert documents and len(documents) == len(set(documents))


def _arch(resources: dict, unknown: tuple = ()) -> Architecture:
    data = {"version": 1, "resources": resources}
    assert not validate(data)
    return Architecture(data, unknown=unknown)


def test_a_memoised_answer_still_reads_deploy_time_values_in_every_rule():
    doc = {"Version": V, "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    arch = _arch({"app": {"type": "iam_role", "policies": [doc]},
                  "ops": {"type": "iam_user", "permission_boundary": "app-boundary"},
                  "app-boundary": {"type": "iam_policy", "document": doc}},
                 unknown=[("resources", "ops", "managed_policies")])
    for _ in range(2):  # the second call is answered from the memo
        reads: list = []
        token = UNKNOWN_READS.set(reads)
        try:
            problems = policies.lint_problems(arch)
        finally:
            UNKNOWN_READS.reset(token)
        assert ("ops", "managed_policies") in reads
        assert [p.code for _, p in problems] == ["allow-all", "allow-all"]


def _queue_policy(**condition: dict) -> dict:
    return {"Version": V, "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                                         "Action": "sqs:SendMessage", "Condition": condition}]}


def test_service_calls_take_unsettled_ids_from_the_policy_or_stay_unknown():
    def allowed(queue_policy: dict, **extra: dict) -> object:
        arch = _arch({"q": {"type": "sqs_queue", "policy": queue_policy},
                      "t": {"type": "sns_topic", "subscriptions": [{"protocol": "sqs", "endpoint": "q"}]}, **extra})
        return policies.service_call_allowed(arch, queue_policy, "sns.amazonaws.com", "sqs:SendMessage",
                                             arch.get("q"), arch.get("t"))

    named = _queue_policy(ArnEquals={"aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:t"})
    assert allowed(named) is True  # the file does not say the topic's account: the policy's is taken
    assert allowed(_queue_policy(ArnEquals={"aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:other"})) is False
    assert allowed(_queue_policy(ArnLike={"aws:SourceArn": "arn:aws:sns:*:*:t"})) is None
    assert allowed(_queue_policy(StringEquals={"aws:SourceAccount": "111122223333"})) is None
    prod = {"prod": {"type": "account", "account_id": "444455556666"}}
    assert allowed(_queue_policy(StringEquals={"aws:SourceAccount": "111122223333"}), **prod) is False
    assert allowed(named, **prod) is False  # the topic is in another account than the one named


def test_memoised_assertions_still_read_deploy_time_account_ids():
    data = {"version": 1, "resources": {"prod": {"type": "account"}, "q": {"type": "sqs_queue", "account": "prod"}},
            "assertions": [{"name": "a", "principal": "anyone", "action": "sqs:SendMessage", "resource": "q",
                            "expect": "deny"}]}
    assert not validate(data)
    arch = Architecture(data, unknown=[("resources", "prod", "account_id")])
    for _ in range(2):
        reads: list = []
        token = UNKNOWN_READS.set(reads)
        try:
            results = policies.assertion_results(arch)
        finally:
            UNKNOWN_READS.reset(token)
        assert ("prod", "account_id") in reads
        assert results[0].passed is True
