"""Runs every rule case file: named YAML snippets that pass or fail at exact positions.

A case file is tests/rules/cases/<CODE>.yaml holding a list of cases:

    - name: single-az-database
      expect: [[7, 15]]          # [line, column] of each finding of this rule
      arch: |
        version: 1
        ...

Adding a case is adding data, not code. The runner is `wavalidate.testing`,
the same one third-party packs use.
"""
from __future__ import annotations

import os

import pytest

from wavalidate.plugins import load_rules
from wavalidate.testing import case_kinds, cases_in, run_case

CASES = cases_in(os.path.join(os.path.dirname(__file__), "cases"))
ALL_RULES = load_rules()[0]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_case(case):
    run_case(case, ALL_RULES)


def kinds():
    """For each rule code: (has a passing case, has a failing case)."""
    return case_kinds(CASES)
