"""One set of counts: text, Markdown, JSON and the HTML report say the same numbers in the same words."""
from __future__ import annotations

import json

from click.testing import CliRunner

from wavalidate.cli import main

from ..gate.test_suppress import RULES_FILE

ARCH = """\
version: 1
resources:
  a-db: {type: rds_instance, engine: postgres, multi_az: false}
  b-db: {type: rds_instance, engine: postgres, multi_az: false}
  c-db: {type: rds_instance, engine: postgres, multi_az: false}
  d-db:
    type: rds_instance
    engine: postgres
    multi_az: false
    suppress:
      - {rule: REL998, reason: "reporting replica, rebuilt nightly"}
  e-db:
    type: rds_instance
    engine: postgres
    multi_az: false
    suppress:
      - {rule: REL998, reason: "migration window, see CHG-1", expires: "2026-01-31"}
suppress:
  - {rule: REL998, resource: c-db, reason: "staging database only"}
"""
WAIVERS = """\
version: 1
waivers:
  - {rule: REL998, resource: b-db, reason: "approved by the architecture board", owner: arb}
"""


def run(*args):
    return CliRunner().invoke(main, [*args, "--rules", RULES_FILE, "--select", "REL998", "--today", "2026-06-01"],
                              catch_exceptions=False)


def test_every_format_counts_alike(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(ARCH)
    (tmp_path / "waivers.yaml").write_text(WAIVERS)
    (tmp_path / "old.yaml").write_text(ARCH.replace("  a-db:", "  z-db: {type: rds_instance, engine: postgres, "
                                                               "multi_az: false}\n  a-db:"))
    run("check", "old.yaml", "--waivers", "waivers.yaml", "--write-baseline", "base.json")
    entries = json.loads((tmp_path / "base.json").read_text())["findings"]
    for entry in entries:
        entry["file"] = "arch.yaml"
    (tmp_path / "base.json").write_text(json.dumps({"version": 1, "tool": "wavalidate", "findings": entries}))
    common = ("arch.yaml", "--waivers", "waivers.yaml", "--baseline", "base.json")
    run("check", *common, "--format", "text:out.txt", "--format", "markdown:out.md", "--format", "json:out.json")
    summary = json.loads((tmp_path / "out.json").read_text())["summary"]
    # a-db and e-db (its suppression expired) are in the baseline; z-db is fixed; b, c, d are suppressed
    assert (summary["findings"], summary["suppressed"], summary["baselined"], summary["fixed"],
            summary["expired"]) == (0, 3, 2, 1, 1)
    assert summary["suppressed_by_source"] == {"inline": 1, "file": 1, "comment": 0, "waiver": 1}
    words = "0 findings in 1 file; 3 suppressed; 2 in the baseline, 1 fixed since; 1 suppression notice (1 expired)"
    text = (tmp_path / "out.txt").read_text()
    assert words.replace("1 file;", "1 file: 0 critical, 0 high, 0 medium, 0 low, 0 info;") in text
    markdown = (tmp_path / "out.md").read_text()
    assert words.replace("0 findings in", "**0 findings** in") in markdown
    assert "<summary>3 suppressed</summary>" in markdown and "<summary>2 in the baseline</summary>" in markdown
    run("report", *common, "-o", "review.html")
    page = (tmp_path / "review.html").read_text()
    assert f'<p class="headline">{words}</p>' in page
    assert "Suppressions and waivers (3)" in page and "2 in the baseline, 1 fixed since.</p>" in page
