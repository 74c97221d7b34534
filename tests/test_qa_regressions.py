"""Regressions found by using the command line the way users and CI do."""
from __future__ import annotations

import os

from click.testing import CliRunner

from wavalidate.cli import main

from .conftest import SAMPLES

HPC = os.path.join(SAMPLES, "hpc-cluster.yaml")


def run(*args, **kw):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kw)


def test_an_output_that_is_a_folder_is_one_usage_error_and_nothing_is_written(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    sarif = tmp_path / "r.sarif"
    result = run("check", HPC, "--format", f"sarif:{sarif}", "--format", f"json:{folder}")
    assert result.exit_code == 2
    assert "it is a folder" in result.output and "Traceback" not in result.output
    assert not sarif.exists()  # the good output is not written when another cannot be


def test_an_unwritable_folder_is_one_usage_error_and_nothing_is_written(tmp_path, monkeypatch):
    import tempfile
    real = tempfile.mkstemp
    blocked = str(tmp_path / "ro")
    os.mkdir(blocked)

    def mkstemp(*args, dir=None, **kw):
        if dir and os.path.abspath(dir) == blocked:
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    sarif = tmp_path / "r.sarif"
    for extra in (["--format", f"json:{blocked}/r.json"], ["--write-baseline", f"{blocked}/b.json"],
                  ["--diagram", f"{blocked}/d.dot"]):
        result = run("check", HPC, "--format", f"sarif:{sarif}", *extra)
        assert result.exit_code == 2, extra
        assert "cannot write" in result.output and "Permission denied" in result.output
        assert not sarif.exists() and os.listdir(blocked) == []
    result = run("import", "cloudformation", os.path.join(os.path.dirname(__file__), "cloudformation",
                                                           "templates", "app.json"), "-o", f"{blocked}/a.yaml")
    assert result.exit_code == 2 and "cannot write" in result.output


def test_two_outputs_naming_the_same_file_differently_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check", HPC, "--format", "json:a.json", "--format", "sarif:./a.json")
    assert result.exit_code == 2 and "same file" in result.output
    result = run("check", HPC, "--format", "json:a.json", "--write-baseline", "a.json")
    assert result.exit_code == 2 and "same file" in result.output
    assert not os.path.exists("a.json")


def test_a_malformed_tool_wavalidate_header_in_pyproject_is_reported_not_ignored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.wavalidate\nselect = ["REL"]\n')
    result = run("check", HPC, "--fail-on", "never", "--allow-outside-root")
    assert result.exit_code == 2
    assert "pyproject.toml:1:" in result.output and "E100 TOML syntax error" in result.output
    (tmp_path / "pyproject.toml").write_text('[tool.wavalidatex]\nselect = ["REL"]\n')  # another tool's table
    assert run("check", HPC, "--fail-on", "never", "--allow-outside-root").exit_code == 0


def test_a_baseline_matches_a_file_given_by_its_absolute_path(tmp_path, monkeypatch):
    import shutil
    monkeypatch.chdir(tmp_path)
    shutil.copy(HPC, "hpc.yaml")
    assert run("check", "hpc.yaml", "--write-baseline", "base.json").exit_code == 0
    result = run("check", str(tmp_path / "hpc.yaml"), "--baseline", "base.json")
    assert result.exit_code == 0, result.output
    assert "0 fixed since" in result.output and "0 findings" in result.output
    # and the SARIF fingerprint does not depend on how the file was named
    import json
    relative = json.loads(run("check", "hpc.yaml", "-f", "sarif", "--fail-on", "never").output)
    absolute = json.loads(run("check", str(tmp_path / "hpc.yaml"), "-f", "sarif", "--fail-on", "never").output)
    prints = [[r["partialFingerprints"] for r in d["runs"][0]["results"]] for d in (relative, absolute)]
    assert prints[0] == prints[1]


def test_the_init_starter_checks_clean(tmp_path, monkeypatch):
    """A new user's first check of the starter should show no finding they did not write (was SEC550)."""
    import json
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    checked = run("check", "architecture.yaml", "--format", "json", "--fail-on", "info")
    assert json.loads(checked.output)["findings"] == [] and checked.exit_code == 0


TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: "not a directive # wavalidate: ignore[SEC116] quoted text is not a comment"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Admin:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0  # wavalidate: ignore[SEC116] bastion replaced next sprint, CHG-9
  Other:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: other
      VpcId: !Ref Vpc
      # wavalidate: ignore[REL001] this matches nothing here at all
      SecurityGroupIngress: []
"""


def test_ignore_comments_work_in_cloudformation_templates(tmp_path):
    """A template's synthesized values were located over the whole file, so every `#` looked like string text
    and ignore comments in templates were silently dropped."""
    import json
    path = tmp_path / "stack.yaml"
    path.write_text(TEMPLATE)
    findings = json.loads(run("check", str(path), "--format", "json", "--fail-on", "never",
                                  "--allow-outside-root").output)["findings"]
    sec116 = [f for f in findings if f["code"] == "SEC116"]
    assert sec116 and all(f["suppressed"] and f["suppression"]["source"] == "comment" for f in sec116)
    unused = [f for f in findings if f["code"] == "W311"]
    assert [f["line"] for f in unused] == [22]  # the unused one is reported; the quoted one is not a directive


def test_a_picture_name_and_format_must_agree(tmp_path, monkeypatch):
    """`-o arch.gif` wrote PNG bytes into a .gif, `-o a.png --format svg` SVG into a .png; now usage errors."""
    monkeypatch.chdir(tmp_path)
    for args in (["render", HPC, "-o", "x.gif"], ["render", HPC, "-o", "a.png", "--format", "dot"],
                 ["check", HPC, "--diagram", "d.gif"], ["diff", HPC, HPC, "--diagram", "d.jpeg"]):
        result = run(*args, "--allow-outside-root")
        assert result.exit_code == 2, args
        assert "Error:" in result.output and "Traceback" not in result.output
    assert os.listdir(tmp_path) == []
    assert run("render", HPC, "-o", "arch", "--format", "dot", "--allow-outside-root").exit_code == 0  # no extension: --format decides
    assert run("render", HPC, "-o", "ARCH.DOT", "--allow-outside-root").exit_code == 0
    assert sorted(os.listdir(tmp_path)) == ["ARCH.DOT", "arch"]


def test_render_refuses_two_inputs_that_would_draw_the_same_picture(tmp_path):
    import shutil
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(HPC, tmp_path / folder / "arch.yaml")
    out = tmp_path / "out"
    out.mkdir()
    result = run("render", str(tmp_path / "a" / "arch.yaml"), str(tmp_path / "b" / "arch.yaml"), "-d", str(out),
                 "-f", "dot")
    assert result.exit_code == 2 and "would both be drawn" in result.output
    assert os.listdir(out) == []


def test_a_file_named_twice_is_checked_once(tmp_path, monkeypatch):
    """Overlapping globs named a file twice: every finding was counted, reported and baselined twice."""
    import json
    import shutil
    monkeypatch.chdir(tmp_path)
    shutil.copy(HPC, "hpc.yaml")
    once = json.loads(run("check", "hpc.yaml", "-f", "json", "--fail-on", "never").output)
    twice = json.loads(run("check", "hpc.yaml", "./hpc.yaml", "-f", "json", "--fail-on", "never").output)
    assert twice["findings"] == once["findings"] and twice["summary"] == once["summary"]


def test_a_baseline_with_a_bad_count_is_a_usage_error_not_a_traceback(tmp_path):
    import json
    for count in ("many", 1.5, 0, None, True):
        path = tmp_path / "b.json"
        path.write_text(json.dumps({"version": 1, "findings": [
            {"file": "a.yaml", "code": "REL001", "path": "resources.db", "count": count}]}))
        result = run("check", HPC, "--baseline", str(path), "--allow-outside-root")
        assert result.exit_code == 2 and "malformed entry" in result.output, count


def test_input_errors_read_the_same_in_every_command(tmp_path):
    """`check` says `file:line:col: error CODE message`; import, render and --requirements left out `error`."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [\n")
    req = tmp_path / "req.yaml"
    req.write_text("requirements: {availability: high}\n")
    for args in (["import", "cloudformation", str(bad)], ["render", str(bad), "-o", str(tmp_path / "x.dot")],
                 ["check", HPC, "--requirements", str(req)]):
        result = CliRunner().invoke(main, args + ["--allow-outside-root"])
        assert result.exit_code == 2, args
        line = result.output.strip().splitlines()[0]
        assert line.split(": ")[1].startswith("error E"), line


