"""Crash isolation and the promise that nothing from the checked repository runs."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
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


# -- rules and packs that try to end the run, write to its outputs, or outlast their budget ----------

MISBEHAVING_PACK = '''
import os, signal, sys, time
from wavalidate.api import rule, Violation

def _doc(f):
    f.__doc__ = "Misbehaves.\\n\\nFix: none."
    return f

@rule("OPS981", "exits", severity="low", title="Exits", notes="test")
@_doc
def exits(arch):
    print("leaving early")
    sys.exit(0)

@rule("OPS982", "interrupts", severity="low", title="Interrupts", notes="test")
@_doc
def interrupts(arch):
    raise KeyboardInterrupt

@rule("OPS983", "prints", severity="low", title="Prints", notes="test")
@_doc
def prints(arch):
    print("::error::forged annotation")
    sys.stderr.write("to stderr\\n")
    sys.stdout.close()
    return [Violation(("resources",), "a real finding")]

@rule("OPS984", "swallows-the-timeout", severity="low", title="Swallows", notes="test")
@_doc
def swallows(arch):
    try:
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        signal.setitimer(signal.ITIMER_REAL, 0)
    except ValueError:  # not the main thread
        pass
    end = time.monotonic() + 20  # ends on its own eventually, so the thread fallback cannot leak it
    while time.monotonic() < end:
        try:
            time.sleep(0.01)
        except BaseException:
            pass
    return []
'''


def _misbehaving(tmp_path, extra=""):
    (tmp_path / "misbehaving.py").write_text(MISBEHAVING_PACK + extra)
    return str(tmp_path / "misbehaving.py")


def test_a_rule_cannot_end_the_run_write_to_stdout_or_outlast_its_budget(tmp_path):
    pack = _misbehaving(tmp_path)
    command = os.path.join(os.path.dirname(sys.executable), "wavalidate")
    done = subprocess.run([command, "check", HPC, "--rules", pack, "--rule-timeout", "1", "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)  # nothing else reached stdout
    assert done.stderr == ""
    by_code = {}
    for f in report["findings"]:
        by_code.setdefault(f["code"], []).append(f["message"])
    assert any("rule OPS981 (exits" in m and "tried to end the run (SystemExit: 0)" in m and "leaving early" in m
               for m in by_code["E900"])
    assert any("rule OPS982 (interrupts" in m and "KeyboardInterrupt" in m for m in by_code["E900"])
    assert any("rule OPS984 (swallows-the-timeout" in m and "1 s budget" in m for m in by_code["E901"])
    assert any("rule OPS983 (prints" in m and "::error::forged annotation to stderr" in m for m in by_code["W904"])
    assert "OPS983" in by_code and "REL003" in by_code  # its finding, and the built-in rules, still count


def test_a_rule_that_ends_its_process_is_reported_and_the_rest_still_run(tmp_path):
    pack = _misbehaving(tmp_path, '''
@rule("OPS985", "hard-exit", severity="low", title="Hard exit", notes="test")
@_doc
def hard_exit(arch):
    os.write(1, b"raw bytes")
    os._exit(0)
''')
    if not hasattr(os, "fork"):
        pytest.skip("no fork: a rule that ends the process ends the run")
    result = CliRunner().invoke(main, ["check", HPC, "--rules", pack, "--select", "OPS985,OPS983,REL003"])
    assert result.exit_code == 3, result.output
    assert "E900 rule OPS985 (hard-exit, pack 'misbehaving.py') ended the checking process (exit status 0)" \
        in result.output
    assert "OPS983" in result.output and " REL003 " in result.output and "raw bytes" not in result.output


def test_without_fork_rules_run_in_threads_with_the_same_guarantees(tmp_path, monkeypatch):
    monkeypatch.setenv("WAVALIDATE_ISOLATION", "thread")
    pack = _misbehaving(tmp_path)
    result = CliRunner().invoke(main, ["check", HPC, "--rules", pack, "--rule-timeout", "0.5",
                                       "--format", "json"])
    assert result.exit_code == 3, result.output
    codes = {f["code"] + f["message"][:12] for f in json.loads(result.output)["findings"]}
    assert {"E900rule OPS981 ", "E900rule OPS982 ", "W904rule OPS983 ", "E901rule OPS984 "} <= codes


def test_a_pack_that_exits_prints_or_interrupts_at_import_is_named(tmp_path):
    (tmp_path / "a_exits.py").write_text("import sys\nprint('hello from a pack')\nsys.exit(0)\n")
    (tmp_path / "b_interrupts.py").write_text("raise KeyboardInterrupt\n")
    (tmp_path / "c_prints.py").write_text("import sys\nprint('::error::forged')\nsys.stdout.close()\n")
    result = CliRunner().invoke(main, ["check", HPC, "--rules", str(tmp_path), "--format", "json"])
    assert result.exit_code == 3, result.output
    messages = [f["message"] for f in json.loads(result.output)["findings"] if f["code"] == "E903"]
    assert any("a_exits.py failed to import: tried to end the run (SystemExit: 0)" in m for m in messages)
    assert any("b_interrupts.py failed to import: KeyboardInterrupt" in m for m in messages)
    assert len(messages) == 2  # the pack that only printed loaded
