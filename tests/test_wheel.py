"""A non-editable install into a fresh venv has every built-in rule, run from elsewhere."""
from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv

import pytest

from .conftest import ROOT, SAMPLES


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    where = tmp_path_factory.mktemp("venv")
    # System site packages provide the dependencies offline; the project itself
    # is installed from a built wheel, not from the source tree.
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(where)
    python = str(where / "bin" / "python")
    # When the tests themselves run in a virtualenv, its packages are not the
    # "system" ones: point the new venv at them too (listed after its own).
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(purelib, "test-dependencies.pth"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(site.getsitepackages()) + "\n")
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), ROOT], check=True, capture_output=True)
    wheel = next(p for p in os.listdir(wheels) if p.endswith(".whl"))
    # --ignore-installed: where the tests run from a plain (non-editable) install, pip would otherwise find
    # wavalidate through the .pth above, call it "already satisfied" and leave the new venv without it.
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--ignore-installed",
                    "-q", str(wheels / wheel)], check=True, capture_output=True)
    return where


def test_wheel_ships_the_builtin_rules(installed, tmp_path, rules):
    command = str(installed / "bin" / "wavalidate")
    origin = subprocess.run([str(installed / "bin" / "python"), "-c",
                             "import wavalidate_rules, wavalidate; print(wavalidate_rules.__file__); "
                             "print(wavalidate.__file__)"], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert all(str(installed) in line for line in origin.stdout.split()), origin.stdout
    listed = subprocess.run([command, "rules", "--format", "json"], cwd=tmp_path, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert [r["code"] for r in json.loads(listed.stdout)] == [r.code for r in rules]
    checked = subprocess.run([command, "check", os.path.join(SAMPLES, "hpc-cluster.yaml"), "--allow-outside-root"], cwd=tmp_path,
                             capture_output=True, text=True)
    assert checked.returncode == 1 and " REL003 " in checked.stdout
