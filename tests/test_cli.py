"""The command line, end to end through click: output lines, exit codes, selection."""
from __future__ import annotations

import json
import os

from click.testing import CliRunner

from wavalidate import __version__
from wavalidate.cli import main

from .conftest import SAMPLES

HPC = os.path.join(SAMPLES, "hpc-cluster.yaml")


def run(*args, **kw):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kw)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_check_prints_positions_and_fails_on_high(tmp_path):
    result = run("check", HPC, "--select", "REL003")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(f"{HPC}:") and " high REL003 " in first
    assert "reliability" in result.output


def test_fail_on_never_and_critical():
    assert run("check", HPC, "--fail-on", "never").exit_code == 0
    assert run("check", HPC, "--fail-on", "critical").exit_code == 0


def test_select_and_ignore_by_code_prefix_name_and_pillar():
    only = run("check", HPC, "--select", "REL005", "--fail-on", "never").output
    assert " REL005 " in only and " REL003 " not in only
    by_name = run("check", HPC, "--select", "partition-placement-limit", "--fail-on", "never").output
    assert by_name.splitlines()[0] == only.splitlines()[0]
    ignored = run("check", HPC, "--ignore", "reliability", "--fail-on", "never").output
    assert " REL0" not in ignored
    longest_wins = run("check", HPC, "--ignore", "REL", "--select", "REL004", "--fail-on", "never").output
    assert " REL004 " in longest_wins and " REL003 " not in longest_wins


def test_unknown_select_term_is_a_usage_error():
    result = run("check", HPC, "--select", "NOPE999")
    assert result.exit_code == 2 and "no rule matches" in result.output


def test_json_format_is_versioned():
    result = run("check", HPC, "--format", "json")
    document = json.loads(result.output)
    assert document["schema_version"] == 1
    first = document["findings"][0]
    assert first["line"] >= 1 and first["pillar"] in {"reliability", "security", "performance-efficiency",
                                                       "cost-optimization", "operational-excellence",
                                                       "sustainability"}


def test_broken_files_exit_2_with_one_line_and_no_traceback(tmp_path):
    cases = {
        "syntax.yaml": ("version: 1\nresources: [\n", "E100"),
        "dup.yaml": ("version: 1\nversion: 1\nresources: {}\n", "E101"),
        "type.yaml": ("version: 1\nresources:\n  v: {type: vpc, cidr: 10.0.0.0/16, ipv6: maybe}\n", "E201"),
        "key.yaml": ("version: 1\nresources:\n  v: {type: vpc, cidr: 10.0.0.0/16, cdir: x}\n", "E200"),
        "ref.yaml": ("version: 1\nresources:\n  s: {type: subnet, vpc: ghost, az: eu-west-1a, cidr: 10.0.0.0/24}\n",
                     "E210"),
    }
    for name, (text, code) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        result = CliRunner().invoke(main, ["check", str(path), "--allow-outside-root"])
        assert result.exit_code == 2, (name, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        first = result.output.splitlines()[0]
        assert first.startswith(f"{path}:") and f" error {code} " in first, first
        assert "Traceback" not in result.output


def test_missing_file_and_directory(tmp_path):
    for target in (str(tmp_path / "nope.yaml"), str(tmp_path)):
        result = run("check", target)
        assert result.exit_code == 2 and " error E106 " in result.output


def test_no_color_by_default_and_color_on_request():
    assert "\x1b[" not in run("check", HPC).output
    assert "\x1b[" in run("check", HPC, "--color").output


def test_rules_lists_the_design_card_lessons():
    listed = json.loads(run("rules", "--format", "json").output)
    by_code = {r["code"]: r for r in listed}
    for code in ("REL001", "PERF001", "PERF003", "REL002", "REL004", "REL005"):
        assert code in by_code
    assert by_code["REL001"]["pillar"] == "reliability" and by_code["REL001"]["severity"] == "high"


def test_explain_prints_the_docs():
    result = run("explain", "REL001")
    assert result.exit_code == 0 and "Multi-AZ" in result.output and "Fix:" in result.output
    assert run("explain", "rds-multi-az").output == result.output
    assert run("explain", "XYZ").exit_code == 2


def test_schema_command_prints_json():
    document = json.loads(run("schema").output)
    assert "rds_instance" in document["definitions"]


def test_output_file_is_written_and_input_protected(tmp_path):
    out = tmp_path / "report.json"
    assert run("check", HPC, "--format", "json", "-o", str(out), "--fail-on", "never").exit_code == 0
    assert json.loads(out.read_text())["files"] == [HPC]
    result = CliRunner().invoke(main, ["check", HPC, "-o", HPC])
    assert result.exit_code == 2 and "refusing to overwrite" in result.output
    result = CliRunner().invoke(main, ["check", HPC, "-o", str(tmp_path / "missing" / "r.txt")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_written_files_get_the_usual_permissions(tmp_path):
    out = tmp_path / "report.txt"
    run("check", HPC, "-o", str(out), "--fail-on", "never")
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".wavalidate-")]


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_clean_check_keeps_heavy_modules_off_the_start_up_path():
    """cerberus loads only for documents that fail the fast check; the IAM evaluator only for policies."""
    import subprocess
    import sys
    code = ("import sys, wavalidate.cli\n"
            "from click.testing import CliRunner\n"
            f"r = CliRunner().invoke(wavalidate.cli.main, ['check', {HPC!r}, '--fail-on', 'never'])\n"
            "assert r.exit_code == 0, r.output\n"
            "heavy = ('cerberus', 'diagrams', 'graphviz', 'wavalidate.policy', 'importlib.metadata')\n"
            "print([m for m in heavy if m in sys.modules])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_broken_config_file_is_an_input_error_at_its_position(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".wavalidate.yaml").write_text("select: [REL\nfail_on: high\n")
    result = CliRunner().invoke(main, ["check", HPC])
    assert result.exit_code == 2
    assert ".wavalidate.yaml:2:8: error E100 YAML syntax error" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
