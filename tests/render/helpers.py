"""Shared helpers for the render tests: build an architecture from YAML text, with findings."""
from __future__ import annotations

import textwrap

from wavalidate.engine import check_text
from wavalidate.loader import load_yaml
from wavalidate.model import Architecture
from wavalidate.render import build_graph
from wavalidate.schema import validate


def arch_of(text: str) -> Architecture:
    data, _ = load_yaml(textwrap.dedent(text))
    assert not validate(data), validate(data)
    return Architecture(data, "test.yaml")


def graph_of(text: str, rules=None, findings=()):
    arch = arch_of(text)
    if rules is not None:
        findings = check_text(textwrap.dedent(text), rules, "test.yaml")
    return build_graph(arch, findings)
