"""Runs every rule case file: named YAML snippets that pass or fail at exact positions.

A case file is tests/rules/cases/<CODE>.yaml holding a list of cases:

    - name: single-az-database
      expect: [[7, 15]]          # [line, column] of each finding of this rule
      arch: |
        version: 1
        ...

Adding a case is adding data, not code.
"""
from __future__ import annotations

import glob
import os

import pytest
import yaml

from wavalidate.engine import check_text
from wavalidate.plugins import load_rules

CASES = os.path.join(os.path.dirname(__file__), "cases")


def _cases():
    for path in sorted(glob.glob(os.path.join(CASES, "*.yaml"))):
        code = os.path.basename(path)[:-5]
        with open(path, encoding="utf-8") as handle:
            for case in yaml.safe_load(handle):
                yield pytest.param(code, case, id=f"{code}-{case['name']}")


ALL_RULES = {r.code: r for r in load_rules()[0]}


@pytest.mark.parametrize("code,case", list(_cases()))
def test_case(code, case):
    assert code in ALL_RULES, f"case file for unknown rule {code}"
    findings = check_text(case["arch"], list(ALL_RULES.values()), name="case.yaml")
    errors = [f for f in findings if not f.pillar]
    assert not errors, f"the case itself is invalid: {[(f.line, f.col, f.message) for f in errors]}"
    got = [[f.line, f.col] for f in findings if f.code == code]
    assert got == case["expect"], [f.message for f in findings if f.code == code]
    if "message" in case:
        messages = [f.message for f in findings if f.code == code]
        assert any(case["message"] in m for m in messages), messages
    if "severity" in case:
        severities = [f.severity for f in findings if f.code == code]
        assert severities and all(s == case["severity"] for s in severities), severities


def case_kinds():
    """For each rule code: (has a passing case, has a failing case)."""
    kinds: dict[str, list[bool]] = {}
    for param in _cases():
        code, case = param.values
        entry = kinds.setdefault(code, [False, False])
        entry[0 if not case["expect"] else 1] = True
    return kinds
