"""Architecture pictures: `build_graph` makes plain data, `draw` (the only user of `diagrams`) draws it.

Importing this package imports neither `diagrams` nor graphviz; `draw` does, when called.
"""
from __future__ import annotations

import os
from typing import Optional, Sequence

from ..findings import Finding
from ..loader import DEFAULT_LIMITS, Limits
from ..model import Architecture
from ..schema import validate
from .graph import Cluster, Edge, Graph, LegendEntry, Node, build_graph

FORMATS = ("png", "svg", "pdf", "dot")


def format_of(path: str, default: str = "png") -> str:
    """The output format a file name asks for (by extension)."""
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    return ext if ext in FORMATS else default


def picture_format(path: str, fmt: Optional[str] = None, can_choose: bool = False) -> str:
    """The format to draw `path` in, or ValueError when the name and the format disagree: `arch.gif` (which
    would silently hold a PNG) or `arch.png` with `--format svg`. A name without an extension takes `fmt`."""
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if fmt and ext in FORMATS and ext != fmt:
        raise ValueError(f"'{path}' names a .{ext} file but the format is {fmt}; make them agree")
    if not fmt and ext and ext not in FORMATS:
        raise ValueError(f"cannot tell the picture format of '{path}': name it .png, .svg, .pdf or .dot"
                         + (", or give --format" if can_choose else ""))
    return fmt or format_of(path)


def load_architecture(path: str, limits: Limits = DEFAULT_LIMITS) -> Optional[Architecture]:
    """The architecture in a file, or None when it does not load or validate (`check` reports why)."""
    from ..inputs import load_document   # architecture files and CloudFormation templates alike
    from ..loader import LoadError
    try:
        document = load_document(path, limits)
    except LoadError:
        return None
    # as the engine does: a required value known only at deploy time (a template's !Ref) is not missing
    if [p for p in validate(document.data) if p.path[:3] not in document.unknown]:
        return None
    return Architecture(document.data, document.name, document.unknown)


def draw(graph: Graph, path: str, fmt: Optional[str] = None, protect: Sequence[str] = (),
         split: str = "auto") -> list[str]:
    """Draw a graph to a file (imports `diagrams` now, not before). Returns the files written."""
    from .drawing import draw as _draw
    return _draw(graph, path, fmt, protect, split)


def render_file(path: str, output: str, findings: Optional[Sequence[Finding]] = (), fmt: Optional[str] = None,
                split: str = "auto", limits: Limits = DEFAULT_LIMITS, protect: Sequence[str] = ()) -> list[str]:
    """Load, build and draw one architecture file; `findings=None` draws it without findings."""
    arch = load_architecture(path, limits)
    if arch is None:
        raise ValueError(f"{path} is not a valid architecture (run `wavalidate check {path}`)")
    return draw(build_graph(arch, findings), output, fmt, protect=[path, *protect], split=split)


def draw_report(file: str, report_findings: Sequence[Finding], output: str, with_findings: bool = True,
                fmt: Optional[str] = None, split: str = "auto", limits: Limits = DEFAULT_LIMITS,
                protect: Sequence[str] = ()) -> list[str]:
    """Draw one checked file with its findings from a report (those of other files are left out)."""
    findings = [f for f in report_findings if f.file == file] if with_findings else None
    return render_file(file, output, findings, fmt, split, limits, protect)


__all__ = ["Cluster", "Edge", "Graph", "LegendEntry", "Node", "build_graph", "draw", "format_of",
           "load_architecture", "render_file", "draw_report", "FORMATS", "picture_format"]
