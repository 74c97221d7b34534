"""Drawing a render graph with the `diagrams` package: the only module that imports it."""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from typing import Any, Optional, Sequence

from ..findings import RANK
from .graph import SEVERITY_COLOURS, USERS, Cluster, Edge, Graph, Node, type_label
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
LEGEND_ROWS = 12   # more would make the legend taller than the picture; `wavalidate check` lists all

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
# Resources a diff added or changed: a white-on-colour tag over the icon, and the outline when no finding has one.
CHANGE_COLOURS = {"added": "#1D8102", "changed": "#5A30B5"}
_CHANGE = re.compile(r"^\[(added|changed[^\]]*)\] ?(.*)$", re.S)


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
    size = 36 if large else 40
    if icon:
        picture = f'<TD FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}"><IMG SRC="{html(icon)}" SCALE="TRUE"/></TD>'
    else:   # no icon for this type: a plain box with the type written on it
        picture = (f'<TD HEIGHT="{size}" BGCOLOR="#E9EBED" STYLE="ROUNDED"><FONT POINT-SIZE="11" COLOR="#232F3E">'
                   f'{html(wrap(node.type or "resource", 14))}</FONT></TD>')
    badge = _badge(node.findings, colour) if node.findings and colour else ""
    name = html(wrap(node.label, 24))
    change = _CHANGE.match(node.detail)   # `wavalidate diff --diagram` marks "[added] ..." and "[changed: k] ..."
    tag = ""
    if change:
        kind = "added" if change.group(1) == "added" else "changed"
        tag = (f'<TR><TD COLSPAN="3" BGCOLOR="{CHANGE_COLOURS[kind]}" STYLE="ROUNDED"><FONT COLOR="white" '
               f'POINT-SIZE="11"><B>{html(wrap(kind.upper() + change.group(1)[len(kind):], 22))}</B></FONT></TD></TR>')
        if not colour:
            colour = CHANGE_COLOURS[kind]
    detail_text = change.group(2) if change else node.detail
    detail = html(wrap(detail_text, 22)) if detail_text else ""
    if node.stub:
        return (f'<<TABLE BORDER="1" STYLE="DASHED,ROUNDED" COLOR="#7D8998" CELLBORDER="0" CELLPADDING="2">'
                f'<TR><TD><FONT COLOR="#545B64">{name}</FONT></TD></TR>'
                f'<TR><TD><FONT POINT-SIZE="11" COLOR="#7D8998">{detail}</FONT></TD></TR></TABLE>>')
    border = f'BORDER="3" COLOR="{colour}"' if colour else 'BORDER="0"'
    rows = [tag, f'<TR><TD WIDTH="22"></TD>{picture}<TD WIDTH="22" VALIGN="TOP">{badge}</TD></TR>',
            f'<TR><TD COLSPAN="3"><B>{name}</B></TD></TR>']
    if detail:
        rows.append(f'<TR><TD COLSPAN="3"><FONT POINT-SIZE="11" COLOR="#545B64">{detail}</FONT></TD></TR>')
    return (f'<<TABLE {border} STYLE="ROUNDED" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
            + "".join(rows) + "</TABLE>>")


def cluster_label(cluster: Cluster) -> str:
    colour = SEVERITY_COLOURS.get(cluster.severity or "", "")
    text = f"<B>{html(cluster.label)}</B>"
    if cluster.detail:
        text += f'  <FONT POINT-SIZE="11" COLOR="#545B64">{html(cluster.detail)}</FONT>'
    badge = f"<TD>{_badge(cluster.findings, colour)}</TD>" if cluster.findings and colour else ""
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1"><TR><TD>{text}</TD>{badge}'
            "</TR></TABLE>>")


