"""Configuration in .wavalidate.yaml or pyproject.toml: validated with positions, overridden by the command line."""
from __future__ import annotations

import json
import textwrap

from click.testing import CliRunner

from wavalidate import config
from wavalidate.cli import main

from .test_baseline import ARCH
from .test_suppress import RULES_FILE

PROBE = '''
from wavalidate.api import Violation, rule


@rule("REL997", "probe-availability", severity="info", title="Reports the availability target", notes="test")
def probe(arch):
    """Probe.

    Fix: none.
    """
    yield Violation(("requirements",), f"availability {arch.requirements_for(None).availability}")
'''


def run(*args):
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def test_yaml_config_selects_overrides_and_sets_fail_on(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(ARCH)
    (tmp_path / ".wavalidate.yaml").write_text(textwrap.dedent("""\
        select: [REL998]
        severity: {REL998: low}
        fail_on: low
        """))
    result = run("arch.yaml", "--rules", RULES_FILE)
    assert result.exit_code == 1 and "arch.yaml:7:15: low REL998" in result.output
    assert " SEC998 " not in result.output
    assert run("arch.yaml", "--rules", RULES_FILE, "--fail-on", "medium").exit_code == 0  # the command line wins
    both = run("arch.yaml", "--rules", RULES_FILE, "--select", "SEC998")  # --select replaces the configured list
    assert " SEC998 " in both.output and " REL998 " not in both.output


def test_pyproject_table_is_read_when_there_is_no_yaml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(ARCH)
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""\
        [project]
        name = "infra"

        [tool.wavalidate]
        ignore = ["SEC998"]
        fail_on = "never"
        """))
    result = run("arch.yaml", "--rules", RULES_FILE)
    assert result.exit_code == 0 and " REL998 " in result.output and " SEC998 " not in result.output


def test_config_errors_have_positions_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(ARCH)
    (tmp_path / ".wavalidate.yaml").write_text("select: [REL]\nfail_on: loud\nseverty: {}\n")
    result = run("arch.yaml")
    assert result.exit_code == 2
    assert ".wavalidate.yaml:2:10: error E203 `fail_on` must be one of" in result.output
    assert ".wavalidate.yaml:3:1: error E200 unknown key `severty` (did you mean `severity`?)" in result.output
    (tmp_path / ".wavalidate.yaml").write_text(f"rules: ['{RULES_FILE}']\nseverity: {{REL999X: low}}\n")
    output = run("arch.yaml", "--config", ".wavalidate.yaml").output
    assert ".wavalidate.yaml:2:12: error E203 `REL999X` in `severity` is not a rule code" in output


def test_pyproject_errors_point_at_the_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.wavalidate]\nselect = ["REL"]\nfail_on = "loud"\n\n'
                                             '[tool.wavalidate.severity]\nREL001 = "huge"\n')
    problems = config.load(cwd=str(tmp_path)).problems
    assert [(p.code, p.line, p.col) for p in problems] == [("E203", 3, 1), ("E203", 6, 1)]
    (tmp_path / "pyproject.toml").write_text('[tool.wavalidate]\nselect = [\n')
    assert config.load(cwd=str(tmp_path)).problems[0].code == "E100"


def test_explicit_config_and_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(ARCH)
    (tmp_path / "ci.yaml").write_text(f"rules: ['{RULES_FILE}']\nselect: [SEC998]\nfail_on: never\n")
    result = run("arch.yaml", "--config", "ci.yaml")
    assert result.exit_code == 0 and " SEC998 " in result.output
    missing = run("arch.yaml", "--config", "nope.yaml")
    assert missing.exit_code == 2 and "E106" in missing.output


def test_a_parent_folder_config_is_never_used(tmp_path, monkeypatch):
    (tmp_path / ".wavalidate.yaml").write_text("fail_on: never\n")
    (tmp_path / "sub").mkdir()
    assert config.find(str(tmp_path / "sub")) is None


def test_requirements_defaults_merge_under_the_files_own(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "probe.py").write_text(PROBE)
    (tmp_path / ".wavalidate.yaml").write_text("rules: [probe.py]\nselect: [REL997]\n"
                                               "requirements: {availability: 99.9, rto: 1h}\n")
    (tmp_path / "own.yaml").write_text(ARCH)  # availability 99.95 in the file wins
    (tmp_path / "bare.yaml").write_text("version: 1\nresources: {}\n")
    document = json.loads(run("own.yaml", "bare.yaml", "--format", "json", "--config", ".wavalidate.yaml").output)
    messages = {f["file"]: f["message"] for f in document["findings"]}
    assert messages == {"own.yaml": "availability 99.95", "bare.yaml": "availability 99.9"}


def test_waivers_from_the_config_are_relative_to_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "waivers.yaml").write_text(
        "waivers:\n  - {file: '*.yaml', resource: orders-db, rule: REL998, reason: 'approved in ARB-7', "
        "owner: arb}\n")
    (tmp_path / "policy" / "wavalidate.yaml").write_text(
        f"rules: ['{RULES_FILE}']\nselect: [REL998]\nwaivers: [waivers.yaml]\n")
    (tmp_path / "arch.yaml").write_text(ARCH)
    result = run("arch.yaml", "--config", "policy/wavalidate.yaml")
    assert result.exit_code == 0, result.output
    assert "; 1 suppressed" in result.output


def test_paths_named_in_the_config_and_on_the_command_line_are_used_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(ARCH)
    (tmp_path / ".wavalidate.yaml").write_text(f"rules: ['{RULES_FILE}']\nselect: [REL998]\n")
    result = run("arch.yaml", "--rules", RULES_FILE, "--config", ".wavalidate.yaml")
    assert "E903" not in result.output and " REL998 " in result.output


def test_rule_packs_of_a_found_configuration_are_never_loaded(tmp_path, monkeypatch):
    """Checking an untrusted checkout must not run its code, even through its configuration."""
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "pwned"
    (tmp_path / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    (tmp_path / "arch.yaml").write_text(ARCH)
    (tmp_path / ".wavalidate.yaml").write_text("rules: [evil.py]\nfail_on: never\n")
    result = run("arch.yaml")
    assert not marker.exists()
    assert ".wavalidate.yaml:1:1: low W320 rule packs named here are not loaded" in result.output
    assert result.exit_code == 0
    (tmp_path / "pyproject.toml").write_text('[tool.wavalidate]\nrules = ["evil.py"]\n')
    (tmp_path / ".wavalidate.yaml").unlink()
    run("arch.yaml")
    assert not marker.exists()
    run("arch.yaml", "--config", "pyproject.toml")  # chosen: trusted
    assert marker.exists()


def test_config_terms_that_match_no_rule_are_findings_at_their_position(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(ARCH)
    (tmp_path / ".wavalidate.yaml").write_text("select: [REL, RELL]\nignore:\n  - nope-rule\n")
    result = run("arch.yaml", "--rules", RULES_FILE)
    assert result.exit_code == 2
    assert ".wavalidate.yaml:1:15: error E203 `RELL` in `select` matches no rule" in result.output
    assert ".wavalidate.yaml:3:5: error E203 `nope-rule` in `ignore` matches no rule" in result.output
    assert run("arch.yaml", "--select", "NOPE").exit_code == 2  # the command line's: a usage error
