"""Issue 12: a hostile pull request's checkout, checked by the installed command the way action.yml runs it.

The scratch repository plants every file-system trick a pull request controls: inputs and side files
that are symlinks out of the root to a planted secret, a FIFO, a link to /dev/zero, a found
configuration naming files outside the root, and output symlinks where the Action writes its SARIF.
Each run must end within its bound, leak no secret into any output, change no file outside the
outputs, and exit as documented (see docs/security.md).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time

import pytest
import yaml

from .conftest import ROOT, SAMPLES

pytestmark = pytest.mark.skipif(shutil.which("bash") is None or not hasattr(os, "mkfifo"),
                                reason="needs bash and FIFOs")

SECRET = "ghp_H0STILEsecretTOKENabcdef0123456789"
SHADOW = "root:$6$SECRETHASHsaltsaltsalt:19000:0:99999:7:::"
BOUND = 60  # seconds any run may take; a FIFO or /dev/zero read would never end
COMMAND = os.path.join(os.path.dirname(sys.executable), "wavalidate")


def _command() -> str:
    return COMMAND if os.path.exists(COMMAND) else shutil.which("wavalidate") or COMMAND


@pytest.fixture
def hostile(tmp_path):
    """tmp/home: the runner's secrets and files; tmp/repo: the pull request's checkout."""
    home, repo, temp = tmp_path / "home", tmp_path / "repo", tmp_path / "runner-temp"
    for folder in (home, repo / ".git", repo / "infra", temp):
        folder.mkdir(parents=True)
    (home / ".git-credentials").write_text(f"https://ci:{SECRET}@github.com\n")
    (home / "shadow").write_text(SHADOW + "\ndaemon:*:19000:0:99999:7:::\n")
    (home / "victim.txt").write_text("the runner's own file\n")
    (home / "secret.yaml").write_text(f"version: 1\nresources:\n  {SECRET}: {{type: vpc}}\n")
    with open(os.path.join(SAMPLES, "three-tier-web.yaml"), encoding="utf-8") as handle:
        (repo / "infra" / "app.yaml").write_text(handle.read())
    # A name the Action's shell once split into arguments: `--rules=pack.py` ran the pull request's code.
    (repo / "pack.py").write_text(f"open({str(home / 'PWNED')!r}, 'w').write('code from the checkout ran')\n")
    (repo / "--config=pack.yaml").write_text("rules: [pack.py]\n")
    for injected in ("a --rules=pack.py .yaml", "a --config=pack.yaml .yaml"):
        (repo / "infra" / injected).write_text("version: 1\nresources:\n  db: {type: rds_instance, engine: mysql}\n")
    for injected in ("b%0A::error file=x::pwned.yaml", "c\n::warning::pwned\n.yaml"):  # names that write commands
        (repo / "infra" / injected).write_text("version: 1\nresources:\n  db: {type: rds_instance, engine: mysql}\n")
    os.symlink(home / ".git-credentials", repo / "infra" / "x.yaml")
    os.symlink(home / "shadow", repo / "infra" / "shadow.yaml")
    os.symlink("/dev/zero", repo / "infra" / "zero.yaml")
    os.mkfifo(repo / "infra" / "fifo.yaml")
    os.symlink(home, repo / "infra" / "home")                       # a folder link out: infra/home/secret.yaml
    os.symlink(home / "victim.txt", repo / "wavalidate.sarif")     # the Action's default SARIF path
    os.symlink("/dev/zero", repo / "baseline.json")
    os.mkfifo(repo / "waivers.yaml")
    (repo / ".wavalidate.yaml").write_text(
        f"waivers: [{home / 'shadow'}, ../home/.git-credentials, waivers.yaml]\nfail_on: never\n")
    return tmp_path


def _state(top) -> dict:
    """Every file's kind and content (links: their target), to tell what a run changed."""
    seen = {}
    for folder, dirs, names in os.walk(top):
        for name in dirs + names:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                seen[path] = ("link", os.readlink(path))
            elif stat.S_ISREG(mode):
                with open(path, "rb") as handle:
                    seen[path] = ("file", hashlib.sha256(handle.read()).hexdigest())
            else:
                seen[path] = (stat.S_IFMT(mode), None)
    return seen


def _action_step(tmp_path, **inputs) -> subprocess.CompletedProcess:
    """The Action's check step (its bash, from action.yml), with the installed command first on PATH."""
    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as handle:
        step = next(s for s in yaml.safe_load(handle)["runs"]["steps"] if s.get("id") == "check")
    env = {**os.environ, "PATH": f"{os.path.dirname(_command())}{os.pathsep}{os.environ['PATH']}",
           "RUNNER_TEMP": str(tmp_path / "runner-temp"), "GITHUB_OUTPUT": str(tmp_path / "runner-temp" / "output"),
           "GITHUB_STEP_SUMMARY": str(tmp_path / "runner-temp" / "summary"), "FILES": "infra/**/*.yaml",
           "FAIL_ON": "", "CONFIG": "", "BASELINE": "", "WAIVERS": "", "SARIF": "wavalidate.sarif", **inputs}
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path / "repo", env=env, capture_output=True,
                          text=True, timeout=BOUND)


def _outputs(tmp_path) -> str:
    texts = []
    for folder in ("runner-temp", "repo"):
        for name in os.listdir(tmp_path / folder):
            path = tmp_path / folder / name
            if path.is_file() and not path.is_symlink():
                texts.append(path.read_text(errors="replace"))
    return "\n".join(texts)


def _assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in (SECRET, SECRET[:12], "SECRETHASH", "daemon:*"):
            assert secret not in text, f"{secret!r} leaked"


