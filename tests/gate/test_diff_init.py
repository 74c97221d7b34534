"""`wavalidate diff` for PR review, and `wavalidate init`'s starter file."""
from __future__ import annotations

from click.testing import CliRunner

from wavalidate.cli import main

from .test_baseline import ARCH
from .test_suppress import RULES_FILE


def diff(*args):
    return CliRunner().invoke(main, ["diff", *args, "--rules", RULES_FILE, "--select", "SEC998,REL998,OPS998"],
                              catch_exceptions=False)


def _versions(tmp_path):
    base = tmp_path / "base.yaml"
    head = tmp_path / "head.yaml"
    base.write_text(ARCH + "  old-vpc: {type: vpc, cidr: 10.8.0.0/16, description: going}\n")
    head.write_text(ARCH.replace("resources:\n", "# moved down\nresources:\n  new-db:\n    type: rds_instance\n"
                                 "    engine: mysql\n", 1)
                    .replace("multi_az: false", "multi_az: false\n    instance_class: db.r6g.large")
                    .replace("ports: 22, cidr: 0.0.0.0/0", "ports: 22, cidr: 10.0.0.0/8")
                    .replace("requirements: {availability: 99.95}", "requirements: {availability: 99.99}"))
    return base, head


def test_diff_lists_resource_changes_and_new_fixed_and_still_present_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _versions(tmp_path)
    result = diff("base.yaml", "head.yaml")
    assert result.exit_code == 1  # a new high finding
    out = result.output
    assert "resources: 1 added, 1 removed, 2 changed" in out
    assert "  + new-db (rds_instance)" in out and "  - old-vpc (vpc)" in out
    assert "  ~ orders-db (rds_instance): instance_class" in out and "  ~ admin-sg (security_group): ingress" in out
    assert "  ~ document: requirements" in out
    assert "findings: 1 new, 1 fixed, 1 still present" in out
    assert "  new    head.yaml:8:3: high REL998 RDS instance `new-db`" in out or "new-db" in out.split("fixed")[0]
    assert "  fixed  base.yaml:11:" in out and "SEC998" in out.split("  fixed  ")[1].splitlines()[0]
    assert "  still  head.yaml:" in out and "orders-db" in out.split("  still  ")[1]
    assert diff("base.yaml", "head.yaml", "--fail-on", "critical").exit_code == 0


def test_diff_markdown_and_output_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _versions(tmp_path)
    result = diff("base.yaml", "head.yaml", "--format", "markdown", "--output", "review.md", "--fail-on", "never")
    assert result.exit_code == 0
    text = (tmp_path / "review.md").read_text()
    assert text.startswith("## wavalidate diff: `base.yaml` → `head.yaml`")
    assert "### New findings (1)" in text and "### Fixed findings (1)" in text and "| added | `new-db` |" in text


def test_diff_of_a_broken_head_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.yaml").write_text(ARCH)
    (tmp_path / "head.yaml").write_text("version: 1\nresources: [\n")
    result = diff("base.yaml", "head.yaml")
    assert result.exit_code == 2 and "E100" in result.output
    assert "findings: not compared" in result.output and "fixed  " not in result.output


def test_diff_diagram_is_drawn_or_skipped_gracefully(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _versions(tmp_path)
    result = CliRunner().invoke(
        main, ["diff", "base.yaml", "head.yaml", "--rules", RULES_FILE, "--select", "REL998",
               "--diagram", "changes.dot", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    if (tmp_path / "changes.dot").exists():
        dot = (tmp_path / "changes.dot").read_text()
        assert "<B>ADDED</B>" in dot and "removed: old-vpc" in dot   # a tag over the icon
    else:
        assert "diagram" in result.stderr


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path, monkeypatch, rules):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0 and (tmp_path / "architecture.yaml").exists()
    checked = CliRunner().invoke(main, ["check", "architecture.yaml", "--format", "json", "--fail-on", "never"])
    import json
    document = json.loads(checked.output)
    assert not [f for f in document["findings"] if f["code"].startswith(("E", "W"))], document["findings"]
    assert checked.exit_code == 0
    again = CliRunner().invoke(main, ["init"])
    assert again.exit_code == 2 and "already exists" in again.output
    assert CliRunner().invoke(main, ["init", "other.yaml"]).exit_code == 0
    assert (tmp_path / "architecture.yaml").read_text().count("\n# ") > 3  # it is commented
