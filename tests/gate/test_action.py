"""The composite GitHub Action: its shape, and its check step run locally as the runner would."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from ..conftest import ROOT
from .test_suppress import RULES_FILE


def action() -> dict:
    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_action_is_a_composite_with_the_documented_inputs():
    spec = action()
    assert spec["runs"]["using"] == "composite"
    assert {"files", "fail-on", "config", "baseline"} <= set(spec["inputs"])
    steps = spec["runs"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "inputs must reach scripts through env, not be pasted in"


def _command_on_path(tmp_path):
    """A `wavalidate` command for this interpreter, in a folder to put first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "wavalidate").write_text(f"#!/bin/sh\nexec {sys.executable} -m wavalidate \"$@\"\n")
    (bin_dir / "wavalidate").chmod(0o755)
    return bin_dir


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_check_step_writes_sarif_summary_annotations_and_exit_code(tmp_path):
    step = next(s for s in action()["runs"]["steps"] if s.get("id") == "check")
    (tmp_path / "arch").mkdir()
    (tmp_path / "arch" / "a.yaml").write_text(
        "version: 1\nresources:\n  db: {type: rds_instance, engine: postgres, multi_az: false}\n")
    (tmp_path / ".wavalidate.yaml").write_text(f"rules: ['{RULES_FILE}']\nselect: [REL998]\n")
    bin_dir = _command_on_path(tmp_path)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "RUNNER_TEMP": str(tmp_path),
           "GITHUB_OUTPUT": str(tmp_path / "output"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
           "FILES": "arch/**/*.yaml", "FAIL_ON": "", "CONFIG": ".wavalidate.yaml", "BASELINE": "", "WAIVERS": "",
           "SARIF": "wavalidate.sarif"}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "::error file=arch/a.yaml,line=3," in result.stdout
    assert (tmp_path / "output").read_text() == "exit-code=1\n"
    assert (tmp_path / "summary").read_text().startswith("## wavalidate")
    assert '"version": "2.1.0"' in (tmp_path / "wavalidate.sarif").read_text()

    env["FAIL_ON"] = "never"
    (tmp_path / "output").unlink()
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, timeout=300)
    assert (tmp_path / "output").read_text() == "exit-code=0\n"
    env["FILES"] = "nothing/*.yaml"
    (tmp_path / "output").unlink()
    missing = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True,
                             text=True, timeout=300)
    assert "::error::no file matches" in missing.stdout and (tmp_path / "output").read_text() == "exit-code=2\n"


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("git") is None, reason="needs bash and git")
def test_review_step_writes_the_diff_against_the_base_to_the_summary(tmp_path):
    step = next(s for s in action()["runs"]["steps"] if s.get("id") == "review")
    assert "diff-base" in action()["inputs"] and "review-file" in action()["inputs"]
    (tmp_path / "arch").mkdir()
    arch = tmp_path / "arch" / "a.yaml"
    arch.write_text("version: 1\nresources:\n  db: {type: rds_instance, engine: postgres, multi_az: true}\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run(git + command, cwd=tmp_path, check=True, capture_output=True)
    arch.write_text(arch.read_text().replace("multi_az: true", "multi_az: false"))
    bin_dir = _command_on_path(tmp_path)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "RUNNER_TEMP": str(tmp_path),
           "GITHUB_OUTPUT": str(tmp_path / "output"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
           "FILES": "arch/**/*.yaml", "BASE": "main", "CONFIG": "", "REVIEW": "review.md"}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    review = (tmp_path / "review.md").read_text()
    assert review.startswith("## wavalidate diff: `main`") and "`multi_az`: true → false" in review
    assert (tmp_path / "summary").read_text() == review
    assert (tmp_path / "output").read_text() == "review-file=review.md\n"
