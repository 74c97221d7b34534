"""Drawing a render graph with the `diagrams` package: the only module that imports it."""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from typing import Any, Optional, Sequence

from ..findings import RANK
from .graph import SEVERITY_COLOURS, Cluster, Edge, Graph, Node, type_label
from .icons import icon_class
from .labels import dot_id, html, wrap
from .split import GROUP_ABOVE, MAX_NODES, plan

FORMATS = ("png", "svg", "pdf", "dot")
FONT = "DejaVu Sans"
INSTALL_HINT = ("wavalidate render needs the graphviz `dot` program and fonts: "
                "apt-get install graphviz fonts-dejavu-core (macOS: brew install graphviz)")
# cairo, and so graphviz, cannot make a bitmap wider or taller than this; beyond it graphviz scales the
# picture down ("Scaling to fit") into something unreadable. We split or refuse instead.
BITMAP_LIMIT = 32767
DPI = 96
LAYOUT_TIMEOUT = 120   # seconds for one `dot` run
LEGEND_ROWS = 25

CLUSTER_STYLE = {   # kind -> (pen colour, background, style)
    "account": ("#E7157B", "#FFFFFF", "solid"),   # AWS's account group colour
    "region": ("#147EBA", "#FFFFFF", "dashed"),
    "vpc": ("#248814", "#F4FAF2", "solid"),
    "az": ("#147EBA", "#FFFFFF", "dashed"),
    "subnet": ("#7AA116", "#F2F7E6", "solid"),
    "global": ("#545B64", "#F7F7F7", "solid"),
    "onprem": ("#7D8998", "#FAF6EF", "solid"),
}
PRIVATE_SUBNET = ("#00A4A6", "#E6F6F7", "solid")


class RenderError(Exception):
    """Rendering cannot go on: the message says why and what to do."""


class DotMissing(RenderError):
    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


def dot_program() -> Optional[str]:
    return shutil.which("dot")


def icon_root() -> str:
    """Where the `diagrams` package keeps its icons; DOT names icons relative to it."""
    import diagrams
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(diagrams.__file__))), "resources")


def icon_path(type_name: str, variant: str = "") -> Optional[str]:
    """The icon of a resource type, relative to `icon_root()` ("aws/network/nat-gateway.png")."""
    dotted = icon_class(type_name, variant)
    if dotted is None:
        return None
    import importlib
    module, _, name = dotted.rpartition(".")
    cls = getattr(importlib.import_module(f"diagrams.{module}"), name, None)
    if cls is None or not getattr(cls, "_icon", None):
        return None
    relative = os.path.join(cls._icon_dir, cls._icon)
    parts = relative.replace(os.sep, "/").split("/")
    return "/".join(parts[1:] if parts and parts[0] == "resources" else parts)


# -- labels -------------------------------------------------------------------

def _badge(count: int, colour: str) -> str:
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="3" CELLSPACING="0" BGCOLOR="{colour}" STYLE="ROUNDED">'
            f'<TR><TD><FONT COLOR="white" POINT-SIZE="11"><B>{count}</B></FONT></TD></TR></TABLE>')


def node_label(node: Node, large: bool = False) -> str:
    colour = SEVERITY_COLOURS.get(node.severity or "", "")
    icon = icon_path(node.type, node.variant) if node.type else None
    size = 40 if large else 48
    if icon:
        picture = f'<TD FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}"><IMG SRC="{html(icon)}" SCALE="TRUE"/></TD>'
    else:   # no icon for this type: a plain box with the type written on it
        picture = (f'<TD HEIGHT="{size}" BGCOLOR="#E9EBED" STYLE="ROUNDED"><FONT POINT-SIZE="9" COLOR="#232F3E">'
                   f'{html(wrap(node.type or "resource", 14))}</FONT></TD>')
    badge = _badge(node.findings, colour) if node.findings and colour else ""
    name = html(wrap(node.label, 24))
    detail = html(wrap(node.detail, 30)) if node.detail else ""
    if node.stub:
        return (f'<<TABLE BORDER="1" STYLE="DASHED,ROUNDED" COLOR="#7D8998" CELLBORDER="0" CELLPADDING="2">'
                f'<TR><TD><FONT COLOR="#545B64">{name}</FONT></TD></TR>'
                f'<TR><TD><FONT POINT-SIZE="9" COLOR="#7D8998">{detail}</FONT></TD></TR></TABLE>>')
    border = f'BORDER="3" COLOR="{colour}"' if colour else 'BORDER="0"'
    rows = [f'<TR><TD WIDTH="22"></TD>{picture}<TD WIDTH="22" VALIGN="TOP">{badge}</TD></TR>',
            f'<TR><TD COLSPAN="3"><B>{name}</B></TD></TR>']
    if detail:
        rows.append(f'<TR><TD COLSPAN="3"><FONT POINT-SIZE="9" COLOR="#545B64">{detail}</FONT></TD></TR>')
    return (f'<<TABLE {border} STYLE="ROUNDED" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
            + "".join(rows) + "</TABLE>>")


