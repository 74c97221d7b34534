"""The pre-commit hook runs in a test repository.

pre-commit builds a `language: python` hook's environment by pip-installing
the hook repository, which needs a package index. The fast test runs the
hook exactly as declared in .pre-commit-hooks.yaml (same entry, files
pattern and types) as a `repo: local` hook with `language: system`, against
the wavalidate installed here. WAVALIDATE_SLOW_TESTS=1 also runs
`pre-commit try-repo` on a copy of this repository, as a user would.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from ..conftest import ROOT

PRE_COMMIT = shutil.which("pre-commit")
pytestmark = pytest.mark.skipif(PRE_COMMIT is None or shutil.which("git") is None,
                                reason="pre-commit and git are needed")

CLEAN = "version: 1\nresources:\n  v:\n    type: vpc\n    cidr: 10.0.0.0/16\n"
BROKEN = "version: 1\nresources:\n  v: {type: vpc, cidr: 10.0.0.0/16, ipv6: maybe}\n"


def hook() -> dict:
    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8") as handle:
        hooks = yaml.safe_load(handle)
    assert [h["id"] for h in hooks] == ["wavalidate"]
    return hooks[0]


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def pre_commit(repo, home, *args):
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([PRE_COMMIT, *args], cwd=repo, capture_output=True, text=True, env=env, timeout=600)


def test_hook_definition_matches_architecture_files_only():
    pattern = re.compile(hook()["files"])
    for name in ("architecture.yaml", "infra/architecture.yml", "architecture/web.yaml", "architectures/a/b.yaml",
                 "shop.arch.yaml", "deploy/shop.arch.yml"):
        assert pattern.search(name), name
    for name in (".github/workflows/ci.yml", "docker-compose.yaml", "architecture.json", "myarchitecture.yaml"):
        assert not pattern.search(name), name
    assert hook()["entry"] == "wavalidate check"


def test_hook_runs_in_a_test_repository(tmp_path):
    definition = hook()
    repo = tmp_path / "repo"
    (repo / "architecture").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / "architecture" / "web.yaml").write_text(CLEAN)
    (repo / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")  # not an architecture
    entry = definition["entry"].replace("wavalidate", f"{sys.executable} -m wavalidate", 1)
    config = {"repos": [{"repo": "local", "hooks": [{
        "id": definition["id"], "name": definition["name"], "entry": entry, "language": "system",
        "files": definition["files"], "types": definition["types"],
        "require_serial": definition["require_serial"]}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    # Read from the repository root, where pre-commit runs hooks; keeps new built-in rules from failing the test.
    (repo / ".wavalidate.yaml").write_text("fail_on: never\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    passed = pre_commit(repo, tmp_path / "home", "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    (repo / "shop.arch.yaml").write_text(BROKEN)
    git(repo, "add", "-A")
    failed = pre_commit(repo, tmp_path / "home", "run", "--all-files")
    assert failed.returncode == 1
    assert "shop.arch.yaml:3:43: error E201" in failed.stdout, failed.stdout
    assert "ci.yml" not in failed.stdout


@pytest.mark.skipif(not os.environ.get("WAVALIDATE_SLOW_TESTS"), reason="set WAVALIDATE_SLOW_TESTS=1 (needs pip)")
def test_try_repo_installs_and_runs_the_hook(tmp_path):
    source = tmp_path / "wavalidate"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "*.egg-info", "__pycache__", "build"))
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, "commit", "-qm", "snapshot")
    repo = tmp_path / "user"
    repo.mkdir()
    (repo / "architecture.yaml").write_text(CLEAN)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    result = pre_commit(repo, tmp_path / "home", "try-repo", str(source), "wavalidate", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