def legend_label(graph: Graph, rows_shown: int = LEGEND_ROWS) -> str:
    """The title and, when findings are drawn, one row per finding (the legend) under the picture."""
    rows = [f'<TR><TD ALIGN="LEFT" COLSPAN="4"><FONT POINT-SIZE="16"><B>{html(graph.title, 80)}</B></FONT></TD></TR>']
    notes = [graph.note] if graph.note else []
    if graph.aside:
        notes.append("secondary, drawn with --detail full: " + ", ".join(f"{type_label(kind)} {name}"
                                                                         for kind, name in graph.aside))
    if graph.omitted:
        notes.append("not drawn (configuration): " + ", ".join(f"{count} {type_label(kind)}"
                                                               for kind, count in graph.omitted))
    for note in notes:
        rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="4"><FONT POINT-SIZE="11" COLOR="#545B64">'
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
            for entry in graph.legend[:rows_shown]:
                colour = SEVERITY_COLOURS[entry.severity]
                rows.append(
                    f'<TR><TD BGCOLOR="{colour}" ALIGN="LEFT"><FONT COLOR="white" POINT-SIZE="11"><B> '
                    f'{html(entry.severity)} </B></FONT></TD>'
                    f'<TD ALIGN="LEFT"><B>{html(entry.code)}</B></TD>'
                    f'<TD ALIGN="LEFT">{html(wrap(entry.resource, 30))}</TD>'
                    f'<TD ALIGN="LEFT" BALIGN="LEFT">{html(wrap(entry.message, 130), 1200)}</TD></TR>')
            if len(graph.legend) > rows_shown:
                rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="4">… and {len(graph.legend) - rows_shown} more '
                            "(see `wavalidate check`)</TD></TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="2">' + "".join(rows) + "</TABLE>>")


def edge_attrs(edge: Edge) -> dict[str, str]:
    attrs = {"fontname": FONT, "fontsize": "11", "fontcolor": "#232F3E", "dir": "forward"}
    if edge.kind == "layout":
        return {"style": "invis", "arrowhead": "none"}
    if edge.kind == "placement":
        return {"style": "dotted", "arrowhead": "none", "color": "#9AA4AE", "penwidth": "1.2"}
    if edge.kind == "flow":
        attrs.update(color="#232F3E", penwidth="1.6")
    elif edge.kind == "reference":
        attrs.update(color="#7D8998", penwidth="1.2")
    elif edge.kind == "route":   # a route of a subnet's route table, drawn when a finding is about it
        attrs.update(color="#7D8998", style="dashed", penwidth="1.4")
    elif edge.kind == "replication":   # primary to standby or replica, side by side: from side to side
        attrs.update(color="#3B48CC", style="dashed", penwidth="1.4", arrowsize="0.7", tailport="e", headport="w")
    else:
        attrs.update(color="#A7B0BA", style="dashed", penwidth="1.0", arrowsize="0.7")
    if not edge.constraint:
        attrs["constraint"] = "false"
    if edge.severity:
        attrs.update(color=SEVERITY_COLOURS[edge.severity], penwidth="3")
    if edge.label:   # dark text on a light label, readable on any line colour
        attrs["label"] = (f'<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="1" BGCOLOR="#FFFFFFE6"><TR><TD>'
                          f'{html(edge.label, 40)}</TD></TR></TABLE>>')
    return attrs


# -- DOT ----------------------------------------------------------------------

def box_ids(graph: Graph) -> dict[str, str]:
    """The stable SVG id of every box: `region:NAME`, `account:NAME`, `vpc:NAME`, `az:NAME` (`az:VPC/NAME`
    when two VPCs use the AZ), `subnet:NAME`, `global`, `onprem`."""
    names = {c.id: c.id.rsplit("/", 1)[-1] for c in graph.clusters}
    azs = [names[c.id] for c in graph.clusters if c.kind == "az"]
    accounts = [names[c.id] for c in graph.clusters if c.kind == "account"]
    ids = {}
    for cluster in graph.clusters:
        name = names[cluster.id]
        if cluster.kind == "az" and azs.count(name) > 1:
            vpc = graph.cluster(cluster.parent)
            name = f"az:{vpc.resource if vpc else cluster.parent}/{name.split(':', 1)[1]}"
        elif cluster.kind == "account" and accounts.count(name) > 1:   # one account in two Regions
            name = f"account:{cluster.parent.split(':', 1)[-1]}/{name.split(':', 1)[1]}"
        ids[cluster.id] = name
    return ids


