"""Property-based tests: generated and mutated architectures never crash the checker.

Documents are generated from the schema itself, so every resource type and
field is exercised; mutations then break them the way hand edits do. The
properties: no traceback (only input errors or findings), exit codes 0/1/2,
deterministic output, and every reported position inside the file.
"""
from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wavalidate.engine import Options, check_text
from wavalidate.findings import Report
from wavalidate.formats import render
from wavalidate.plugins import load_rules
from wavalidate.schema.fields import AZ, BANDWIDTH, CIDR, DATE, DURATION, REGION, SIZE, Field
from wavalidate.schema.types import RESOURCE_TYPES, resource_field

RULES = load_rules()[0]
NAMES = ["a", "b", "c", "web", "db", "vpc-1", "sub-1"]
SAMPLES = {DURATION: ["30s", "15m", "4h", "2d"], BANDWIDTH: ["500Mbps", "1.25Gbps", "12Gbps"],
           SIZE: ["100MB", "6GB", "60TB"], CIDR: ["10.0.0.0/16", "10.0.1.0/24", "10.0.0.0/28", "192.168.0.0/30"],
           REGION: ["eu-west-1", "us-east-1"], AZ: ["eu-west-1a", "eu-west-1b", "us-east-1a"],
           DATE: ["2027-01-01", "2020-01-01"]}
SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def value_for(field: Field, depth: int = 0, kinds: dict | None = None) -> st.SearchStrategy:
    if field.ref:
        kinds = kinds or {}
        fitting = sorted(n for n, k in kinds.items() if "*" in field.ref or k in field.ref)
        return st.sampled_from(fitting or NAMES)
    if field.allowed:
        return st.sampled_from(field.allowed)
    if field.kind == "integer":
        return st.integers(int(field.min) if field.min is not None else -5, int(field.max) if field.max is not None else 70)
    if field.kind == "number":
        return st.floats(field.min if field.min is not None else -10, field.max if field.max is not None else 100000,
                         allow_nan=False)
    if field.kind == "boolean":
        return st.booleans()
    if field.kind == "ports":
        return st.one_of(st.integers(0, 65535), st.sampled_from(["22", "1024-65535", "all", "80"]))
    if field.kind == "string":
        if field.regex in SAMPLES:
            return st.sampled_from(SAMPLES[field.regex])
        return st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
    if field.kind == "list" and field.items is not None and depth < 3:
        return st.lists(value_for(field.items, depth + 1, kinds), max_size=3)
    if field.kind == "object" and depth < 3:
        children = field.fields or {}
        return st.fixed_dictionaries({k: value_for(v, depth + 1, kinds) for k, v in children.items() if v.required},
                                     optional={k: value_for(v, depth + 1, kinds) for k, v in children.items()
                                               if not v.required})
    if field.kind == "mapping" and depth < 3:
        return st.dictionaries(st.sampled_from(["app", "team", "env"]), st.sampled_from(["x", "y"]), max_size=2)
    return st.none()


@st.composite
def resource(draw, kind: str, kinds: dict):
    fields = dict(resource_field(kind).fields or {})
    fields.pop("type")
    optional = sorted(n for n, f in fields.items() if not f.required)
    chosen = [n for n, f in fields.items() if f.required]
    chosen += draw(st.lists(st.sampled_from(optional), max_size=6, unique=True))
    body = {"type": kind}
    for name in chosen:
        body[name] = draw(value_for(fields[name], 1, kinds))
    return body


@st.composite
def architecture(draw):
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=len(NAMES), unique=True))
    kinds = {name: draw(st.sampled_from(sorted(RESOURCE_TYPES))) for name in names}
    document = {"version": 1, "requirements": draw(value_for(resource_field("vpc").fields["requirements"], 1)),
                "resources": {name: draw(resource(kind, kinds)) for name, kind in kinds.items()}}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


@st.composite
def mutated(draw):
    text = draw(architecture())
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, max(len(text) - 1, 0)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate-line", "drop-line"]))
        if action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 5)):]
        elif action == "insert":
            text = text[:position] + draw(st.sampled_from([":", "- ", "{", "]", "&a ", "*a", "!!python/none ",
                                                          "\t", "'", "\n  ", "#", "<<: "])) + text[position:]
        else:
            lines = text.splitlines(keepends=True) or [""]
            index = draw(st.integers(0, len(lines) - 1))
            if action == "duplicate-line":
                lines.insert(index, lines[index])
            else:
                del lines[index]
            text = "".join(lines)
    return text


def _check_properties(text: str) -> None:
    findings = check_text(text, RULES, name="gen.yaml", options=Options(rule_timeout=0))
    report = Report(list(findings), ["gen.yaml"], RULES)
    assert report.exit_code("high") in (0, 1, 2)
    assert not [f for f in findings if f.is_internal_error], [f.message for f in findings if f.is_internal_error]
    lines = text.split("\n")
    for f in findings:
        assert 1 <= f.line <= len(lines), (f.line, len(lines), f.message)
        assert 1 <= f.col <= len(lines[f.line - 1]) + 1, (f.line, f.col, f.message)
    again = Report(list(check_text(text, RULES, name="gen.yaml", options=Options(rule_timeout=0))),
                   ["gen.yaml"], RULES)
    assert render("json", again) == render("json", report)


@SETTINGS
@given(architecture())
def test_generated_architectures(text):
    _check_properties(text)


@SETTINGS
@given(mutated())
def test_mutated_architectures(text):
    _check_properties(text)
