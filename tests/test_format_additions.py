"""Issue 16's format additions: containers, security services, event plumbing, units and `x-` keys."""
from __future__ import annotations

import pytest

from wavalidate import units
from wavalidate.engine import check_text
from wavalidate.render.icons import icon_class
from wavalidate.schema.jsonschema import json_schema
from wavalidate.schema.types import RESOURCE_TYPES

NEW_TYPES = ("ecs_cluster", "ecs_service", "ecs_task_definition", "eks_cluster", "eks_node_group",
             "eks_fargate_profile", "app_runner_service", "kms_key", "acm_certificate", "secrets_manager_secret",
             "cognito_user_pool", "network_firewall", "network_firewall_policy", "guardduty_detector",
             "security_hub", "config_recorder", "identity_center_instance", "eventbridge_bus",
             "lambda_event_source_mapping", "prefix_list", "cloudwan_core_network", "cloudwan_attachment")


def errors(text):
    return [(f.line, f.col, f.code, f.message) for f in check_text(text, []) if not f.pillar]


@pytest.mark.parametrize("type_name", NEW_TYPES)
def test_new_type_is_declared_drawn_and_in_the_json_schema(type_name):
    assert type_name in RESOURCE_TYPES
    assert icon_class(type_name), type_name
    schema = json_schema()
    assert type_name in schema["definitions"]
    assert type_name in schema["properties"]["resources"]["additionalProperties"]["properties"]["type"]["enum"]


def test_misspelt_field_of_a_new_type_has_its_position_and_a_suggestion():
    text = ("version: 1\nresources:\n  c: {type: ecs_cluster}\n"
            "  svc:\n    type: ecs_service\n    cluster: c\n    desired_cont: 2\n")
    assert errors(text) == [(7, 5, "E200", "unknown key `desired_cont` (did you mean `desired_count`?)")]


def test_nested_choice_of_a_new_type_is_checked_with_a_suggestion():
    text = ("version: 1\nresources:\n  c:\n    type: ecs_cluster\n    capacity_providers:\n"
            "      - {provider: fargate_spto, weight: 1}\n")
    (line, col, code, message), = errors(text)
    assert (line, col, code) == (6, 20, "E203")
    assert "did you mean `fargate_spot`" in message


def test_reference_of_a_new_type_must_name_the_right_type():
    text = ("version: 1\nresources:\n  q: {type: sqs_queue}\n"
            "  esm: {type: lambda_event_source_mapping, function: q, source: q}\n")
    assert errors(text) == [(4, 54, "E211", "`q` is a sqs_queue, but a lambda_function is needed here")]


def test_required_field_of_a_new_type():
    assert errors("version: 1\nresources:\n  fw: {type: network_firewall}\n") == [
        (3, 3, "E202", "missing required key `policy`")]


def test_units_in_bytes_per_second_petabytes_weeks_and_years():
    assert units.bits_per_second("5MB/s") == 4e7
    assert units.bits_per_second("1GB/s") == 8e9
    assert units.bits_per_second("1MiB/s") == 8 * 1024 ** 2
    assert units.bits_per_second("1.25Gbps") == 1.25e9
    assert units.size_bytes("2PB") == 2e15
    assert units.seconds("10y") == 10 * 365 * 86400
    assert units.seconds("2w") == 14 * 86400
    text = ("version: 1\nresources:\n  s: {type: kinesis_stream, egress: 5MB/s, retention: 1y}\n"
            "  b: {type: s3_bucket, size: 3PB}\n")
    assert errors(text) == []


def test_an_invalid_unit_lists_the_accepted_units():
    (line, col, code, message), = errors("version: 1\nresources:\n  s: {type: kinesis_stream, egress: 5 MBps}\n")
    assert (line, col, code) == (3, 37, "E204")
    assert "(units: bps, Kbps, Mbps, Gbps, Tbps, B/s, KB/s, MB/s, GB/s" in message


def test_top_level_x_keys_are_ignored_and_their_anchors_reused():
    text = ("version: 1\nx-common: &common\n  tags: {team: orders}\n  requirements: {availability: 99.9}\n"
            "resources:\n  q:\n    <<: *common\n    type: sqs_queue\n")
    assert errors(text) == []
    # only at the top level: a resource's own x- key is still a misspelling
    assert errors("version: 1\nresources:\n  q: {type: sqs_queue, x-note: 1}\n")[0][2] == "E200"


def test_json_schema_accepts_x_keys():
    jsonschema = pytest.importorskip("jsonschema")
    document = {"version": 1, "x-base": {"a": 1}, "resources": {"k": {"type": "kms_key", "rotation": True}}}
    assert not list(jsonschema.Draft7Validator(json_schema()).iter_errors(document))
    document["y-base"] = 1
    assert list(jsonschema.Draft7Validator(json_schema()).iter_errors(document))


def test_filled_in_meanings_name_declared_fields_without_a_doc():
    from wavalidate.schema.fielddocs import flatten
    from wavalidate.schema.meanings import BY_NAME, BY_PATH
    declared = {f"{t}.{p}": f for t, (_, _, fields) in RESOURCE_TYPES.items() for p, f in flatten(dict(fields))}
    # a field that gains a doc of its own in types.py simply stops using its entry here
    stale = [key for key in BY_PATH if key not in declared]
    assert not stale, stale
    names = {p.rsplit(".", 1)[-1].rsplit("]", 1)[-1] for p in declared}
    assert set(BY_NAME) <= names | {"description"}


def test_docs_command_prints_nested_shapes_meanings_and_an_example():
    from click.testing import CliRunner

    from wavalidate.cli import main
    result = CliRunner().invoke(main, ["docs", "ecs_service"])
    assert result.exit_code == 0
    assert "capacity_providers[].provider (required)" in result.output
    assert "one of `fargate`, `fargate_spot`, `auto_scaling_group`" in result.output
    assert "az_rebalancing\n      true/false. ECS moves tasks to keep them even across AZs. Default: true" in result.output
    assert "Example:\nresources:\n  my-ecs-service:\n    type: ecs_service\n    cluster: my-ecs-cluster" in result.output
    listing = CliRunner().invoke(main, ["docs"])
    assert listing.exit_code == 0 and "  network_firewall " in listing.output
    wrong = CliRunner().invoke(main, ["docs", "ecs_servce"])
    assert wrong.exit_code == 2 and "did you mean `ecs_service`" in wrong.output
    assert CliRunner().invoke(main, ["explain", "kms_key"]).output.startswith("kms_key (security)")


def test_every_example_in_the_docs_is_valid_apart_from_its_references():
    from wavalidate.schema.fielddocs import example
    for name in RESOURCE_TYPES:
        text = "version: 1\nresources:\n" + example(name) + "\n"
        problems = [e for e in errors(text) if e[2] not in ("E210", "E211")]
        assert not problems, (name, problems)


def test_explain_speaks_to_a_user():
    import re

    from wavalidate.docs import rule_markdown
    from wavalidate.plugins import load_rules
    for rule in load_rules()[0]:
        text = rule_markdown(rule)
        topic_line = next(line for line in text.splitlines() if line.startswith("- Topic: "))
        assert not re.search("[\uac00-\ud7a3]", topic_line), (rule.code, topic_line)
        facts_part = text.split("**Facts used:**")[-1]
        assert "§" not in facts_part and "Notes error" not in facts_part, rule.code
    sqs = next(r for r in load_rules()[0] if r.code == "REL754")
    assert "AWS changed this in 2025: older material says 256 KiB" in rule_markdown(sqs)