def layout_edges(graph: Graph, heads: dict[str, str], members: dict[str, list[Node]]) -> tuple[list, list]:
    """Invisible edges and same-rank groups that make AZ columns (in name order, left to right) with the
    subnets of every column stacked by tier, and lay unlinked resources out in rows rather than a column.
    Returns ([(tail, head, attrs)], [[node ids on one rank, left to right]])."""
    invisible: list[tuple[str, str, dict]] = []
    ranks: list[list[str]] = []
    children: dict[str, list[Cluster]] = {}
    for cluster in graph.clusters:
        children.setdefault(cluster.parent, []).append(cluster)
    linked = {n for e in graph.edges if e.kind != "layout" for n in (e.source, e.target)}
    kinds = {c.id: c.kind for c in graph.clusters}
    box_of = {n.id: n.cluster for n in graph.nodes}
    for vpc in (c for c in graph.clusters if c.kind == "vpc"):
        rows: dict[tuple[str, int], list[str]] = {}
        tops: list[str] = []
        for az in (c for c in children.get(vpc.id, ()) if c.kind == "az"):   # already in name order
            above: list[str] = []
            seen: dict[str, int] = {}
            for subnet in (c for c in children.get(az.id, ()) if c.kind == "subnet"):
                head = heads[subnet.id]
                if not above:
                    tops.append(head)
                for last in above:
                    invisible.append((last, head, {"weight": "4"}))
                inside = [dot_id(n.id) for n in members.get(subnet.id, ())]
                for first in inside:
                    invisible.append((head, first, {"weight": "2", "minlen": "0"}))
                above = inside or [head]
                index = seen.get(subnet.tier, 0)
                seen[subnet.tier] = index + 1
                rows.setdefault((subnet.tier, index), []).append(head)
        ranks += [row for row in rows.values() if len(row) > 1]
        # the VPC's own resources (gateways, endpoints, placement groups) sit in a row above its subnets,
        # unless something in a subnet leads to them
        within = {c.resource for c in graph.clusters if c.id.startswith(vpc.id)} | {
            n.id for n in graph.nodes if n.cluster.startswith(vpc.id + "/")}
        fed = {e.target for e in graph.edges if e.source in within}
        for node in members.get(vpc.id, ()):
            if node.id not in fed:
                invisible += [(dot_id(node.id), top, {"weight": "1"}) for top in tops]
    columns = max((sum(c.parent == v.id and c.kind == "az" for c in graph.clusters)
                   for v in graph.clusters if v.kind == "vpc"), default=0)
    near = {n for e in graph.edges if e.kind != "layout" and box_of.get(e.source) == box_of.get(e.target)
            for n in (e.source, e.target)}
    for cluster_id, nodes in members.items():
        # unlinked resources in rows of up to five; in a subnet, those not linked within it in rows of
        # three, so a subnet of many instances grows down its AZ column instead of across the picture
        if kinds.get(cluster_id) == "subnet":
            loose, width = [dot_id(n.id) for n in nodes if n.id not in near], 2 if columns > 2 else 3
        else:
            loose, width = [dot_id(n.id) for n in nodes if n.id not in linked], 5
        invisible += [(a, b, {"weight": "1"}) for a, b in zip(loose, loose[width:])]
    return invisible, ranks


def rankdir(graph: Graph) -> str:
    """Top to bottom for AZ columns (and Regions side by side); left to right for a chain of services."""
    regions = sum(c.kind == "region" for c in graph.clusters)
    return "TB" if regions > 1 or any(c.kind == "az" for c in graph.clusters) else "LR"


