"""Hostile and broken inputs: a clear message at a position, exit 2, no traceback, nothing written."""
from __future__ import annotations

import os

import pytest
import yaml
from click.testing import CliRunner

from wavalidate.cli import main

HERE = os.path.join(os.path.dirname(__file__), "bad_inputs")
with open(os.path.join(HERE, "expected.yaml"), encoding="utf-8") as _handle:
    EXPECTED = yaml.safe_load(_handle)


def test_every_corpus_file_has_an_expectation():
    files = {f for f in os.listdir(HERE) if f.endswith(".yaml") and f != "expected.yaml"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input(name, monkeypatch):
    monkeypatch.chdir(HERE)
    before = sorted(os.listdir(HERE))
    result = CliRunner().invoke(main, ["check", name])
    want = EXPECTED[name]
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    first = result.output.splitlines()[0]
    assert first.startswith(f"{name}:{want['line']}:{want['column']}: error {want['code']} {want['message']}"), first
    assert "Traceback" not in result.output
    assert sorted(os.listdir(HERE)) == before
