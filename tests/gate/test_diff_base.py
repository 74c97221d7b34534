"""`wavalidate diff --base REF`: a pull request in a scratch git repository, compared with its base branch."""
from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from click.testing import CliRunner

from wavalidate.cli import main

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="git is not installed")

SHOP = """\
version: 1
name: shop
requirements: {availability: 99.95}
regions:
  eu-west-1:
    azs: [eu-west-1a, eu-west-1b]
resources:
  shop-vpc: {type: vpc, region: eu-west-1, cidr: 10.0.0.0/16, description: the shop}
  app-a: {type: subnet, vpc: shop-vpc, az: eu-west-1a, cidr: 10.0.1.0/24}
  app-b: {type: subnet, vpc: shop-vpc, az: eu-west-1b, cidr: 10.0.2.0/24}
  web-asg:
    type: auto_scaling_group
    subnets: [app-a, app-b]
    instance_type: m6i.large
    min_size: 3
    max_size: 6
"""

NEW = """\
version: 1
name: reports
requirements: {availability: 99.95}
resources:
  reports-db:
    type: rds_instance
    engine: postgres
    multi_az: false
"""


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def pull_request(tmp_path, monkeypatch):
    """main holds infra/shop.yaml; the working tree lowers min_size 3 -> 1 and adds infra/reports.yaml."""
    repo = tmp_path / "repo"
    (repo / "infra").mkdir(parents=True)
    (repo / "infra" / "shop.yaml").write_text(SHOP)
    (repo / "infra" / "ci.yml").write_text("on: [push]\njobs: {}\n")   # YAML that is not an architecture
    (repo / "README.md").write_text("shop\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "infra" / "shop.yaml").write_text(SHOP.replace("min_size: 3", "min_size: 1"))
    (repo / "infra" / "reports.yaml").write_text(NEW)
    (repo / "infra" / "ci.yml").write_text("on: [push, pull_request]\njobs: {}\n")
    monkeypatch.chdir(repo)
    return repo


def diff(*args):
    return CliRunner().invoke(main, ["diff", *args], catch_exceptions=False)


def test_a_pull_request_shows_old_and_new_values_and_the_new_files_findings(pull_request):
    result = diff("--base", "main", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "files: 2 compared: 1 added, 0 deleted, 0 renamed, 1 modified" in out
    assert "  infra/shop.yaml (modified)" in out and "  infra/reports.yaml (added)" in out
    assert "    ~ web-asg (auto_scaling_group): min_size\n        min_size: 3 -> 1" in out
    assert "    + reports-db (rds_instance)" in out
    assert "ci.yml" not in out and "/tmp" not in out      # paths as the repository shows them
    new = [line for line in out.splitlines() if line.startswith("  new ")]
    assert any("infra/reports.yaml" in line and "REL001" in line for line in new)
    ranks = ["critical", "high", "medium", "low", "info"]
    severities = [re.search(r":\d+:\d+: (\w+) ", line).group(1) for line in new]
    assert severities == sorted(severities, key=ranks.index)     # most severe first
    assert "         fix: " in out                                # each new finding with its fix hint
    assert diff("--base", "main").exit_code == 1                  # REL001 is high: fails as `check` would


def test_every_format_shows_the_same_counts(pull_request):
    data = json.loads(diff("--base", "main", "--format", "json", "--fail-on", "never").output)
    counts = data["counts"]
    new, fixed, still = (counts["findings"][k] for k in ("new", "fixed", "still"))
    assert new >= 1 and counts["files"] == 2 and counts["resources"]["changed"] == 1
    text = diff("--base", "main", "--fail-on", "never").output
    assert f"findings: {new} new, {fixed} fixed, {still} still present" in text
    markdown = diff("--base", "main", "--format", "markdown", "--fail-on", "never").output
    assert f"**Findings:** {new} new, {fixed} fixed, {still} still present." in markdown
    assert "`min_size`: 3 → 1" in markdown and "<details" in markdown
    sarif = json.loads(diff("--base", "main", "--format", "sarif", "--fail-on", "never").output)
    import jsonschema

    from ..formats.common import SCHEMA
    with open(SCHEMA, encoding="utf-8") as handle:
        jsonschema.Draft4Validator(json.load(handle)).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == new and all("wavalidate/v1" in r["partialFingerprints"] for r in results)
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} <= {
        "infra/reports.yaml", "infra/shop.yaml"}
    changed = data["files"][[f["head"] for f in data["files"]].index("infra/shop.yaml")]
    assert changed["resources"]["changed"][0]["fields"] == [{"field": "min_size", "old": 3, "new": 1}]


def test_paths_folders_and_globs_choose_the_files(pull_request):
    only = diff("--base", "main", "infra/shop.yaml", "--fail-on", "never").output
    assert "infra/shop.yaml (modified)" in only and "reports.yaml" not in only
    globbed = diff("--base", "main", "infra/rep*.yaml", "--fail-on", "never").output
    assert "infra/reports.yaml (added)" in globbed and "shop.yaml" not in globbed
    folder = diff("--base", "main", "infra", "--fail-on", "never").output
    assert "files: 2 compared" in folder
    nothing = diff("--base", "main", "docs", "--fail-on", "never")
    assert nothing.exit_code == 0 and "no architecture file or template changed" in nothing.output


def test_deleted_and_renamed_files(pull_request):
    git(pull_request, "add", ".")
    git(pull_request, "commit", "-q", "-m", "pr")
    git(pull_request, "mv", "infra/shop.yaml", "infra/store.yaml")
    os.remove(pull_request / "infra" / "reports.yaml")
    result = diff("--base", "HEAD", "--fail-on", "never")
    out = result.output
    assert "infra/shop.yaml -> infra/store.yaml (renamed)" in out and "infra/reports.yaml (deleted)" in out
    assert "    - reports-db (rds_instance)" in out
    assert re.search(r"  fixed  infra/reports\.yaml:\d+:\d+: high REL001", out)   # a deleted file's findings are fixed
    assert "  new " not in out            # a rename brings no new finding


def test_a_bad_ref_is_a_usage_error_and_never_an_option(pull_request):
    for ref in ("no-such-branch", "--output=/tmp/x", "-h"):
        result = CliRunner().invoke(main, ["diff", f"--base={ref}"], catch_exceptions=False)
        assert result.exit_code == 2, (ref, result.output)
        assert "names no commit" in result.output or "is not a git ref" in result.output
    assert not os.path.exists("/tmp/x")


def test_a_base_version_over_the_size_limit_is_never_read(pull_request):
    (pull_request / "infra" / "reports.yaml").write_text(NEW + "#" * 500 + "\n")
    git(pull_request, "add", ".")
    git(pull_request, "commit", "-q", "-m", "pr")
    (pull_request / "infra" / "reports.yaml").write_text(NEW)
    result = diff("--base", "HEAD", "--max-file-size", str(len(NEW) + 4))
    assert result.exit_code == 1, result.output   # the base's error does not hide HEAD's findings: all are new
    assert "E104" in result.output and "in the base" in result.output
    assert re.search(r"  new    infra/reports\.yaml:\d+:\d+: high REL001", result.output)
    assert diff("--base", "HEAD", "--max-file-size", str(len(NEW) + 4), "--fail-on", "never").exit_code == 0


def test_outside_a_repository_it_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = diff("--base", "main")
    assert result.exit_code == 2 and "git rev-parse failed" in result.output


def test_two_files_still_work_and_need_two(pull_request):
    (pull_request / "old.yaml").write_text(SHOP)
    result = diff("old.yaml", "infra/shop.yaml", "--fail-on", "never")
    assert "~ web-asg (auto_scaling_group): min_size" in result.output and "min_size: 3 -> 1" in result.output
    assert diff("old.yaml").exit_code == 2


def test_the_configurations_include_and_exclude_choose_files(pull_request):
    (pull_request / ".wavalidate.yaml").write_text("exclude: ['infra/rep*']\n")
    out = diff("--base", "main", "--fail-on", "never").output
    assert "infra/shop.yaml (modified)" in out and "reports.yaml" not in out
    (pull_request / ".wavalidate.yaml").write_text("include: ['infra/reports.yaml']\n")
    out = diff("--base", "main", "--fail-on", "never").output
    assert "infra/reports.yaml (added)" in out and "shop.yaml" not in out
    (pull_request / ".wavalidate.yaml").write_text("include: 3\n")
    bad = diff("--base", "main")
    assert bad.exit_code == 2 and ".wavalidate.yaml:1:" in bad.output


def test_pictures_before_and_after(pull_request, tmp_path):
    from wavalidate.render.drawing import dot_program
    if dot_program() is None:
        pytest.skip("graphviz is not installed")
    (pull_request / "pictures").mkdir()
    result = diff("--base", "main", "--pictures", "pictures", "--format", "markdown", "--fail-on", "never",
                  "--artifact-url", "https://ci.example/runs/1")
    drawn = sorted(os.listdir(pull_request / "pictures"))
    assert drawn == ["infra__reports.after.svg", "infra__shop.after.svg", "infra__shop.before.svg"]
    assert "](https://ci.example/runs/1/pictures/infra__shop.before.svg)" in result.output


def test_report_with_base_shows_the_changes(pull_request):
    result = CliRunner().invoke(main, ["report", "infra/shop.yaml", "infra/reports.yaml", "-o", "review.html",
                                       "--base", "main"], catch_exceptions=False)
    assert result.exit_code == 1
    page = (pull_request / "review.html").read_text()
    changes = page[page.index('id="diff"'):]
    assert "Changes since <code>main</code>" in changes and "<code>min_size</code> 3 → 1" in changes
    assert "<code>infra/reports.yaml</code> (added)" in changes


def test_from_a_subfolder_paths_are_relative_to_it_and_names_to_the_repository(pull_request, monkeypatch):
    (pull_request / "other").mkdir()
    (pull_request / "other" / "x.yaml").write_text(NEW.replace("reports", "x"))
    monkeypatch.chdir(pull_request / "infra")
    here = diff("--base", "main", ".", "--fail-on", "never").output
    assert "infra/shop.yaml (modified)" in here and "infra/reports.yaml (added)" in here and "other/" not in here
    everything = diff("--base", "main", "--fail-on", "never").output
    assert "other/x.yaml (added)" in everything
    one = diff("--base", "main", "shop.yaml", "--fail-on", "never").output
    assert "files: 1 compared" in one and "infra/shop.yaml (modified)" in one
