"""Regenerate diagrams/: the picture (PNG) and the DOT of every sample, with its findings.

    python -m wavalidate.render.samples            # from the repository root

The DOT files are byte-for-byte stable across machines, so a test compares them with a fresh build: when
a rule or a sample changes, it fails until this is run again (or WAVALIDATE_UPDATE_SNAPSHOTS=1 pytest).
"""
from __future__ import annotations

import glob
import os
import sys
import time
from typing import Optional, Sequence

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def sample_files(root: str = ROOT) -> list[str]:
    return sorted(glob.glob(os.path.join(root, "samples", "*.yaml")))


def sample_graph(path: str, root: str = ROOT):
    """The render graph of one sample, with the findings of the built-in rules (named relative to root)."""
    from ..engine import file_result
    from ..plugins import load_rules
    from . import build_graph
    relative = os.path.relpath(path, root)
    cwd = os.getcwd()
    os.chdir(root)   # findings and titles name the file as the README does: samples/x.yaml
    try:
        rules, _ = load_rules()
        result = file_result(relative, rules)
        if result.architecture is None:
            raise ValueError(f"{relative} is not a valid architecture; run `wavalidate check {relative}`")
        return build_graph(result.architecture, list(result.findings))
    finally:
        os.chdir(cwd)


def regenerate(root: str = ROOT, formats: Sequence[str] = ("png", "dot"), out: Optional[str] = None) -> list[str]:
    from .drawing import INSTALL_HINT, dot_program, draw
    if dot_program() is None and any(fmt != "dot" for fmt in formats):
        print(f"warning: only the DOT files are regenerated: {INSTALL_HINT}", file=sys.stderr)
        formats = ("dot",)
    folder = out or os.path.join(root, "diagrams")
    written: list[str] = []
    for path in sample_files(root):
        stem = os.path.splitext(os.path.basename(path))[0]
        start = time.perf_counter()
        graph = sample_graph(path, root)
        for fmt in formats:
            written += draw(graph, os.path.join(folder, f"{stem}.{fmt}"), fmt, protect=[path])
        print(f"{os.path.relpath(path, root)}: {time.perf_counter() - start:.2f} s", file=sys.stderr)
    return written


def main() -> None:
    for name in regenerate():
        print(os.path.relpath(name, ROOT))


if __name__ == "__main__":
    main()
