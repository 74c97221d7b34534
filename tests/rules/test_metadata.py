"""Every rule is complete: docs, remediation, facts, a matching prefix and both kinds of case."""
from __future__ import annotations

import pytest

from wavalidate.api import PREFIXES
from wavalidate.plugins import load_rules

from .test_cases import kinds

RULES = load_rules()[0]
KINDS = kinds()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    assert PREFIXES[rule.code.rstrip("0123456789")] == rule.pillar
    assert rule.rationale, "the docstring gives the rationale"
    assert rule.remediation, "the docstring has a `Fix:` paragraph"
    assert rule.notes, "the notes section the rule comes from"
    assert rule.title and not rule.title.endswith(".")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_passing_and_failing_cases(rule):
    passing, failing = KINDS.get(rule.code, (False, False))
    assert passing, f"tests/rules/cases/{rule.code}.yaml needs a case with `expect: []`"
    assert failing, f"tests/rules/cases/{rule.code}.yaml needs a case that finds something"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_names_a_source(rule):
    assert rule.sources, "name the facts (wavalidate.facts) the rule relies on"
    assert all(s.startswith("https://") for s in rule.sources)


def test_names_are_unique():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))


def test_all_six_pillars_have_rules():
    from wavalidate.api import PILLARS
    assert len(PILLARS) == 6
    assert {r.pillar for r in RULES} == set(PILLARS)


def test_rules_read_fields_through_the_model():
    """`res.props` bypasses the schema's defaults and its check of field names."""
    import glob
    import os

    import wavalidate_rules
    folder = os.path.dirname(wavalidate_rules.__file__)
    offenders = [os.path.basename(p) for p in glob.glob(os.path.join(folder, "*.py"))
                 if ".props" in open(p, encoding="utf-8").read()]
    assert not offenders, f"use res.get(key) or attributes, not res.props, in {offenders}"
