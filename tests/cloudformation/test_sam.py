"""SAM templates (`AWS::Serverless::*`) expanded into plain CloudFormation, checked end to end.

The templates under `sam/` are written for these tests. Expected positions are
found in the template text (the line and column of a property after an
anchor line), so they are exact without being copied by hand.
"""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from wavalidate.cli import main
from wavalidate.cloudformation import load_template
from wavalidate.cloudformation.importer import REWRITES, parse, template_document
from wavalidate.cloudformation.sam import rewrite
from wavalidate.cloudformation.sam_policies import TEMPLATES, document
from wavalidate.engine import Options, check_file

from .test_templates import at as template_at  # an absolute path is read as it is

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sam")


def path(name: str) -> str:
    return os.path.join(HERE, name)


def at(name: str, anchor: str, key: str, value: bool = True) -> tuple[int, int]:
    return template_at(path(name), anchor, key, value)


def found(findings, code) -> set:
    return {(f.line, f.col) for f in findings if f.code == code}


@pytest.fixture(scope="module")
def findings(rules):
    return {name: check_file(path(name), rules, Options()) for name in ("orders.yaml", "pipeline.yaml")}


def test_registered():
    assert rewrite in REWRITES


# -- the SQS event against its queue's visibility timeout (the "done when") --------------

def test_sqs_event_checked_against_the_queue_visibility_timeout(findings):
    """Worker (30 s, its own) polls OrdersQueue (60 s): under 6 x, reported at the queue's timeout."""
    hits = [f for f in findings["orders.yaml"] if f.code == "REL752"]
    assert [(f.line, f.col) for f in hits] == [at("orders.yaml", "OrdersQueue:", "VisibilityTimeout")]
    assert "consumer `Worker`" in hits[0].message and "30 s" in hits[0].message


def test_sqs_event_with_the_default_visibility_points_at_the_event(findings):
    """Drainer's timeout (900 s) comes from Globals; Backlog keeps the 30 s default: the finding is on the SAM
    event that subscribes the function."""
    hits = [f for f in findings["pipeline.yaml"] if f.code == "REL752"]
    assert [(f.line, f.col) for f in hits] == [at("pipeline.yaml", "Drainer:", "Backlog", value=False)]
    assert hits[0].severity == "high"


def test_visibility_long_enough_gives_no_finding(rules, tmp_path):
    text = open(path("orders.yaml"), encoding="utf-8").read().replace("VisibilityTimeout: 60",
                                                                      "VisibilityTimeout: 180")
    (tmp_path / "orders.yaml").write_text(text, encoding="utf-8")
    assert not found(check_file(str(tmp_path / "orders.yaml"), rules, Options()), "REL752")


# -- what is generated, and where it points --------------------------------------------------

def test_generated_resources_and_their_spans():
    document_ = load_template(path("pipeline.yaml"))
    resources = document_.data["resources"]
    assert resources["Ingest"]["role"] == "IngestRole" and resources["Ingest"]["timeout_s"] == 10
    assert resources["Backlog"]["consumers"] == ["Drainer"]
    assert resources["IngestApi"]["api_type"] == "http"
    assert resources["IngestApi"]["throttling"] == {"rate": 100, "burst": 50}  # from Globals.HttpApi
    assert resources["AdminApi"]["authorizer"] == "iam" and resources["AdminApi"]["public"] is False
    assert resources["Uploads"]["notifications"] == [{"events": ["s3:ObjectCreated:*"], "destination": "Ingest"}]
    assert resources["Workflow"]["workflow"] == "express"
    assert "Catalog" not in resources  # AWS::Serverless::Application: not expanded
    source = document_.source
    span = source.locate(("resources", "Drainer", "timeout_s"))
    assert (span.line, span.col) == at("pipeline.yaml", "Globals:", "Timeout")
    span = source.locate(("resources", "IngestApi", "throttling"))
    assert (span.line, span.col) == at("pipeline.yaml", "HttpApi:", "DefaultRouteSettings", value=False)


def test_event_source_mapping_keeps_the_sam_lines():
    text = open(path("orders.yaml"), encoding="utf-8").read()
    data, source = parse(text)
    expanded = rewrite(data, source)
    mapping = expanded["Resources"]["WorkerOrders"]
    assert mapping["Type"] == "AWS::Lambda::EventSourceMapping"
    assert mapping["Properties"]["BatchSize"] == 10
    assert mapping["Properties"]["FunctionName"] == {"Ref": "WorkerAliaslive"}  # AutoPublishAlias
    assert source.locate(("Resources", "WorkerOrders", "Properties", "BatchSize")) == \
        source.locate(("Resources", "Worker", "Properties", "Events", "Orders", "Properties", "BatchSize"))
    assert expanded["Resources"]["Worker"]["Type"] == "AWS::Lambda::Function"
    invoke = expanded["Resources"]["WorkerEventInvokeConfig"]["Properties"]
    assert invoke["Qualifier"] == "live" and invoke["MaximumRetryAttempts"] == 1
    assert invoke["DestinationConfig"] == {"OnFailure": {"Destination": {"Fn::GetAtt": ["FailedInvocations", "Arn"]}}}
    assert expanded["Resources"]["Notifier"]["Properties"]["DeadLetterConfig"] == {
        "TargetArn": {"Fn::GetAtt": ["FailedInvocations", "Arn"]}}
    kinds = {lid: body["Type"] for lid, body in expanded["Resources"].items()}
    assert kinds["NotifierPlaced"] == "AWS::SNS::Subscription"
    assert kinds["NotifierNightly"] == kinds["NotifierShipped"] == "AWS::Events::Rule"
    assert kinds["ServerlessRestApi"] == "AWS::ApiGateway::RestApi"
    assert kinds["ApiFunctionGetOrderMethod"] == "AWS::ApiGateway::Method"
    assert kinds["OrdersTable"] == "AWS::DynamoDB::Table"


