"""Each sample's findings match its committed snapshot (text and JSON)."""
from __future__ import annotations

import glob
import os

import pytest

from wavalidate.engine import check_files
from wavalidate.formats import render

from .conftest import ROOT, SAMPLES, snapshot, under_another_hash_seed

SAMPLE_FILES = sorted(glob.glob(os.path.join(SAMPLES, "*.yaml")))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=os.path.basename)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_sample_snapshot(path, fmt, rules, monkeypatch):
    monkeypatch.chdir(ROOT)  # findings name files relative to the repository
    relative = os.path.relpath(path, ROOT)
    report = check_files([relative], rules)
    assert not [f for f in report.findings if not f.pillar], "samples must be valid"
    name = os.path.basename(path)[:-5]
    snapshot(os.path.join(ROOT, "tests", "snapshots", f"{name}.{fmt}"), render(fmt, report))


def test_output_is_the_same_under_another_hash_seed(rules, monkeypatch):
    monkeypatch.chdir(ROOT)
    files = [os.path.relpath(p, ROOT) for p in SAMPLE_FILES]
    ours = render("json", check_files(files, rules)) + render("text", check_files(files, rules))
    theirs = under_another_hash_seed(
        "import sys\n"
        "from wavalidate.engine import check_files\n"
        "from wavalidate.formats import render\n"
        "from wavalidate.plugins import load_rules\n"
        f"files, rules = {files!r}, load_rules()[0]\n"
        "sys.stdout.buffer.write((render('json', check_files(files, rules))\n"
        "                         + render('text', check_files(files, rules))).encode('utf-8'))\n")
    assert theirs == ours.encode("utf-8")


def test_there_are_the_three_core_samples():
    names = {os.path.basename(p) for p in SAMPLE_FILES}
    assert {"three-tier-web.yaml", "hybrid-network.yaml", "hpc-cluster.yaml"} <= names
