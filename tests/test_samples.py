"""Each sample's findings match its committed snapshot (text and JSON)."""
from __future__ import annotations

import glob
import os

import pytest

from wavalidate.engine import check_files
from wavalidate.formats import render

from .conftest import ROOT, SAMPLES, snapshot

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


def test_output_is_deterministic(rules, monkeypatch):
    monkeypatch.chdir(ROOT)
    files = [os.path.relpath(p, ROOT) for p in SAMPLE_FILES]
    first = render("json", check_files(files, rules))
    assert all(render("json", check_files(files, rules)) == first for _ in range(2))


def test_there_are_the_three_core_samples():
    names = {os.path.basename(p) for p in SAMPLE_FILES}
    assert {"three-tier-web.yaml", "hybrid-network.yaml", "hpc-cluster.yaml"} <= names
