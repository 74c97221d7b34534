"""The organisation context (`organization.provides`) inherited from `.wavalidate.yaml` or `[tool.wavalidate]`."""
from __future__ import annotations

import textwrap

from click.testing import CliRunner

from wavalidate.cli import main

# A landing-zone member workload: monitoring of its own (a flow log, an alarm), no trail of its own.
WORKLOAD = textwrap.dedent("""\
    version: 1
    name: shop-web
    requirements: {availability: 99.9, environment: production}
    resources:
      vpc: {type: vpc, region: eu-west-1, cidr: 10.40.0.0/16}
      flow: {type: flow_log, resource: vpc, destination: s3}
      a: {type: subnet, vpc: vpc, az: eu-west-1a, cidr: 10.40.1.0/24}
      b: {type: subnet, vpc: vpc, az: eu-west-1b, cidr: 10.40.2.0/24}
      web: {type: auto_scaling_group, subnets: [a, b], min_size: 2, max_size: 4}
      ops: {type: sns_topic}
      cpu: {type: cloudwatch_alarm, metric: CPUUtilization, monitors: [web], actions: [ops]}
    """)


def run(*args):
    return CliRunner().invoke(main, ["check", "--select", "SEC550", "--fail-on", "low", *args],
                              catch_exceptions=False)


def test_without_context_a_workload_file_is_asked_at_low(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.yaml").write_text(WORKLOAD)
    result = run("shop.yaml")
    assert result.exit_code == 1 and "shop.yaml:4:1: low SEC550" in result.output


def test_every_file_inherits_the_yaml_config_context(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.yaml").write_text(WORKLOAD)
    (tmp_path / "orders.yaml").write_text(WORKLOAD.replace("shop-web", "orders"))
    (tmp_path / ".wavalidate.yaml").write_text(textwrap.dedent("""\
        organization:
          name: example-lz
          provides:
            cloudtrail: {account: log-archive, file: landing-zone/org-trail.yaml}
        """))
    result = run("shop.yaml", "orders.yaml")
    assert result.exit_code == 0, result.output
    assert "SEC550" not in result.output


def test_pyproject_table_provides_the_context(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.yaml").write_text(WORKLOAD)
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""\
        [tool.wavalidate.organization.provides.cloudtrail]
        account = "log-archive"
        """))
    result = run("shop.yaml")
    assert result.exit_code == 0, result.output


def test_the_files_own_context_adds_to_the_inherited_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    own = WORKLOAD.replace("requirements:", "organization:\n  provides:\n    guardduty: {account: audit}\nrequirements:")
    (tmp_path / "shop.yaml").write_text(own)
    (tmp_path / ".wavalidate.yaml").write_text("organization: {provides: {cloudtrail: {account: log-archive}}}\n")
    assert run("shop.yaml").exit_code == 0  # the file's guardduty does not replace the config's cloudtrail


def test_an_unknown_capability_is_an_error_with_its_position(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.yaml").write_text(WORKLOAD)
    (tmp_path / ".wavalidate.yaml").write_text("organization:\n  provides:\n    cloudtrial: {account: log-archive}\n")
    result = run("shop.yaml")
    assert result.exit_code == 2
    assert ".wavalidate.yaml:3:5:" in result.output and "cloudtrial" in result.output


def test_init_offers_the_landing_zone_context(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["init", "--landing-zone", "member.yaml"]).exit_code == 0
    text = (tmp_path / "member.yaml").read_text()
    assert "\norganization:\n  provides:\n    cloudtrail: {account: log-archive}" in text
    assert "type: cloudtrail_trail" not in text  # the organisation's trail, not one of its own
    checked = CliRunner().invoke(main, ["check", "member.yaml", "--fail-on", "info"])
    assert checked.exit_code == 0, checked.output
    assert CliRunner().invoke(main, ["init", "plain.yaml"]).exit_code == 0
    assert "# organization:" in (tmp_path / "plain.yaml").read_text()  # offered, commented out
