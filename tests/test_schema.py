"""Schema validation: every error at its position, with a message a person understands."""
from __future__ import annotations

import json

import pytest

from wavalidate.engine import check_text
from wavalidate.schema.jsonschema import json_schema

from .conftest import SAMPLES


def errors(text):
    return [(f.line, f.col, f.code, f.message) for f in check_text(text, []) if not f.pillar]


def test_unknown_key_suggests_the_right_one():
    assert errors("version: 1\nresources:\n  db:\n    type: rds_instance\n    engine: mysql\n    multiaz: true\n") == [
        (6, 5, "E200", "unknown key `multiaz` (did you mean `multi_az`?)")]


def test_wrong_type():
    assert errors("version: 1\nresources:\n  v: {type: vpc, cidr: 10.0.0.0/16, ipv6: 3}\n") == [
        (3, 43, "E201", "`ipv6` must be a boolean, not the number `3`")]


def test_integer_field_refuses_boolean():
    assert errors("version: 1\nresources:\n  pg: {type: placement_group, strategy: partition, partitions: true}\n")[0][2] == "E201"


def test_missing_required_points_at_the_resource():
    assert errors("version: 1\nresources:\n  pg:\n    type: placement_group\n") == [
        (3, 3, "E202", "missing required key `strategy`")]


def test_value_not_allowed_lists_choices():
    (line, col, code, message), = errors("version: 1\nresources:\n  pg: {type: placement_group, strategy: clutser}\n")
    assert (line, col, code) == (3, 41, "E203")
    assert "cluster, spread, partition" in message and "did you mean `cluster`" in message


def test_unknown_type():
    assert errors("version: 1\nresources:\n  x: {type: rds}\n")[0][2] == "E203"


def test_dangling_reference_is_reported_at_the_reference():
    assert errors("version: 1\nresources:\n  s: {type: subnet, vpc: nope, az: eu-west-1a, cidr: 10.0.0.0/24}\n") == [
        (3, 26, "E210", "`nope` is not a resource in this file")]


def test_reference_to_the_wrong_type():
    found = errors("version: 1\nresources:\n  v: {type: vpc, cidr: 10.0.0.0/16}\n"
                   "  s: {type: subnet, vpc: v, az: eu-west-1a, cidr: 10.0.0.0/24, route_table: v}\n")
    assert found == [(4, 77, "E211", "`v` is a vpc, but a route_table is needed here")]


def test_top_level_must_be_a_mapping():
    assert errors("- a\n- b\n")[0][:3] == (1, 1, "E105")


def test_version_is_required_and_known():
    assert errors("resources: {}\n")[0][2] == "E202"
    assert errors("version: 2\nresources: {}\n")[0][2] == "E203"


@pytest.fixture(scope="module")
def schema():
    return json_schema()


def test_json_schema_is_valid_draft7(schema):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft7Validator.check_schema(schema)


def test_every_sample_validates_against_the_json_schema(schema):
    jsonschema = pytest.importorskip("jsonschema")
    import glob

    import yaml
    validator = jsonschema.Draft7Validator(schema)
    for path in sorted(glob.glob(f"{SAMPLES}/*.yaml")):
        with open(path, encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
        problems = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
        assert not problems, (path, problems[:5])


def test_json_schema_rejects_what_cerberus_rejects(schema):
    jsonschema = pytest.importorskip("jsonschema")
    bad = {"version": 1, "resources": {"db": {"type": "rds_instance", "engine": "mysql", "multiaz": True}}}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(bad))
    assert json.dumps(schema, sort_keys=True)  # serialisable