def to_dot(graph: Graph, large: bool = False) -> str:
    """The DOT source of a graph, built with `diagrams`. Stable: ids come from names and cluster paths,
    icons are named relative to `icon_root()` (pass `-Gimagepath=...` to `dot`).

    Laid out top to bottom, as AWS diagrams are: users and the edge at the top, then Region, VPC, AZ
    columns side by side (in name order) and in each the subnets stacked by tier."""
    from diagrams import Cluster as DCluster
    from diagrams import Diagram, setcluster, setdiagram
    from diagrams import Node as DNode

    class Canvas(Diagram):
        """A diagram that leaves laying out and writing to us (diagrams would render on exit)."""

        def __exit__(self, *exc) -> None:
            setdiagram(None)

    graph_attr = {
        "label": "", "labelloc": "b", "labeljust": "l", "fontname": FONT, "fontsize": "12",
        "pad": "0.1" if large else "0.3", "nodesep": "0.18" if large else "0.3", "ranksep": "0.3" if large else "0.4",
        "splines": "polyline" if large else "spline", "newrank": "true", "compound": "true", "dpi": str(DPI),
        "rankdir": rankdir(graph), "outputorder": "edgesfirst",
    }
    node_attr = {"shape": "plain", "style": "", "fixedsize": "false", "width": "0", "height": "0",
                 "fontname": FONT, "fontsize": "12", "imagescale": "false", "labelloc": "c", "margin": "0"}
    canvas = Canvas("wavalidate", filename="wavalidate", direction=graph_attr["rankdir"], outformat="png", show=False,
                    graph_attr=graph_attr, node_attr=node_attr, edge_attr={"fontname": FONT})
    # diagrams set the label to the (unescaped) name; a picture of a split set shows fewer findings
    canvas.dot.graph_attr["label"] = legend_label(graph, LEGEND_ROWS // 3 if large else LEGEND_ROWS)
    canvas.dot.graph_attr["splines"] = graph_attr["splines"]

    children: dict[str, list[Cluster]] = {}
    for cluster in graph.clusters:
        children.setdefault(cluster.parent, []).append(cluster)
    known = {c.id for c in graph.clusters}
    ids = box_ids(graph)
    members: dict[str, list[Node]] = {}
    for node in graph.nodes:
        members.setdefault(node.cluster if node.cluster in known else "", []).append(node)
    made: dict[str, Any] = {}  # diagrams.Node; the package has no types
    ends = {n for e in graph.edges for n in (e.source, e.target)}
    heads: dict[str, str] = {}
    pins: dict[str, tuple[str, str]] = {}   # vpc or subnet resource -> (pin node, its box)

    def draw_nodes(cluster_id: str) -> None:
        for node in members.get(cluster_id, ()):
            made[node.id] = DNode(node_label(node, large), nodeid=dot_id(node.id),
                                  id=dot_id(node.id, endpoint=False))

    def draw_cluster(cluster: Cluster) -> None:
        pen, fill, style = CLUSTER_STYLE.get(cluster.kind, ("#7D8998", "#FFFFFF", "solid"))
        if cluster.kind == "subnet" and "private" in cluster.detail:
            pen, fill, style = PRIVATE_SUBNET
        attrs = {"pencolor": pen, "bgcolor": fill, "style": f"rounded,{style}", "fontname": FONT,
                 "labeljust": "l", "labelloc": "t", "penwidth": "1.5", "margin": "10",
                 "id": dot_id(ids[cluster.id], endpoint=False)}
        if cluster.kind in ("az", "region"):   # the wanted order left to right (geometry.column_shifts)
            attrs["sortv"] = str(sum(c.kind == cluster.kind for c in children.get(cluster.parent, ())
                                     [:children.get(cluster.parent, []).index(cluster)]))
        if cluster.severity:
            attrs.update(pencolor=SEVERITY_COLOURS[cluster.severity], penwidth="3", style="rounded")
        with DCluster("", graph_attr=attrs) as box:
            # ids from paths: same-label siblings stay apart
            box.dot.name = dot_id(f"cluster_{cluster.id}", endpoint=False)
            box.dot.graph_attr["label"] = cluster_label(cluster)
            draw_nodes(cluster.id)
            if cluster.kind == "subnet" or cluster.resource in ends or (
                    not members.get(cluster.id) and not children.get(cluster.id)):
                # a subnet's head orders the tiers; graphviz drops empty boxes, and edges to a VPC or a
                # subnet end at its box (through this point), never at an icon inside it
                pin = dot_id(f"pin:{cluster.id}")
                box.dot.node(pin, label="", shape="point", style="invis", width="0.05", height="0.05")
                heads[cluster.id] = pin
                pins[cluster.resource] = (pin, dot_id(f"cluster_{cluster.id}", endpoint=False))
            for child in children.get(cluster.id, ()):
                draw_cluster(child)

    with canvas:
        draw_nodes("")
        for cluster in children.get("", ()):
            draw_cluster(cluster)
        setcluster(None)
        invisible, ranks = layout_edges(graph, heads, members)
        if USERS in made:   # users at the top (left), where the traffic comes from: above every box
            with canvas.dot.subgraph(name="users") as top:
                top.attr(rank="min")
                top.node(made[USERS].nodeid)
            outer = {c.id for c in graph.clusters if c.kind in ("region", "global", "onprem", "vpc")}
            for node in graph.nodes if graph_attr["rankdir"] == "TB" else ():
                if node.id != USERS and (node.cluster in outer or not node.cluster):
                    canvas.dot.edge(made[USERS].nodeid, made[node.id].nodeid, style="invis", arrowhead="none",
                                    weight="0")
        for tail, head, attrs in invisible:
            canvas.dot.edge(tail, head, style="invis", arrowhead="none", **attrs)
        for index, row in enumerate(ranks):
            with canvas.dot.subgraph(name=f"rank{index}") as same:
                same.attr(rank="same")
                for node in row:   # (no flat edges: dot ignores their order across boxes, and warns)
                    same.node(node)
        box_of_resource = {c.resource: c.id for c in graph.clusters if c.resource}
        cluster_of = {n.id: n.cluster for n in graph.nodes}

        def within(node: str, box: str) -> bool:
            return box in box_of_resource and (cluster_of.get(node, "") + "/").startswith(box_of_resource[box] + "/")
        for edge in graph.edges:
            attrs = edge_attrs(edge)
            if within(edge.source, edge.target) or within(edge.target, edge.source):
                # a resource and the box it is drawn in: the nesting says it; the edge only keeps the order
                attrs = {"style": "invis", "arrowhead": "none"}
            ends_at = []
            for end, side in ((edge.source, "ltail"), (edge.target, "lhead")):
                if end in made:
                    ends_at.append(made[end].nodeid)
                elif end in pins:
                    ends_at.append(pins[end][0])
                    attrs[side] = pins[end][1]
            if len(ends_at) == 2:
                canvas.dot.edge(ends_at[0], ends_at[1], **attrs)
    return canvas.dot.source


# -- running graphviz -----------------------------------------------------------

def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise RenderError("graphviz did not produce a PNG")
    return struct.unpack(">II", data[16:24])


def _graphviz(program: str, args: list[str], source: str) -> tuple[bytes, str]:
    try:
        done = subprocess.run([program, *args, f"-Gimagepath={icon_root()}"], input=source.encode("utf-8"),
                              capture_output=True, timeout=LAYOUT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"graphviz took over {LAYOUT_TIMEOUT} s to lay this out; try --split always") from None
    warnings = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or not done.stdout:
        raise RenderError(f"graphviz failed: {warnings.strip() or 'no output'}")
    return done.stdout, warnings


def laid_out(source: str) -> tuple[str, list[str], str]:
    """(program, its arguments, source) that draw `source` with the AZ columns of every VPC in name order:
    dot's own layout when it has them so, else that layout with the columns moved and pinned (neato -n)."""
    program = dot_program()
    if program is None:
        raise DotMissing()
    data, _ = _graphviz(program, ["-Tjson"], source)
    from .geometry import column_shifts, parse, pinned
    shifts = column_shifts(parse(data))
    if not shifts:
        return program, [], source
    neato = shutil.which("neato") or program
    return neato, ["-n"] if neato != program else ["-Kneato", "-n"], pinned(source, data, shifts)


def run_dot(source: str, fmt: str) -> bytes:
    """Lay out and draw DOT source with graphviz; a scaled-down bitmap is an error, never a result."""
    program, args, source = laid_out(source)
    data, warnings = _graphviz(program, [*args, f"-T{fmt}"], source)
    if "Scaling" in warnings or "too large" in warnings:
        raise TooLarge(f"graphviz would scale the picture down: {warnings.strip()}")
    if fmt == "png":
        width, height = png_size(data)
        if max(width, height) >= BITMAP_LIMIT:
            raise TooLarge(f"the picture would be {width}×{height} px, over the {BITMAP_LIMIT} px bitmap limit")
    if fmt == "pdf":
        return fixed_pdf_dates(data)
    return data


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
        if (fmt == "png" and split == "auto" and len(pictures) == 1 and _too_big(data)
                and sum(c.kind == "vpc" for c in graph.clusters) > 1):
            return draw(graph, path, fmt, protect, "always", max_nodes)   # one picture per VPC reads better
        if fmt == "svg":
            data = inline_icons(data)
        rendered.append((output_name(path, suffix), data))
    for name, _ in rendered:   # nothing is written until every picture is drawn and every name can be written
        check_target(name, protect)
    for name, data in rendered:
        write_atomic(name, data, protect=protect)
    return [name for name, _ in rendered]


# A picture for a slide or a review page: beyond this (at 96 dpi, body text 11 pt, about 15 px) an
# architecture of several VPCs is split into an overview and one picture per VPC.
PICTURE_LIMIT = (2400, 1600)


def _too_big(data: bytes) -> bool:
    width, height = png_size(data)
    return width > PICTURE_LIMIT[0] or height > PICTURE_LIMIT[1]


def format_of(path: str, default: str = "png") -> str:
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    return ext if ext in FORMATS else default


__all__: Sequence[str] = ["draw", "to_dot", "run_dot", "RenderError", "DotMissing", "TooLarge", "FORMATS",
                          "INSTALL_HINT", "format_of", "icon_root", "icon_path"]


def layout(graph: Graph, large: bool = False):
    """graphviz's own layout of a graph, as drawn (`geometry.Layout`): boxes and nodes by their SVG ids."""
    from .geometry import parse
    program, args, source = laid_out(to_dot(graph, large))
    data, _ = _graphviz(program, [*args, "-Tjson"], source)
    return parse(data)
