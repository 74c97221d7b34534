"""Every output format: snapshots on a fixed fixture, SARIF against its schema, JUnit parsed back."""
from __future__ import annotations

import glob
import json
import os
import shutil
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from click.testing import CliRunner

from wavalidate.cli import main
from wavalidate.engine import check_files
from wavalidate.formats import FORMATS, render, targets
from wavalidate.formats.github import escape_data, escape_property

from ..conftest import ROOT, SAMPLES, snapshot, under_another_hash_seed
from .common import HERE, SCHEMA, fixture_report, fixture_rules_list

SNAPSHOTS = os.path.join(ROOT, "tests", "snapshots", "formats")
EXTENSIONS = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "github": "txt", "markdown": "md",
              "codequality": "json"}


@pytest.fixture(scope="module")
def report():
    return fixture_report(["fixture.yaml", "broken.yaml"])


@pytest.fixture(scope="module")
def sarif_validator():
    with open(SCHEMA, encoding="utf-8") as handle:
        schema = json.load(handle)
    return jsonschema.Draft4Validator(schema)


def test_every_format_has_an_extension():
    assert set(EXTENSIONS) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_format_snapshot(fmt, report):
    snapshot(os.path.join(SNAPSHOTS, f"fixture.{fmt}.{EXTENSIONS[fmt]}"), render(fmt, report))


def test_formats_are_the_same_under_another_hash_seed(report):
    ours = json.dumps({fmt: render(fmt, report) for fmt in sorted(FORMATS)})
    theirs = under_another_hash_seed(
        "import json, sys\n"
        "from tests.formats.common import fixture_report\n"
        "from wavalidate.formats import FORMATS, render\n"
        "report = fixture_report(['fixture.yaml', 'broken.yaml'])\n"
        "sys.stdout.write(json.dumps({fmt: render(fmt, report) for fmt in sorted(FORMATS)}))\n")
    assert theirs == ours.encode("ascii")


# -- SARIF --------------------------------------------------------------------

def _errors(validator, document):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_sarif_of_the_fixture_is_valid(report, sarif_validator):
    assert not _errors(sarif_validator, json.loads(render("sarif", report)))


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(SAMPLES, "*.yaml"))), ids=os.path.basename)
def test_sarif_of_every_sample_is_valid(path, rules, sarif_validator, monkeypatch):
    monkeypatch.chdir(ROOT)
    document = json.loads(render("sarif", check_files([os.path.relpath(path, ROOT)], rules)))
    assert not _errors(sarif_validator, document)
    run = document["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert {r.code for r in rules} <= set(ids)
    assert all(res["ruleId"] == ids[res["ruleIndex"]] for res in run["results"])


def test_sarif_of_all_samples_in_one_run_is_valid(rules, sarif_validator, monkeypatch):
    monkeypatch.chdir(ROOT)
    files = sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(SAMPLES, "*.yaml")))
    document = json.loads(render("sarif", check_files(files, rules)))
    assert not _errors(sarif_validator, document)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert uris <= {f.replace(os.sep, "/") for f in files}
    prints = [r["partialFingerprints"]["wavalidate/v1"] for r in document["runs"][0]["results"]]
    assert len(prints) == len(set(prints))


def test_sarif_rules_carry_help_pillar_severity_and_security_severity(report):
    run = json.loads(render("sarif", report))["runs"][0]
    by_id = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    sec = by_id["SEC998"]
    assert sec["helpUri"].endswith("docs/rules.md#sec998-admin-port-open")
    assert sec["properties"]["pillar"] == "security" and sec["properties"]["severity"] == "critical"
    assert sec["properties"]["security-severity"] == "9.5"
    assert "Fix: allow SSH" in sec["help"]["text"] and sec["fullDescription"]["text"].startswith("SSH open")
    assert sec["defaultConfiguration"]["level"] == "error"
    assert "security-severity" not in by_id["REL998"]["properties"]
    assert by_id["REL998"]["properties"]["tags"] == ["well-architected", "reliability", "REL10-BP01"]
    assert by_id["E201"]["properties"]["category"] == "input"  # input errors get a rule entry of their own
    assert by_id["W311"]["defaultConfiguration"]["level"] == "warning"


