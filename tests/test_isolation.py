"""Crash isolation and the promise that nothing from the checked repository runs."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from click.testing import CliRunner

from wavalidate.cli import main

from .conftest import SAMPLES

HPC = os.path.join(SAMPLES, "hpc-cluster.yaml")

BROKEN_PACK = '''
import time
from wavalidate.api import rule, Violation

@rule("OPS991", "always-crashes", severity="low", title="Crashes", notes="test")
def crashes(arch):
    """Crashes.

    Fix: none.
    """
    raise KeyError("boom")

@rule("OPS992", "returns-garbage", severity="low", title="Garbage", notes="test")
def garbage(arch):
    """Garbage.

    Fix: none.
    """
    yield "not a violation"

@rule("OPS993", "hangs", severity="low", title="Hangs", notes="test")
def hangs(arch):
    """Hangs.

    Fix: none.
    """
    while True:
        time.sleep(0.01)
'''


def test_broken_rules_are_reported_and_the_others_still_run(tmp_path):
    (tmp_path / "broken.py").write_text(BROKEN_PACK)
    result = CliRunner().invoke(main, ["check", HPC, "--rules", str(tmp_path), "--rule-timeout", "0.3"])
    assert result.exit_code == 3, result.output
    out = result.output
    assert "E900 rule OPS991 (always-crashes" in out and "KeyError" in out
    assert "E902 rule OPS992 (returns-garbage" in out
    assert "E901 rule OPS993 (hangs" in out and "budget" in out
    assert " REL003 " in out  # the built-in rules still ran


def test_a_pack_that_fails_to_import_is_named(tmp_path):
    (tmp_path / "bad.py").write_text("raise RuntimeError('cannot import me')\n")
    result = CliRunner().invoke(main, ["check", HPC, "--rules", str(tmp_path / "bad.py")])
    assert result.exit_code == 3
    assert "E903 rule pack 'bad.py': failed to import: RuntimeError: cannot import me" in result.output
    assert " REL003 " in result.output


def test_duplicate_rule_codes_are_an_error(tmp_path):
    (tmp_path / "dup.py").write_text(textwrap.dedent('''
        from wavalidate.api import rule
        @rule("REL001", "shadow", severity="low", title="Shadow", notes="test")
        def shadow(arch):
            """Shadow.

            Fix: none.
            """
            return []
    '''))
    result = CliRunner().invoke(main, ["rules", "--rules", str(tmp_path)])
    assert "rule REL001 is already defined by 'builtin'" in result.output


def _hostile_repository(root):
    marker = root / "PWNED"
    payload = f"open({str(marker)!r}, 'w').write('x')\n"
    for folder in ("rules", "wavalidate_rules", "wavalidate_rules/sub"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "__init__.py").write_text(payload)
        (root / folder / "evil.py").write_text(payload)
    for name in ("conftest.py", "sitecustomize.py", "wavalidate_local.py", "setup.py"):
        (root / name).write_text(payload)
    (root / "arch.yaml").write_text("version: 1\nresources:\n  v: {type: vpc, cidr: 10.0.0.0/16}\n")
    return marker


def test_nothing_beside_the_checked_file_is_imported(tmp_path):
    marker = _hostile_repository(tmp_path)
    command = os.path.join(os.path.dirname(sys.executable), "wavalidate")
    for argv in ([command, "check", "arch.yaml"], [sys.executable, "-m", "wavalidate", "check", "arch.yaml"],
                 [command, "check", str(tmp_path / "arch.yaml")]):
        result = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode in (0, 1), result.stderr
        assert not marker.exists(), f"{argv} imported code from the checked repository"
    # Only an explicit --rules runs code, and then only what was named.
    subprocess.run([command, "check", "arch.yaml", "--rules", "rules"], cwd=tmp_path, capture_output=True)
    assert marker.exists()


def test_violations_resting_on_unknown_values_are_dropped():
    from wavalidate.engine import check_document
    from wavalidate.loader import Document, load_yaml
    from wavalidate.plugins import load_rules
    rules = [r for r in load_rules()[0] if r.code == "REL001"]
    text = "version: 1\nrequirements: {availability: 99.99}\nresources:\n  db: {type: rds_instance, engine: mysql}\n"
    data, source = load_yaml(text)
    known = check_document(Document("a.yaml", data, source, text), rules)
    assert [f.code for f in known] == ["REL001"]
    unknown = Document("a.yaml", data, source, text, frozenset({("resources", "db", "multi_az")}))
    assert check_document(unknown, rules) == []


def test_no_command_overwrites_its_input_or_writes_into_a_missing_folder(tmp_path):
    source = tmp_path / "arch.yaml"
    source.write_text("version: 1\nresources:\n  v: {type: vpc, cidr: 10.0.0.0/16}\n")
    original = source.read_bytes()
    attempts = [
        ["check", str(source), "--write-baseline", str(source)],
        ["check", str(source), "-o", str(source)],
        ["render", str(source), "-o", str(source), "--format", "dot"],
        ["check", str(source), "--write-baseline", str(tmp_path / "missing" / "b.json")],
        ["render", str(source), "-o", str(tmp_path / "missing" / "a.dot")],
    ]
    for argv in attempts:
        result = CliRunner().invoke(main, argv)
        assert result.exit_code == 2, (argv, result.output)
        assert "Traceback" not in result.output
    assert source.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arch.yaml"]
