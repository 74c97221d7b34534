"""Each checked file's result: findings plus what was checked, reused by `render` and `diff`, and picklable."""
from __future__ import annotations

import os
import pickle
import shutil

import pytest

from wavalidate import diff
from wavalidate.engine import Options, check_files, file_result
from wavalidate.formats.diff import text as diff_text
from wavalidate.render import draw_report
from wavalidate.results import FileResult

from .conftest import SAMPLES

HPC = os.path.join(SAMPLES, "hpc-cluster.yaml")
TEMPLATES = os.path.join(os.path.dirname(__file__), "cloudformation", "templates")


def test_a_result_holds_the_findings_the_document_and_the_architecture_the_rules_saw(rules):
    result = file_result(HPC, rules, Options(requirements={"owner_team": "hpc", "availability": 1}))
    assert result.valid and result.file == HPC and result.document.name == HPC
    assert result.findings and all(f.file == HPC for f in result.findings)
    arch = result.architecture
    assert arch is result.architecture                       # built once
    assert arch.requirements.get("owner_team") == "hpc"      # the config's defaults...
    assert arch.requirements.availability == result.document.data["requirements"]["availability"]  # ...under the file's


def test_results_of_files_that_do_not_load_or_validate_have_no_architecture(rules, tmp_path):
    broken, invalid = tmp_path / "broken.yaml", tmp_path / "invalid.yaml"
    broken.write_text("a: [\n")
    invalid.write_text("version: 1\nresources: {x: {type: nope}}\n")
    unread = file_result(str(broken), rules)
    assert unread.document is None and unread.architecture is None and unread.findings[0].code == "E100"
    wrong = file_result(str(invalid), rules)
    assert wrong.document is not None and not wrong.valid and wrong.architecture is None


def test_a_result_pickles_without_its_model_and_rebuilds_it(rules):
    for path in (HPC, os.path.join(TEMPLATES, "network.yaml")):
        result = file_result(path, rules)
        assert result.architecture is not None
        data = pickle.dumps(result)
        assert b"wavalidate.model" not in data             # the model is not shipped...
        again = pickle.loads(data)
        assert again.findings == result.findings and again.file == result.file and again.valid
        assert again.document.data == result.document.data and again.document.text == result.document.text
        assert again.document.source.values == result.document.source.values   # positions survive
        rebuilt = again.architecture                         # ...but rebuilt from the document
        assert rebuilt is not None and sorted(rebuilt.resources) == sorted(result.architecture.resources)
        assert pickle.loads(pickle.dumps(list(result.findings))) == list(result.findings)


def test_the_report_carries_each_files_result(rules):
    report = check_files([HPC], rules)
    assert set(report.results) == {HPC}
    assert sorted(report.result(HPC).findings, key=lambda f: f.sort_key()) == [f for f in report.findings if f.file == HPC]


def test_render_and_diff_work_from_the_report_after_the_files_are_gone(rules, tmp_path):
    base, head = tmp_path / "base.yaml", tmp_path / "head.yaml"
    shutil.copy(HPC, base)
    with open(HPC, encoding="utf-8") as handle:
        head.write_text(handle.read().replace("resources:\n", "resources:\n  extra-vpc: {type: vpc, cidr: 10.9.0.0/16}\n", 1))
    base_report, head_report = check_files([str(base)], rules), check_files([str(head)], rules)
    os.remove(base)
    os.remove(head)
    compared = diff.compare(base_report, head_report)
    assert [c.name for c in compared.added] == ["extra-vpc"] and compared.resources_compared
    assert "+ extra-vpc (vpc)" in diff_text(compared)
    written = draw_report(head_report, str(head), str(tmp_path / "head.dot"), fmt="dot")
    assert written == [str(tmp_path / "head.dot")] and "extra" in (tmp_path / "head.dot").read_text()


@pytest.mark.parametrize("template", ["network.yaml", "root.yaml", "app.json"])
def test_diff_names_a_templates_stack_after_head_whatever_base_is_called(rules, tmp_path, template):
    """A translated template names its stack, and each resource's `stack` or `parent`, after its file."""
    base = tmp_path / f"copy-of-base{os.path.splitext(template)[1]}"
    shutil.copy(os.path.join(TEMPLATES, template), base)
    shutil.copy(os.path.join(TEMPLATES, "network.yaml"), tmp_path / "network.yaml")  # root.yaml's nested stack
    head = os.path.join(TEMPLATES, template)
    compared = diff.compare(check_files([str(base)], rules), check_files([head], rules))
    assert compared.resources_compared
    assert (compared.added, compared.removed, compared.changed, compared.document) == ([], [], [], [])


def test_a_result_is_a_value():
    assert FileResult("a.yaml") == FileResult("a.yaml")
    assert FileResult("a.yaml").architecture is None