def cluster_label(cluster: Cluster) -> str:
    colour = SEVERITY_COLOURS.get(cluster.severity or "", "")
    text = f"<B>{html(cluster.label)}</B>"
    if cluster.detail:
        text += f'  <FONT POINT-SIZE="10" COLOR="#545B64">{html(cluster.detail)}</FONT>'
    badge = f"<TD>{_badge(cluster.findings, colour)}</TD>" if cluster.findings and colour else ""
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1"><TR><TD>{text}</TD>{badge}'
            "</TR></TABLE>>")


def legend_label(graph: Graph) -> str:
    """The title and, when findings are drawn, one row per finding (the legend) under the picture."""
    rows = [f'<TR><TD ALIGN="LEFT" COLSPAN="4"><FONT POINT-SIZE="16"><B>{html(graph.title, 80)}</B></FONT></TD></TR>']
    notes = [graph.note] if graph.note else []
    if graph.omitted:
        notes.append("not drawn (configuration): " + ", ".join(f"{count} {type_label(kind)}"
                                                               for kind, count in graph.omitted))
    for note in notes:
        rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="4"><FONT POINT-SIZE="9" COLOR="#545B64">'
                    f'{html(wrap(note, 110))}</FONT></TD></TR>')
    if graph.findings_shown:
        if not graph.legend:
            rows.append('<TR><TD ALIGN="LEFT" COLSPAN="4"><FONT COLOR="#248814">No findings.</FONT></TD></TR>')
        else:
            counts: dict[str, int] = {}
            for entry in graph.legend:
                counts[entry.severity] = counts.get(entry.severity, 0) + 1
            summary = ", ".join(f"{n} {sev}" for sev, n in sorted(counts.items(), key=lambda kv: RANK[kv[0]]))
            rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="4"><B>Findings</B> ({html(summary)}): outlined resources, '
                        "badges count findings; coloured edges are links a finding is about</TD></TR>")
            for entry in graph.legend[:LEGEND_ROWS]:
                colour = SEVERITY_COLOURS[entry.severity]
                rows.append(
                    f'<TR><TD BGCOLOR="{colour}" ALIGN="LEFT"><FONT COLOR="white" POINT-SIZE="10"><B> '
                    f'{html(entry.severity)} </B></FONT></TD>'
                    f'<TD ALIGN="LEFT"><B>{html(entry.code)}</B></TD>'
                    f'<TD ALIGN="LEFT">{html(wrap(entry.resource, 30))}</TD>'
                    f'<TD ALIGN="LEFT" BALIGN="LEFT">{html(wrap(entry.message, 100), 1200)}</TD></TR>')
            if len(graph.legend) > LEGEND_ROWS:
                rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="4">… and {len(graph.legend) - LEGEND_ROWS} more '
                            "(see `wavalidate check`)</TD></TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="2">' + "".join(rows) + "</TABLE>>")


def edge_attrs(edge: Edge) -> dict[str, str]:
    attrs = {"fontname": FONT, "fontsize": "10", "fontcolor": "#232F3E"}
    if edge.kind == "layout":
        return {"style": "invis", "arrowhead": "none"}
    if edge.kind == "placement":
        return {"style": "dotted", "arrowhead": "none", "color": "#9AA4AE", "penwidth": "1.2"}
    if edge.kind == "flow":
        attrs.update(color="#232F3E", penwidth="1.6")
    elif edge.kind == "reference":
        attrs.update(color="#7D8998", penwidth="1.2")
    else:
        attrs.update(color="#A7B0BA", style="dashed", penwidth="1.0", arrowsize="0.7")
    if not edge.constraint:
        attrs["constraint"] = "false"
    if edge.severity:
        attrs.update(color=SEVERITY_COLOURS[edge.severity], penwidth="3", fontcolor=SEVERITY_COLOURS[edge.severity])
    if edge.label:
        attrs["label"] = f"<{html(edge.label, 40)}>"
    return attrs


# -- DOT ----------------------------------------------------------------------

