"""The precision corpus (benchmarks/precision): precision and recall at medium and above stay at 0.95 or more."""
from __future__ import annotations

import importlib.util
import os
import sys

from .conftest import ROOT

SCORE = os.path.join(ROOT, "benchmarks", "precision", "score.py")


def _score_module():
    spec = importlib.util.spec_from_file_location("precision_score", SCORE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_corpus_has_thirty_architectures_each_with_expectations():
    score = _score_module()
    paths = score.architectures()
    assert len(paths) >= 30
    assert all(os.path.isfile(p[:-5] + ".expect.yaml") for p in paths)


def test_precision_and_recall_at_medium_and_above():
    scores = _score_module().score()
    medium = scores["medium"]
    assert medium.wanted >= 20, "the corpus plants problems, so recall means something"
    assert medium.precision >= 0.95, medium.false_positives
    assert medium.recall >= 0.95, medium.misses


def test_the_score_script_prints_both_floors(capsys):
    assert _score_module().main([]) == 0
    out = capsys.readouterr().out
    assert "medium and above" in out and "all severities" in out and "recall" in out
