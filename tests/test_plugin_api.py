"""A third-party pack, exactly as the README shows it, loads and runs through the public API."""
from __future__ import annotations

import os
import re

from click.testing import CliRunner

from wavalidate.cli import main

from .conftest import ROOT, SAMPLES


def readme_pack() -> str:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    section = text.split("## Writing a rule pack", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_pack_runs(tmp_path):
    (tmp_path / "acme.py").write_text(readme_pack())
    result = CliRunner().invoke(main, ["check", os.path.join(SAMPLES, "serverless-pipeline.yaml"),
                                       "--rules", str(tmp_path), "--select", "ACME", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert " low ACME-REL001 queue `" in result.output and "has no `team` tag" in result.output
    listed = CliRunner().invoke(main, ["rules", "--rules", str(tmp_path), "--format", "json"]).output
    assert '"code": "ACME-REL001"' in listed and '"pillar": "reliability"' in listed