def test_sarif_results_have_exact_regions_levels_and_suppressions(report):
    results = json.loads(render("sarif", report))["runs"][0]["results"]
    by_rule = {}
    for result in results:
        by_rule.setdefault(result["ruleId"], []).append(result)
    sec = by_rule["SEC998"][0]
    region = sec["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 15, "startColumn": 42, "endLine": 15, "endColumn": 51}
    assert sec["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "fixture.yaml",
                                                                          "uriBaseId": "%SRCROOT%"}
    assert sec["level"] == "error" and by_rule["OPS998"][0]["level"] == "note"
    inline = by_rule["COST998"][0]["suppressions"][0]
    assert inline == {"kind": "inSource", "status": "accepted", "justification": "batch peak needs twelve workers",
                      "properties": {"source": "inline", "expires": "2099-12-31"}}
    suppressed = [r for r in by_rule["REL998"] if "suppressions" in r]
    assert suppressed[0]["suppressions"][0]["justification"] == "reporting can be down for a day"
    assert by_rule["E201"][0]["level"] == "error"


def test_sarif_fingerprints_survive_moved_lines_but_not_other_resources(tmp_path):
    original = open(os.path.join(HERE, "fixture.yaml"), encoding="utf-8").read()
    moved = original.replace("resources:\n", "# a new comment\n\nresources:\n  extra-vpc: {type: vpc, cidr: "
                             "10.9.0.0/16, description: added}\n", 1)
    for name, text in (("a.yaml", original), ("b.yaml", moved)):
        (tmp_path / name).write_text(text)

    def prints(name):
        os.replace(tmp_path / name, tmp_path / "arch.yaml")
        cwd = os.getcwd()
        os.chdir(tmp_path)
        try:
            report = check_files(["arch.yaml"], fixture_rules_list())
            results = json.loads(render("sarif", report))["runs"][0]["results"]
        finally:
            os.chdir(cwd)
        return {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]):
                r["partialFingerprints"]["wavalidate/v1"] for r in results}

    before, after = prints("a.yaml"), prints("b.yaml")
    assert set(before.values()) == set(after.values())
    assert {line for _, line in before} != {line for _, line in after}  # the lines did move
    assert len(set(before.values())) == len(before)


def test_internal_errors_are_results_and_notifications(tmp_path):
    from wavalidate.api import rule

    @rule("REL999", "crashes", severity="high", title="Crashes", notes="test")
    def crashes(arch):
        """Crashes.

        Fix: none.
        """
        raise RuntimeError("boom")

    arch = tmp_path / "a.yaml"
    arch.write_text("version: 1\nresources: {}\n")
    from wavalidate.api import ATTRIBUTE
    document = json.loads(render("sarif", check_files([str(arch)], [getattr(crashes, ATTRIBUTE)])))
    run = document["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert run["invocations"][0]["toolExecutionNotifications"][0]["descriptor"]["id"] == "E900"
    assert run["results"][0]["ruleId"] == "E900"


# -- JUnit, GitHub, Markdown --------------------------------------------------

def test_junit_parses_back_with_one_case_per_rule_and_resource(report):
    root = ET.fromstring(render("junit", report))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    fixture = suites["fixture.yaml"]
    names = [c.get("name") for c in fixture.iter("testcase")]
    assert "REL998 db-multi-az: orders-db" in names and "REL998 db-multi-az: reports-db" in names
    assert len(names) == len(set(names))
    failing = {c.get("name") for c in fixture.iter("testcase") if c.find("failure") is not None}
    assert "SEC998 admin-port-open: admin-sg" in failing
    skipped = {c.get("name"): c.find("skipped").get("message") for c in fixture.iter("testcase")
               if c.find("skipped") is not None}
    assert skipped["REL998 db-multi-az: reports-db"] == "suppressed: reporting can be down for a day"
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites.values())
    assert int(fixture.get("failures")) == len(failing)
    assert suites["broken.yaml"].find("testcase/error") is not None


def test_junit_lists_passing_rules_as_passing_cases(tmp_path):
    arch = tmp_path / "ok.yaml"
    arch.write_text("version: 1\nresources:\n  v: {type: vpc, cidr: 10.0.0.0/16, description: fine}\n")
    root = ET.fromstring(render("junit", check_files([str(arch)], fixture_rules_list())))
    cases = list(root.iter("testcase"))
    assert len(cases) == 4 and all(len(c) == 0 for c in cases)