def test_the_action_on_a_hostile_checkout_leaks_nothing_and_changes_nothing(hostile):
    before = _state(hostile)
    started = time.monotonic()
    result = _action_step(hostile, FILES="infra/**/*.yaml *.yaml")
    assert time.monotonic() - started < BOUND
    assert result.returncode == 0, result.stderr  # the step records the code; the Gate step fails the job
    assert (hostile / "runner-temp" / "output").read_text() == "exit-code=2\n"
    _assert_no_secret(result.stdout, result.stderr, _outputs(hostile))
    assert "cannot write 'wavalidate.sarif': it is a symbolic link" in result.stderr  # nothing written
    after = _state(hostile)
    after.pop(str(hostile / "runner-temp" / "output"))  # the step's own record of the exit code
    assert after == before  # the SARIF link, its target and every planted file are as they were
    assert not (hostile / "home" / "PWNED").exists()


def test_the_action_reports_each_planted_input_at_its_path(hostile):
    os.unlink(hostile / "repo" / "wavalidate.sarif")  # so the report is written and can be read
    result = _action_step(hostile, BASELINE="", WAIVERS="")
    sarif = (hostile / "repo" / "wavalidate.sarif").read_text()
    _assert_no_secret(result.stdout, result.stderr, sarif, _outputs(hostile))
    for name, why in (("infra/x.yaml", "leads outside the repository root"),
                      ("infra/shadow.yaml", "leads outside the repository root"),
                      ("infra/zero.yaml", "leads outside the repository root"),
                      ("infra/fifo.yaml", "is a FIFO")):
        lines = [line for line in result.stdout.splitlines() if f"file={name}," in line]
        assert lines and why in lines[0] and "E106" in lines[0], (name, result.stdout)
    assert result.stdout.count("found rather than chosen") == 2  # the config's two waivers outside the root
    assert "waivers.yaml" in result.stdout and "is a FIFO" in result.stdout
    assert (hostile / "runner-temp" / "output").read_text() == "exit-code=2\n"
    assert "REL001" in sarif  # the real file is still checked
    annotations = result.stdout.splitlines()
    assert annotations and all(line.startswith(("::error file=infra/", "::warning file=infra/", "::notice file=infra/",
                                                "::error file=.wavalidate.yaml", "::error file=waivers.yaml",
                                                "::error file=/", "::error file=../"))
                               for line in annotations), annotations  # no name starts a workflow command
    assert "pwned" in result.stdout and "::warning::pwned" not in result.stdout
    assert "file=infra/a --rules=pack.py .yaml," in result.stdout  # one file, not three arguments
    assert not (hostile / "home" / "PWNED").exists()


@pytest.mark.parametrize("inputs, expected", [
    ({"BASELINE": "baseline.json"}, "baseline.json"),
    ({"WAIVERS": "waivers.yaml"}, "waivers.yaml"),
    ({"CONFIG": "waivers.yaml"}, "waivers.yaml"),
    ({"FILES": "infra/home/*.yaml"}, "infra/home/secret.yaml"),
])
def test_side_files_named_by_the_workflow_but_planted_by_the_pull_request(hostile, inputs, expected):
    os.unlink(hostile / "repo" / "wavalidate.sarif")
    before = {k: v for k, v in _state(hostile).items() if "runner-temp" not in k and not k.endswith(".sarif")}
    result = _action_step(hostile, **{"FILES": "infra/app.yaml", **inputs})
    _assert_no_secret(result.stdout, result.stderr, _outputs(hostile))
    assert expected in result.stdout + result.stderr
    assert (hostile / "runner-temp" / "output").read_text() == "exit-code=2\n"
    after = {k: v for k, v in _state(hostile).items() if "runner-temp" not in k and not k.endswith(".sarif")}
    assert after == before


@pytest.mark.parametrize("args", [
    ["render", "infra/fifo.yaml", "-f", "dot"],
    ["import", "cloudformation", "infra/fifo.yaml"],
    ["diff", "infra/fifo.yaml", "infra/app.yaml"],
    ["diff", "infra/app.yaml", "infra/zero.yaml"],
    ["check", "infra/app.yaml", "--requirements", "waivers.yaml"],
    ["check", "infra/app.yaml", "--baseline", "baseline.json", "--allow-outside-root"],
    ["check", "infra/app.yaml", "--format", "json:wavalidate.sarif"],
    ["check", "infra/app.yaml", "--write-baseline", "wavalidate.sarif"],
    ["import", "cloudformation", "infra/app.yaml", "-o", "wavalidate.sarif"],
])
def test_every_command_refuses_planted_files_within_its_bound(hostile, args):
    before = _state(hostile)
    result = subprocess.run([_command(), *args], cwd=hostile / "repo", capture_output=True, text=True,
                            timeout=BOUND)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    _assert_no_secret(result.stdout, result.stderr)
    assert _state(hostile) == before


@pytest.mark.parametrize("name, code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_an_interrupted_run_exits_128_plus_the_signal_not_1(tmp_path, name, code):
    """1 means "findings"; a cancelled CI job must not read as one. /dev/stdin, named by the user, is waited on."""
    (tmp_path / ".git").mkdir()
    process = subprocess.Popen([_command(), "check", "/dev/stdin"], cwd=tmp_path, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until it waits on the pipe, with its handlers installed
            try:
                with open(f"/proc/{process.pid}/wchan", encoding="ascii") as handle:
                    if "pipe" in handle.read():
                        break
            except OSError:
                time.sleep(3)
                break
            time.sleep(0.05)
        process.send_signal(getattr(signal, name))
        _, stderr = process.communicate(timeout=BOUND)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == code, stderr
    assert b"Traceback" not in stderr
