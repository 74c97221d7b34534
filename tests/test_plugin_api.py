"""A third-party pack, exactly as the README shows it, loads, runs and is tested through the public API."""
from __future__ import annotations

import os
import re

import pytest
from click.testing import CliRunner

from wavalidate.api import Violation, rule
from wavalidate.cli import main
from wavalidate.testing import CaseError, case_kinds, cases_in, read_cases

from .conftest import ROOT, SAMPLES


def readme_blocks(language: str) -> list[str]:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    section = text.split("## Writing a rule pack", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


def readme_pack() -> str:
    return readme_blocks("python")[0]


def test_the_readme_pack_runs(tmp_path):
    (tmp_path / "acme.py").write_text(readme_pack())
    result = CliRunner().invoke(main, ["check", os.path.join(SAMPLES, "serverless-pipeline.yaml"),
                                       "--rules", str(tmp_path), "--select", "ACME", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert " low ACME-REL001 queue `" in result.output and "has no `team` tag" in result.output
    listed = CliRunner().invoke(main, ["rules", "--rules", str(tmp_path), "--format", "json"]).output
    assert '"code": "ACME-REL001"' in listed and '"pillar": "reliability"' in listed
    assert '"name": "queue-owner-tag"' in listed  # from the function's name


def test_the_readme_pack_is_tested_with_its_case_file(tmp_path, monkeypatch):
    """The README's pack, case file and test module, laid out as a pack's repository would be."""
    (tmp_path / "acme.py").write_text(readme_pack())
    case_file = readme_blocks("yaml")[0]
    target = re.match(r"# (\S+)\n", case_file).group(1)
    (tmp_path / target).parent.mkdir(parents=True)
    (tmp_path / target).write_text(case_file)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(readme_blocks("python")[1], "test_cases.py", "exec"), namespace)  # the README's test module
    cases = cases_in("tests/cases")
    assert [str(c) for c in cases] == ["ACME-REL001-queue-without-team-tag", "ACME-REL001-tagged-queue-passes"]
    assert case_kinds(cases) == {"ACME-REL001": (True, True)}
    for case in cases:
        namespace["test_case"](case)
    namespace["test_fields_are_spelt_right"]()
    wrong = cases[0].__class__(**{**cases[0].__dict__, "expect": ((4, 5),)})
    with pytest.raises(AssertionError, match=r"expected findings at \[\(4, 5\)\], got 3:3 queue `orders`"):
        namespace["test_case"](wrong)


def test_a_malformed_case_file_is_named(tmp_path):
    path = tmp_path / "ACME-REL001.yaml"
    path.write_text("- name: no-expect\n  arch: 'version: 1'\n")
    with pytest.raises(CaseError, match=r"ACME-REL001.yaml: case 1 needs `name`, `expect` and `arch`"):
        read_cases(str(path))


def test_the_name_comes_from_the_function_or_is_given():
    @rule("ACME-OPS001", severity="low", title="t")
    def _queues_have_owners(arch):
        return ()

    @rule("ACME-OPS002", "old-style-name", severity="low", title="t", notes="서버리스")
    def anything(arch):
        return ()

    first, second = _queues_have_owners.__wavalidate_rule__, anything.__wavalidate_rule__
    assert (first.name, first.notes) == ("queues-have-owners", "")
    assert (second.name, second.notes) == ("old-style-name", "서버리스")
    with pytest.raises(ValueError, match="kebab-case"):
        rule("ACME-OPS003", severity="low", title="t")(lambda arch: ())
    with pytest.raises(ValueError, match="kebab-case"):
        rule("ACME-OPS004", "Not_Kebab", severity="low", title="t")


def test_violation_is_exported_with_the_model():
    from wavalidate import api
    assert Violation(("resources", "x"), "m").related == ()
    assert {"facts", "units", "policy_documents", "Architecture", "Resource", "strongly_connected", "acl_entries"} <= set(api.__all__)


def test_pack_rules_loads_folders_files_and_installed_packages(tmp_path):
    from wavalidate.plugins import load_rules
    from wavalidate.testing import pack_rules
    builtin = [r.code for r in load_rules()[0]]
    assert [r.code for r in pack_rules("wavalidate_rules")] == builtin
    (tmp_path / "acme.py").write_text(readme_pack())
    assert [r.code for r in pack_rules(str(tmp_path / "acme.py"))] == sorted(builtin + ["ACME-REL001"])
    (tmp_path / "broken.py").write_text("raise RuntimeError('no')\n")
    with pytest.raises(AssertionError, match="broken.py failed to import: RuntimeError: no"):
        pack_rules(str(tmp_path))
