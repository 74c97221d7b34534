"""The fixed fixture for format tests: a small architecture and a rule pack of its own."""
from __future__ import annotations

import os
from dataclasses import replace

from wavalidate.api import ATTRIBUTE
from wavalidate.engine import Options, check_files
from wavalidate.suppress import today

from . import fixture_rules

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixture.yaml")
SCHEMA = os.path.join(HERE, "sarif-schema-2.1.0.json")
TODAY = today("2026-01-15")


def fixture_rules_list():
    found = [getattr(v, ATTRIBUTE) for v in vars(fixture_rules).values() if hasattr(v, ATTRIBUTE)]
    return sorted((replace(r, pack="fixture") for r in found), key=lambda r: r.code)


def fixture_report(files=None, options=None):
    """The report of the fixture, with file names relative to tests/formats (as in the snapshots)."""
    cwd = os.getcwd()
    os.chdir(HERE)
    try:
        rules = fixture_rules_list()
        options = options or Options(today=TODAY, known_rules=tuple(rules))
        return check_files(files or ["fixture.yaml"], rules, options)
    finally:
        os.chdir(cwd)