def test_role_policies_from_templates_and_unknown_templates():
    document_ = load_template(path("orders.yaml"))
    statements = [s for policy in document_.data["resources"]["ApiFunctionRole"]["policies"]
                  for s in policy["Statement"]]
    assert "dynamodb:PutItem" in statements[0]["Action"]
    assert statements[1]["Action"] == ["sqs:SendMessage*"]
    # SomeFuturePolicy is not a template this reader knows: the role's policies are unknown, not narrower.
    assert ("resources", "WorkerRole", "policies") in document_.unknown
    assert "policies" not in document_.data["resources"]["WorkerRole"]


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_each_policy_template_gives_statements(name):
    parameters = {key: "x" for key in TEMPLATES[name][0]}
    policy = document(name, parameters)
    assert policy["Statement"] and all(s["Effect"] == "Allow" and s["Action"] for s in policy["Statement"])


def test_a_template_missing_its_parameter_is_unknown():
    assert "Fn::Transform" in document("SQSPollerPolicy", {})


# -- rules that fire on SAM -------------------------------------------------------------------

def test_api_rules_point_at_the_api_event(findings):
    event = at("orders.yaml", "Events:", "GetOrder", value=False)
    assert found(findings["orders.yaml"], "SEC750") == {event}
    assert found(findings["orders.yaml"], "REL750") == {event}
    assert not found(findings["pipeline.yaml"], "SEC751")  # the HTTP API has no WAF rule; the REST API is private


def test_inline_policy_without_version_is_reported_at_the_sam_policies(findings):
    """As for a plain role, the finding is on the `Policies` that hold the statement (here the function's)."""
    assert found(findings["pipeline.yaml"], "SEC507") == {at("pipeline.yaml", "  Ingest:", "Policies", value=False)}


def test_cli_end_to_end():
    result = CliRunner().invoke(main, ["check", path("orders.yaml"), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    line, col = at("orders.yaml", "OrdersQueue:", "VisibilityTimeout")
    assert f"orders.yaml:{line}:{col}" in result.output and "REL752" in result.output


# -- templates that are not SAM, and SAM that is wrong -------------------------------------------

def test_plain_templates_are_left_alone():
    data, source = parse("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    assert rewrite(data, source) is data


@pytest.mark.parametrize("body", [
    "Events: 5", "Policies: 5", "Events: {E: {Type: SQS}}", "Events: {E: {Type: SQS, Properties: 3}}",
    "Policies: [{SQSPollerPolicy: 3}]", "Events: {A: {Type: Api, Properties: {Method: 5}}}",
    "AutoPublishAlias: [x]", "DeadLetterQueue: x", "EventInvokeConfig: {DestinationConfig: 4}",
    "Events: {B: {Type: S3, Properties: {Bucket: !Ref Nope}}}", "Events: {H: {Type: HttpApi}}",
])
def test_odd_sam_reads_without_a_traceback(body):
    text = ("Transform: AWS::Serverless-2016-10-31\nGlobals: {Function: {Timeout: 5}}\nResources:\n"
            f"  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      {body}\n")
    data, source = parse(text)
    document_ = template_document("odd.yaml", text, data, source)
    assert document_.data["resources"]["Fn"]["type"] == "lambda_function"


def test_a_nested_sam_template_is_expanded(rules):
    """A plain parent nesting a local SAM template: the SQS event is checked, and reported in the child."""
    hits = [f for f in check_file(path("nested/parent.yaml"), rules, Options()) if f.code == "REL752"]
    assert [(f.file, f.line, f.col) for f in hits] == [
        (path("nested/worker.yaml"), *at("nested/worker.yaml", "Jobs:", "VisibilityTimeout"))]
    assert hits[0].severity == "high" and "`Worker/Runner`" in hits[0].message


def test_sns_event_through_sams_own_queue(rules):
    """`SqsSubscription`: SAM's queue keeps the 30 s default, shorter than the 60 s function: Lambda would
    reject the mapping. Reported at the `SqsSubscription` that creates the queue."""
    hits = [f for f in check_file(path("fanout.yaml"), rules, Options()) if f.code == "REL752"]
    assert [(f.line, f.col) for f in hits] == [at("fanout.yaml", "Topic:", "SqsSubscription", value=False)]
    resources = load_template(path("fanout.yaml")).data["resources"]
    assert resources["OrderEvents"]["subscriptions"] == [{"protocol": "sqs", "endpoint": "IndexerPlacedQueue"}]
    assert resources["IndexerPlacedQueue"]["consumers"] == ["Indexer"]
    assert not found(check_file(path("fanout.yaml"), rules, Options()), "REL755")  # its queue policy lets SNS in