def to_dot(graph: Graph, large: bool = False) -> str:
    """The DOT source of a graph, built with `diagrams`. Stable: ids come from names and cluster paths,
    icons are named relative to `icon_root()` (pass `-Gimagepath=...` to `dot`)."""
    from diagrams import Cluster as DCluster
    from diagrams import Diagram, setcluster, setdiagram
    from diagrams import Edge as DEdge
    from diagrams import Node as DNode

    class Canvas(Diagram):
        """A diagram that leaves laying out and writing to us (diagrams would render on exit)."""

        def __exit__(self, *exc) -> None:
            setdiagram(None)

    graph_attr = {
        "label": legend_label(graph), "labelloc": "b", "labeljust": "l", "fontname": FONT, "fontsize": "12",
        "pad": "0.4", "nodesep": "0.35" if large else "0.5", "ranksep": "0.6" if large else "0.9",
        "splines": "polyline" if large else "spline", "newrank": "true", "compound": "true", "dpi": str(DPI),
        "rankdir": "LR", "outputorder": "edgesfirst",
    }
    node_attr = {"shape": "plain", "style": "", "fixedsize": "false", "width": "0", "height": "0",
                 "fontname": FONT, "fontsize": "11", "imagescale": "false", "labelloc": "c", "margin": "0"}
    canvas = Canvas("wavalidate", filename="wavalidate", direction="LR", outformat="png", show=False,
                    graph_attr=graph_attr, node_attr=node_attr, edge_attr={"fontname": FONT})
    canvas.dot.graph_attr["label"] = legend_label(graph)   # diagrams set it to the (unescaped) name
    canvas.dot.graph_attr["splines"] = graph_attr["splines"]

    children: dict[str, list[Cluster]] = {}
    for cluster in graph.clusters:
        children.setdefault(cluster.parent, []).append(cluster)
    known = {c.id for c in graph.clusters}
    members: dict[str, list[Node]] = {}
    for node in graph.nodes:
        members.setdefault(node.cluster if node.cluster in known else "", []).append(node)
    made: dict[str, Any] = {}  # diagrams.Node; the package has no types
    pinned = {e.target for e in graph.edges if e.kind == "placement"}
    pins: dict[str, tuple[str, str]] = {}

    def draw_nodes(cluster_id: str) -> None:
        for node in members.get(cluster_id, ()):
            made[node.id] = DNode(node_label(node, large), nodeid=dot_id(node.id))

    def draw_cluster(cluster: Cluster) -> None:
        pen, fill, style = CLUSTER_STYLE.get(cluster.kind, ("#7D8998", "#FFFFFF", "solid"))
        if cluster.kind == "subnet" and "private" in cluster.detail:
            pen, fill, style = PRIVATE_SUBNET
        attrs = {"pencolor": pen, "bgcolor": fill, "style": f"rounded,{style}", "fontname": FONT,
                 "labeljust": "l", "labelloc": "t", "penwidth": "1.5", "margin": "12"}
        if cluster.severity:
            attrs.update(pencolor=SEVERITY_COLOURS[cluster.severity], penwidth="3", style="rounded")
        with DCluster("", graph_attr=attrs) as box:
            # ids from paths: same-label siblings stay apart
            box.dot.name = dot_id(f"cluster_{cluster.id}", endpoint=False)
            box.dot.graph_attr["label"] = cluster_label(cluster)
            draw_nodes(cluster.id)
            if cluster.resource in pinned or (not members.get(cluster.id) and not children.get(cluster.id)):
                # graphviz drops empty boxes; a point keeps an empty subnet on the picture, and ends the
                # dotted lines of resources that run in it
                pin = dot_id(f"pin:{cluster.id}")
                box.dot.node(pin, label="", shape="point", style="invis", width="0.3")
                pins[cluster.resource] = (pin, dot_id(f"cluster_{cluster.id}", endpoint=False))
            for child in children.get(cluster.id, ()):
                draw_cluster(child)

    with canvas:
        draw_nodes("")
        for cluster in children.get("", ()):
            draw_cluster(cluster)
        setcluster(None)
        for edge in graph.edges:
            if edge.kind == "placement" and edge.source in made and edge.target in pins:
                pin, box_id = pins[edge.target]
                canvas.dot.edge(made[edge.source].nodeid, pin, lhead=box_id, **edge_attrs(edge))
            elif edge.source in made and edge.target in made:
                canvas.connect(made[edge.source], made[edge.target], DEdge(forward=True, **edge_attrs(edge)))
    return canvas.dot.source


# -- running graphviz -----------------------------------------------------------

def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise RenderError("graphviz did not produce a PNG")
    return struct.unpack(">II", data[16:24])