def test_github_annotations_escape_per_the_workflow_command_rules(report):
    out = render("github", report).splitlines()
    rel = next(line for line in out if "REL998" in line)
    assert rel.startswith("::error file=fixture.yaml,line=19,col=15,endLine=19,endColumn=20,"
                          "title=REL998 db-multi-az (high)::")
    assert rel.endswith('needs 99.95%25 | "2" <AZs>%0Asecond line')
    cost_free = [line for line in out if "COST998" in line]
    assert not cost_free  # suppressed findings are not annotated
    assert any(line.startswith("::notice file=fixture.yaml,line=6,") for line in out)
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A" and escape_data("a:b,c\r") == "a:b,c%0D"
    assert all(line.startswith("::") for line in out)


def test_markdown_opens_with_the_scorecard_and_groups_by_pillar(report):
    text = render("markdown", report)
    lines = text.splitlines()
    assert lines[0].startswith("## ") and "| pillar |" in text.split("###")[0]
    assert text.index("### security") < text.index("### reliability")
    assert "\\| \"2\" \\<AZs\\> second line" in text  # table-safe
    assert "Diagram" not in text
    report.diagram = "diagrams/fixture.png"
    try:
        assert "[diagrams/fixture.png](diagrams/fixture.png)" in render("markdown", report)  # a workspace path
    finally:
        report.diagram = None


def test_codequality_is_gitlab_shaped(report):
    issues = json.loads(render("codequality", report))
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    sec = next(i for i in issues if i["check_name"].startswith("SEC998"))
    assert sec["location"] == {"path": "fixture.yaml", "positions": {"begin": {"line": 15, "column": 42},
                                                                     "end": {"line": 15, "column": 51}}}


# -- several outputs in one run -----------------------------------------------

def test_targets_pairing():
    assert targets(["sarif", "text"], ["r.sarif"]) == [("sarif", "r.sarif"), ("text", None)]
    assert targets(["sarif:r.sarif", "junit:j.xml", "text"]) == [("sarif", "r.sarif"), ("junit", "j.xml"),
                                                                 ("text", None)]
    assert targets([], []) == [("text", None)]
    assert targets(["json"], ["-"]) == [("json", None)] == targets(["json:"])
    for bad in ((["nope"], []), (["text", "json"], []), (["text"], ["a", "b"]), (["json:a", "sarif:a"], [])):
        with pytest.raises(ValueError):
            targets(*bad)


def test_cli_writes_several_formats_in_one_run(tmp_path, monkeypatch):
    shutil.copy(os.path.join(HERE, "fixture.yaml"), tmp_path / "fixture.yaml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "fixture.yaml", "--rules", os.path.join(HERE, "fixture_rules.py"),
                                       "--select", "SEC998,REL998,COST998,OPS998",
                                       "--format", "sarif", "--output", "out.sarif", "--format", "text",
                                       "--format", "junit:out.xml", "-f", "markdown:summary.md"])
    assert result.exit_code == 1, result.output
    assert "fixture.yaml:15:42: critical SEC998" in result.output
    assert json.load(open("out.sarif"))["version"] == "2.1.0"
    assert ET.parse("out.xml").getroot().tag == "testsuites"
    assert open("summary.md").read().startswith("## wavalidate")


def test_cli_rejects_two_formats_on_stdout(tmp_path):
    result = CliRunner().invoke(main, ["check", os.path.join(HERE, "fixture.yaml"), "-f", "text", "-f", "json"])
    assert result.exit_code == 2 and "only one format can go to stdout" in result.output


def test_markdown_links_the_diagram_check_drew(tmp_path, monkeypatch):
    shutil.copy(os.path.join(HERE, "fixture.yaml"), tmp_path / "fixture.yaml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "fixture.yaml", "--rules", os.path.join(HERE, "fixture_rules.py"),
                                       "--select", "REL998", "--fail-on", "never", "--diagram", "arch.svg",
                                       "--format", "markdown:summary.md"])
    if not (tmp_path / "arch.svg").exists():
        pytest.skip(f"no diagram drawn here: {result.output}")
    assert "[arch.svg](arch.svg)" in (tmp_path / "summary.md").read_text()


def test_markdown_lists_a_bounded_number_of_findings(report):
    from wavalidate.formats import markdown
    text = markdown.render(report, max_items=3)  # the error, OPS998, SEC998
    assert text.count("| critical | SEC998") == 1 and "| high | REL998" not in text
    assert "… and 1 more, not listed here" in text
