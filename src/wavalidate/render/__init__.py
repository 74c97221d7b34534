"""Architecture pictures: `build_graph` makes plain data, `draw` (the only user of `diagrams`) draws it.

Importing this package imports neither `diagrams` nor graphviz; `draw` does, when called.
"""
from __future__ import annotations

import os
from typing import Optional, Sequence

from ..findings import Report
from .graph import DETAILS, VIEWS, Cluster, Edge, Graph, LegendEntry, Node, build_graph

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


def picture_targets(files: Sequence[str], output: Optional[str], output_dir: Optional[str], fmt: str) -> dict[str, str]:
    """Where `wavalidate render` draws each file: `output`, or the file's name with `fmt`'s extension (in
    `output_dir`, else beside the file). ValueError when two files would be drawn to one picture."""
    targets = {file: output or os.path.join(output_dir or os.path.dirname(file) or ".",
                                            f"{os.path.splitext(os.path.basename(file))[0]}.{fmt}")
               for file in files}
    seen: dict[str, str] = {}
    for file, target in targets.items():  # `a/app.yaml` and `b/app.json` would both draw app.png
        key = os.path.normcase(os.path.realpath(target))
        if key in seen:
            raise ValueError(f"'{seen[key]}' and '{file}' would both be drawn to '{target}'; "
                             "render them separately with --output")
        seen[key] = file
    return targets


def draw(graph: Graph, path: str, fmt: Optional[str] = None, protect: Sequence[str] = (),
         split: str = "auto") -> list[str]:
    """Draw a graph to a file (imports `diagrams` now, not before). Returns the files written."""
    from .drawing import draw as _draw
    return _draw(graph, path, fmt, protect, split)


def draw_report(report: Report, file: str, output: str, with_findings: bool = True, fmt: Optional[str] = None,
                split: str = "auto", protect: Sequence[str] = (), detail: str = "network",
                view: str = "all") -> list[str]:
    """Draw one checked file of a report, as the rules saw it, with its findings (not those of other files).

    `detail`: overview (each VPC one node), network (the default: flows, tiers, data stores, edge and hybrid
    links; secondary resources listed under the picture) or full. `view`: all, network, security or data."""
    arch = report.result(file).architecture
    if arch is None:
        raise ValueError(f"{file} is not a valid architecture (run `wavalidate check {file}`)")
    # A composed architecture (compose.py) carries the findings of every file in it; each names its resource.
    together = {name for name, result in report.results.items() if result._architecture is arch} | {file}
    findings = [f for f in report.findings if f.file in together] if with_findings else None
    graph = build_graph(arch, findings, detail, view)
    return draw(graph, output, fmt, protect=[file, *protect], split="never" if detail == "overview" else split)


__all__ = ["DETAILS", "VIEWS", "Cluster", "Edge", "Graph", "LegendEntry", "Node", "build_graph", "draw", "format_of",
           "draw_report", "FORMATS", "picture_format", "picture_targets"]
