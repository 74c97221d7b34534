"""Baselines end to end: written today, tomorrow's check passes when only lines moved and fails on new findings."""
from __future__ import annotations

import json

from click.testing import CliRunner

from wavalidate.cli import main

from .test_suppress import RULES_FILE

ARCH = """\
version: 1
requirements: {availability: 99.95}
resources:
  orders-db:
    type: rds_instance
    engine: postgres
    multi_az: false
  admin-sg:
    type: security_group
    ingress:
      - {protocol: tcp, ports: 22, cidr: 0.0.0.0/0}
"""


def check(*args):
    return CliRunner().invoke(main, ["check", *args, "--rules", RULES_FILE, "--select", "SEC998,REL998"],
                              catch_exceptions=False)


def test_baseline_passes_when_lines_move_and_fails_on_a_new_finding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    arch = tmp_path / "arch.yaml"
    arch.write_text(ARCH)
    assert check("arch.yaml").exit_code == 1
    written = check("arch.yaml", "--write-baseline", "baseline.json")
    assert written.exit_code == 0, written.output
    entries = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert [(e["code"], e["resource"], e["path"]) for e in entries] == [
        ("REL998", "orders-db", "resources.orders-db.multi_az"),
        ("SEC998", "admin-sg", "resources.admin-sg.ingress[0].cidr")]
    assert all("line" not in e for e in entries)

    # Tomorrow: lines moved (a comment and a new resource on top), nothing new.
    arch.write_text(ARCH.replace("resources:\n", "# Orders service\nresources:\n  logs-vpc:\n    type: vpc\n"
                                 "    cidr: 10.1.0.0/16\n    description: logs\n", 1))
    moved = check("arch.yaml", "--baseline", "baseline.json")
    assert moved.exit_code == 0, moved.output
    assert "2 in the baseline, 0 fixed since" in moved.output

    # A new finding fails the gate, and only it is listed.
    arch.write_text(arch.read_text() + "  audit-db:\n    type: rds_instance\n    engine: mysql\n")
    new = check("arch.yaml", "--baseline", "baseline.json")
    assert new.exit_code == 1
    listed = [line for line in new.output.splitlines() if " REL998 " in line or " SEC998 " in line]
    assert len(listed) == 1 and "audit-db" in listed[0]

    # Fixing an old finding is reported, in text and JSON.
    arch.write_text(arch.read_text().replace("multi_az: false", "multi_az: true"))
    fixed = check("arch.yaml", "--baseline", "baseline.json", "--format", "json")
    document = json.loads(fixed.output)
    assert [(e["code"], e["resource"]) for e in document["baseline"]["fixed"]] == [("REL998", "orders-db")]
    assert document["baseline"]["matched"] == 1
    text = check("arch.yaml", "--baseline", "baseline.json")
    assert "fixed since the baseline: arch.yaml REL998 orders-db resources.orders-db.multi_az" in text.output


def test_baseline_counts_repeats_and_ignores_files_not_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(ARCH)
    (tmp_path / "b.yaml").write_text(ARCH)
    assert check("a.yaml", "b.yaml", "--write-baseline", "base.json").exit_code == 0
    only_a = check("a.yaml", "--baseline", "base.json", "--format", "json")
    assert only_a.exit_code == 0 and json.loads(only_a.output)["baseline"]["fixed"] == []


def test_a_bad_baseline_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(ARCH)
    (tmp_path / "base.json").write_text("{}")
    result = check("a.yaml", "--baseline", "base.json")
    assert result.exit_code == 2 and "not a wavalidate baseline" in result.output
    result = check("a.yaml", "--baseline", "missing.json")
    assert result.exit_code == 2 and "cannot read the baseline" in result.output


def test_writing_a_baseline_never_overwrites_an_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(ARCH)
    result = CliRunner().invoke(main, ["check", "a.yaml", "--write-baseline", "a.yaml"])
    assert result.exit_code == 2 and (tmp_path / "a.yaml").read_text() == ARCH


def test_refreshing_a_baseline_keeps_known_findings_and_drops_fixed_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    arch = tmp_path / "a.yaml"
    arch.write_text(ARCH)
    check("a.yaml", "--write-baseline", "base.json")
    arch.write_text(ARCH.replace("multi_az: false", "multi_az: true"))
    refreshed = check("a.yaml", "--baseline", "base.json", "--write-baseline", "base.json")
    assert refreshed.exit_code == 0
    entries = json.loads((tmp_path / "base.json").read_text())["findings"]
    assert [e["code"] for e in entries] == ["SEC998"]


def test_a_file_that_no_longer_parses_fixes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(ARCH)
    check("a.yaml", "--write-baseline", "base.json")
    (tmp_path / "a.yaml").write_text(ARCH + "  broken: [\n")
    result = check("a.yaml", "--baseline", "base.json", "--format", "json")
    assert result.exit_code == 2 and json.loads(result.output)["baseline"]["fixed"] == []
