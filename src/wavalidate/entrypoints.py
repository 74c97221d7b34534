"""Entry points of one group, without importlib.metadata's cost when no package declares it.

`importlib.metadata.entry_points()` imports a good part of the standard
library and reads every installed distribution's metadata: 15-25 ms on every
run, a fifth of `wavalidate check` on a small file. Almost always no package
declares a wavalidate group, so the metadata files are first searched for the
group's header; only when one names it (or a path entry cannot be searched
this way, such as a zip file) does importlib.metadata give the answer.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Any, Optional

from .files import Refused, read_regular


@lru_cache(maxsize=1)
def _entry_point_files() -> Optional[tuple[str, ...]]:
    """The text of every entry_points.txt on sys.path; None when some entry cannot be searched."""
    texts = []
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.isfile(folder):
                return None  # a zip or egg file: importlib.metadata knows how to look inside
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                candidate = os.path.join(folder, name, "entry_points.txt")
            elif name.endswith(".egg"):
                candidate = os.path.join(folder, name, "EGG-INFO", "entry_points.txt")
            else:
                continue
            try:  # regular files of a bounded size only: a FIFO here would hang every run
                texts.append(read_regular(candidate, 1 << 20).decode("utf-8", "replace"))
            except Refused:
                continue
    return tuple(texts)


def entry_points(group: str) -> Any:
    """`importlib.metadata.entry_points(group=group)`, or () when no installed package declares the group."""
    texts = _entry_point_files()
    if texts is not None and not any(f"[{group}]" in text for text in texts):
        return ()
    from importlib.metadata import entry_points as scan
    return scan(group=group)
