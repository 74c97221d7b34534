"""Shared fixtures: the built-in rules and a helper to check YAML text."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from wavalidate.engine import check_text
from wavalidate.plugins import load_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")
UPDATE = bool(os.environ.get("WAVALIDATE_UPDATE_SNAPSHOTS"))


@pytest.fixture(scope="session")
def rules():
    found, errors = load_rules()
    assert not errors, errors
    return found


def check(text: str, rules, codes=None):
    """Findings for dedented YAML text, optionally only those of some rule codes."""
    findings = check_text(textwrap.dedent(text), rules)
    return [f for f in findings if codes is None or f.code in codes]


def snapshot(path: str, actual: str) -> None:
    """Compare with a committed snapshot; WAVALIDATE_UPDATE_SNAPSHOTS=1 rewrites it."""
    if UPDATE or not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(actual)
        if not UPDATE:
            pytest.fail(f"snapshot {path} was missing and has been written; run again")
    with open(path, encoding="utf-8") as handle:
        expected = handle.read()
    assert actual == expected, f"{path} differs; refresh with WAVALIDATE_UPDATE_SNAPSHOTS=1 if intended"


def under_another_hash_seed(code: str) -> bytes:
    """What `code` writes to stdout in a fresh interpreter (in ROOT, `tests` importable) whose string hashes,
    and so set and frozenset order, differ from this one's. Comparing it with this process's output catches
    output that follows PYTHONHASHSEED, which two calls in one process never can."""
    ours = os.environ.get("PYTHONHASHSEED", "random")
    seed = str(int(ours) + 1) if ours.isdigit() else "0"   # 0 turns randomisation off: not this run's seed
    probe = "import sys; sys.stdout.buffer.write(repr(hash('wavalidate')).encode() + b'\\n')\n"
    done = subprocess.run([sys.executable, "-c", probe + code], cwd=ROOT, capture_output=True, timeout=300,
                          env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": ROOT})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    theirs, _, out = done.stdout.partition(b"\n")
    assert int(theirs) != hash("wavalidate"), "the child process hashes as this one does"
    return out