def run_dot(source: str, fmt: str) -> bytes:
    """Lay out and draw DOT source with graphviz; a scaled-down bitmap is an error, never a result."""
    program = dot_program()
    if program is None:
        raise DotMissing()
    try:
        done = subprocess.run([program, f"-T{fmt}", f"-Gimagepath={icon_root()}"], input=source.encode("utf-8"),
                              capture_output=True, timeout=LAYOUT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"graphviz took over {LAYOUT_TIMEOUT} s to lay this out; try --split always") from None
    warnings = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or not done.stdout:
        raise RenderError(f"graphviz failed: {warnings.strip() or 'no output'}")
    if "Scaling" in warnings or "too large" in warnings:
        raise TooLarge(f"graphviz would scale the picture down: {warnings.strip()}")
    if fmt == "png":
        width, height = png_size(done.stdout)
        if max(width, height) >= BITMAP_LIMIT:
            raise TooLarge(f"the picture would be {width}×{height} px, over the {BITMAP_LIMIT} px bitmap limit")
    if fmt == "pdf":
        return fixed_pdf_dates(done.stdout)
    return done.stdout


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})")


def fixed_pdf_dates(data: bytes) -> bytes:
    """The same PDF for the same drawing: cairo stamps the time of the run, which we replace with
    SOURCE_DATE_EPOCH (or 1970-01-01), digit for digit so that the cross-reference offsets still hold."""
    import datetime
    try:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
        stamp = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y%m%d%H%M%S").encode()
    except (ValueError, OverflowError, OSError):
        stamp = b""
    if len(stamp) != 14:  # an unusable SOURCE_DATE_EPOCH: the epoch
        stamp = b"19700101000000"
    return _PDF_DATE.sub(lambda m: m.group(0)[:-14] + stamp, data)


def inline_icons(svg: bytes) -> bytes:
    """Embed the icons an SVG names (relative to the icon folder) as data URIs, so the file stands alone."""
    import base64
    import re
    root = os.path.realpath(icon_root())
    cache: dict[bytes, bytes] = {}

    def embed(match: "re.Match[bytes]") -> bytes:
        name = match.group(2)
        if name not in cache:
            path = os.path.realpath(os.path.join(root, name.decode("utf-8", "replace")))
            if not path.startswith(root + os.sep) or not os.path.isfile(path):
                cache[name] = match.group(0)
            else:
                with open(path, "rb") as handle:
                    cache[name] = match.group(1) + b"data:image/png;base64," + base64.b64encode(handle.read()) + b'"'
        return cache[name]
    return re.sub(rb'(xlink:href=")([A-Za-z0-9_./-]+\.png)"', embed, svg)


class TooLarge(RenderError):
    """The bitmap would exceed what graphviz can draw without scaling it down."""


def output_name(path: str, suffix: str) -> str:
    if not suffix:
        return path
    stem, ext = os.path.splitext(path)
    return f"{stem}.{suffix}{ext}"


def draw(graph: Graph, path: str, fmt: Optional[str] = None, protect: Sequence[str] = (), split: str = "auto",
         max_nodes: int = MAX_NODES) -> list[str]:
    """Draw `graph` to `path` (PNG, SVG, PDF or DOT). A large graph becomes an overview at `path` plus
    one picture per VPC next to it (`name.<vpc>.png`). Returns the files written."""
    from ..output import check_target, write_atomic
    fmt = fmt or format_of(path)
    if fmt != "dot" and dot_program() is None:
        raise DotMissing()
    pictures = plan(graph, max_nodes, split)
    large = len(pictures) > 1 or len(graph.nodes) > GROUP_ABOVE
    rendered: list[tuple[str, bytes]] = []
    for suffix, part in pictures:
        source = to_dot(part, large)
        if fmt == "dot":
            data = source.encode("utf-8")
        else:
            try:
                data = run_dot(source, fmt)
            except TooLarge:
                if split == "auto" and len(pictures) == 1:   # too big in one piece: split it instead
                    return draw(graph, path, fmt, protect, "always", max_nodes)
                how = "and --split never forbids splitting it" if split == "never" else "even when split"
                raise TooLarge(f"'{path}' would be a bitmap over {BITMAP_LIMIT} px, which graphviz would scale "
                               f"down, {how}; use --format svg or pdf") from None
        if fmt == "svg":
            data = inline_icons(data)
        rendered.append((output_name(path, suffix), data))
    for name, _ in rendered:   # nothing is written until every picture is drawn and every name can be written
        check_target(name, protect)
    for name, data in rendered:
        write_atomic(name, data, protect=protect)
    return [name for name, _ in rendered]


def format_of(path: str, default: str = "png") -> str:
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    return ext if ext in FORMATS else default


__all__: Sequence[str] = ["draw", "to_dot", "run_dot", "RenderError", "DotMissing", "TooLarge", "FORMATS",
                          "INSTALL_HINT", "format_of", "icon_root", "icon_path"]