TEMPLATES = os.path.join(os.path.dirname(__file__), "cloudformation", "templates")


def test_diff_compares_the_resources_of_cloudformation_templates(tmp_path):
    """Templates were read as plain YAML (no lowercase `resources`): every change showed `0 changed`."""
    with open(os.path.join(TEMPLATES, "network.yaml"), encoding="utf-8") as handle:
        text = handle.read()
    base, head = tmp_path / "base-copy.yaml", tmp_path / "network.yaml"
    base.write_text(text)
    head.write_text(text.replace("FromPort: 3389", "FromPort: 3390", 1))
    result = run("diff", str(base), str(head), "--fail-on", "never", "--allow-outside-root")
    assert "resources: 0 added, 0 removed, 1 changed" in result.output, result.output
    assert "~ AppSecurityGroup (security_group): ingress" in result.output
    assert "document:" not in result.output  # the stack name follows the file name, not a change


def test_diff_does_not_list_the_resources_of_an_unloadable_version_as_removed(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [\n")
    result = run("diff", HPC, str(bad))
    assert result.exit_code == 2
    assert "resources: not compared" in result.output and " removed" not in result.output
    markdown = run("diff", HPC, str(bad), "--format", "markdown").output
    assert "**Resources:** not compared" in markdown


def test_pdf_pictures_are_the_same_on_every_run(tmp_path, monkeypatch):
    """cairo stamped each PDF with the time of the run, so two renders of one file differed."""
    import shutil

    import pytest

    from wavalidate.render import drawing
    from wavalidate.render.drawing import fixed_pdf_dates
    stamped = b"<< /Producer (cairo) /CreationDate (D:20261127082734Z) >>\nxref"
    assert fixed_pdf_dates(stamped) == b"<< /Producer (cairo) /CreationDate (D:19700101000000Z) >>\nxref"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert b"(D:20231114221320Z)" in fixed_pdf_dates(stamped)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    if shutil.which("dot") is None:
        pytest.skip("graphviz is not installed")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert run("render", HPC, "-o", str(first)).exit_code == 0
    # the second run as if made at another time, without waiting: its stamps moved before they are fixed
    stamped_at = []

    def later(data: bytes) -> bytes:
        stamped_at.extend(m.group(2) for m in drawing._PDF_DATE.finditer(data))
        return fixed_pdf_dates(drawing._PDF_DATE.sub(lambda m: m.group(0)[:-14] + b"20991231235959", data))
    monkeypatch.setattr(drawing, "fixed_pdf_dates", later)
    assert run("render", HPC, "-o", str(second)).exit_code == 0
    assert stamped_at, "graphviz wrote no date to replace"
    assert first.read_bytes() == second.read_bytes()


def test_sarif_uris_are_relative_under_the_source_root_and_absolute_outside_it(tmp_path, monkeypatch):
    """`$PWD/infra/a.yaml` gave a file:// URI code scanning cannot place in the repository, and `../a.yaml`
    a %SRCROOT%-relative URI that climbs out of it."""
    import json
    import shutil
    (tmp_path / "repo" / "infra").mkdir(parents=True)
    shutil.copy(HPC, tmp_path / "repo" / "infra" / "a b.yaml")
    shutil.copy(HPC, tmp_path / "outside.yaml")
    monkeypatch.chdir(tmp_path / "repo")

    def locations(*files):
        document = json.loads(run("check", *files, "-f", "sarif", "--fail-on", "never").output)
        return {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                 r["locations"][0]["physicalLocation"]["artifactLocation"].get("uriBaseId"))
                for r in document["runs"][0]["results"]}

    assert locations(str(tmp_path / "repo" / "infra" / "a b.yaml")) == {("infra/a%20b.yaml", "%SRCROOT%")}
    assert locations("./infra/a b.yaml") == {("infra/a%20b.yaml", "%SRCROOT%")}
    outside = locations("../outside.yaml")
    assert {base for _, base in outside} == {None}
    assert all(uri.startswith("file:///") and uri.endswith("/outside.yaml") for uri, _ in outside)


def test_a_dash_for_standard_input_gets_a_useful_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check", "-")
    assert result.exit_code == 2 and "-:1:1: error E106" in result.output and "/dev/stdin" in result.output


def test_control_characters_in_names_cannot_restyle_the_terminal_or_the_job_log(tmp_path):
    """A resource named with an OSC/CSI escape or a bidi override went raw into text, GitHub and diff output."""
    path = tmp_path / "evil.yaml"
    path.write_text('version: 1\nresources:\n  "a\\e]0;pwned\\x07\\u202e":\n    type: vpc\n    region: eu-west-1\n'
                    '    cidr: 10.0.0.0/16\n', encoding="utf-8")
    for args in (["check", str(path), "--color"], ["check", str(path), "-f", "github"],
                 ["diff", HPC, str(path), "--fail-on", "never"]):
        output = run(*args, "--allow-outside-root").output
        assert "\x07" not in output and "\u202e" not in output and "\x1b]" not in output, args
    assert "a\\x1b]0;pwned\\x07\\u202e" in run("check", str(path), "--allow-outside-root").output


def test_no_baseline_is_written_when_a_file_has_errors(tmp_path, monkeypatch):
    """A refresh with a broken file replaced the baseline with one missing that file's findings."""
    import shutil
    monkeypatch.chdir(tmp_path)
    shutil.copy(HPC, "hpc.yaml")
    (tmp_path / "other.yaml").write_text("version: 1\nresources: {}\n")
    assert run("check", "hpc.yaml", "other.yaml", "--write-baseline", "base.json").exit_code == 0
    before = (tmp_path / "base.json").read_bytes()
    (tmp_path / "other.yaml").write_text("a: [\n")
    result = CliRunner().invoke(main, ["check", "hpc.yaml", "other.yaml", "--baseline", "base.json",
                                       "--write-baseline", "base.json"])
    assert result.exit_code == 2 and "baseline not written" in result.output
    assert (tmp_path / "base.json").read_bytes() == before


def test_github_annotations_name_files_relative_to_the_workspace(tmp_path, monkeypatch):
    """`wavalidate check $GITHUB_WORKSPACE/infra/a.yaml` annotated an absolute path, which GitHub cannot place."""
    import shutil
    (tmp_path / "infra").mkdir()
    shutil.copy(HPC, tmp_path / "infra" / "a.yaml")
    monkeypatch.chdir(tmp_path)
    output = run("check", str(tmp_path / "infra" / "a.yaml"), "-f", "github", "--fail-on", "never").output
    assert output and all(line.split(" ", 1)[1].startswith("file=infra/a.yaml,") for line in output.splitlines())


def test_an_output_that_is_a_symlink_is_refused_and_its_target_kept(tmp_path, monkeypatch):
    """Issue 12: a pull request could commit `wavalidate.sarif -> any file`, which was written through."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "r.json").write_text("old")
    os.symlink(os.path.join("reports", "r.json"), "r.json")
    result = run("check", "--allow-outside-root", HPC, "-f", "json:r.json", "--fail-on", "never")
    assert result.exit_code == 2 and "cannot write 'r.json': it is a symbolic link" in result.output
    assert os.path.islink("r.json") and (tmp_path / "reports" / "r.json").read_text() == "old"
    os.symlink(os.path.join("gone", "x.json"), "dangling.json")
    result = run("check", "--allow-outside-root", HPC, "-f", "json:dangling.json")
    assert result.exit_code == 2 and "it is a symbolic link" in result.output
    assert not (tmp_path / "gone").exists()


def test_rules_exits_3_when_a_rule_pack_fails_to_load(tmp_path):
    """`wavalidate rules --rules PACK -f json > rules.json` exited 0 with the pack silently missing."""
    broken = tmp_path / "broken.py"
    broken.write_text("import wavalidate_no_such_module\n")
    result = CliRunner().invoke(main, ["rules", "--rules", str(broken), "-f", "json"])
    assert result.exit_code == 3 and "failed to import" in result.output
    explained = CliRunner().invoke(main, ["explain", "ACME-X001", "--rules", str(broken)])
    assert explained.exit_code == 2 and "failed to import" in explained.output
    assert run("rules").exit_code == 0
