"""Shared fixtures: the built-in rules and a helper to check YAML text."""
from __future__ import annotations

import os
import textwrap

import pytest

from wavalidate.engine import check_text
from wavalidate.plugins import load_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")
UPDATE = bool(os.environ.get("WAVALIDATE_UPDATE_SNAPSHOTS"))


@pytest.fixture(scope="session")
def rules():
    found, errors = load_rules()
    assert not errors, errors
    return found


def check(text: str, rules, codes=None):
    """Findings for dedented YAML text, optionally only those of some rule codes."""
    findings = check_text(textwrap.dedent(text), rules)
    return [f for f in findings if codes is None or f.code in codes]


def snapshot(path: str, actual: str) -> None:
    """Compare with a committed snapshot; WAVALIDATE_UPDATE_SNAPSHOTS=1 rewrites it."""
    if UPDATE or not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(actual)
        if not UPDATE:
            pytest.fail(f"snapshot {path} was missing and has been written; run again")
    with open(path, encoding="utf-8") as handle:
        expected = handle.read()
    assert actual == expected, f"{path} differs; refresh with WAVALIDATE_UPDATE_SNAPSHOTS=1 if intended"
