"""Reading graphviz's own layout (`dot -Tjson`): boxes and nodes by their stable ids, and the fix-up that
puts AZ columns in name order when dot's crossing minimisation swapped them.

dot keeps the left-to-right order of nodes joined by flat edges, but not of clusters: with links from
outside a VPC (DNS to the load balancer in the first AZ) it may draw AZ b left of AZ a. When it does, we
move whole columns into name order and pin every node where it now is (`neato -n` draws pinned
positions and routes the edges again), so the picture keeps dot's layout otherwise.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Mapping, Optional

Box = tuple[float, float, float, float]   # x0, y0, x1, y1 in points, y up (graphviz's own)


@dataclass(frozen=True)
class Layout:
    boxes: Mapping[str, Box]                 # box id (region:..., vpc:..., az:..., subnet:...) -> box
    parents: Mapping[str, str]               # box id -> the id of the box it is drawn in ("" at the top)
    nodes: Mapping[str, Box]                 # node id -> its box
    node_box: Mapping[str, str]              # node id -> the innermost box holding it ("" for none)
    edges: tuple[tuple[str, str, str], ...]  # (tail id, head id, dir) as drawn
    width: float
    height: float
    order: Mapping[str, float] = field(default_factory=dict)   # box id -> its wanted place among its siblings

    def inside(self, inner: Box, outer: Box, slack: float = 0.5) -> bool:
        return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack and inner[2] <= outer[2] + slack
                and inner[3] <= outer[3] + slack)


def _box(bb: str) -> Box:
    x0, y0, x1, y1 = (float(v) for v in bb.split(","))
    return (x0, y0, x1, y1)


def parse(data: bytes) -> Layout:
    """The boxes, nodes and edges of `dot -Tjson` output, by their `id` attributes."""
    laid = json.loads(data)
    objects = laid.get("objects", [])
    boxes: dict[str, Box] = {}
    order: dict[str, float] = {}
    parents: dict[str, str] = {}
    nodes: dict[str, Box] = {}
    node_box: dict[str, str] = {}
    ids: dict[int, str] = {}
    depth_of: dict[str, int] = {}
    clusters = [o for o in objects if "nodes" in o or "subgraphs" in o]

    def walk(index: int, parent: str, depth: int) -> None:
        obj = objects[index]
        here = parent
        if str(obj.get("name", "")).startswith("cluster") and "bb" in obj:
            here = obj.get("id") or obj["name"]
            boxes[here] = _box(obj["bb"])
            parents[here] = parent
            if "sortv" in obj:
                order[here] = float(obj["sortv"])
            depth_of[here] = depth
            for node in obj.get("nodes", ()):
                ids.setdefault(node, "")
                if depth_of.get(node_box.get(str(node), ""), -1) < depth:
                    node_box[str(node)] = here
        for child in obj.get("subgraphs", ()) or ():
            walk(child, here, depth + 1)
    tops = set(range(len(clusters))) - {c for o in clusters for c in (o.get("subgraphs") or ())}
    for index in sorted(tops):
        walk(index, "", 0)
    by_gvid: dict[int, str] = {}
    for obj in objects:
        if "nodes" in obj or "subgraphs" in obj or "pos" not in obj:
            continue
        name = obj.get("id") or obj["name"]
        by_gvid[obj["_gvid"]] = name
        x, y = (float(v) for v in obj["pos"].split(","))
        w, h = float(obj.get("width", 0)) * 36, float(obj.get("height", 0)) * 36
        nodes[name] = (x - w, y - h, x + w, y + h)
    found = {}
    for key, box in node_box.items():   # keys were object indices; name them
        index = int(key)
        obj = objects[index] if index < len(objects) else {}
        name = obj.get("id") or obj.get("name")
        if name in nodes:
            found[name] = box
    edges = tuple((by_gvid.get(e["tail"], ""), by_gvid.get(e["head"], ""), e.get("dir", "forward"))
                  for e in laid.get("edges", ()) if e.get("style") != "invis")
    x0, y0, x1, y1 = _box(laid["bb"])
    return Layout(boxes, parents, nodes, {n: found.get(n, "") for n in nodes}, edges, x1 - x0, y1 - y0, order)


def az_columns(layout: Layout) -> dict[str, list[str]]:
    """Each VPC's AZ boxes, left to right as drawn."""
    out: dict[str, list[str]] = {}
    for box, parent in layout.parents.items():
        if box.startswith("az:") and parent.startswith("vpc:"):
            out.setdefault(parent, []).append(box)
    return {vpc: sorted(azs, key=lambda b: layout.boxes[b][0]) for vpc, azs in out.items()}


def column_shifts(layout: Layout) -> dict[str, float]:
    """How far to move each box (and all in it) so that siblings side by side that have a wanted order
    (`sortv`: AZ columns by name, Regions in the file's order) read in that order left to right, keeping
    the gaps between them and every other sibling in its place; {} when they already do."""
    siblings: dict[str, list[str]] = {}
    for box, parent in layout.parents.items():
        siblings.setdefault(parent, []).append(box)
    shifts: dict[str, float] = {}
    for group in siblings.values():
        ordered = [b for b in group if b in layout.order]
        if len(ordered) < 2:
            continue
        top = min(layout.boxes[b][3] for b in group)
        bottom = max(layout.boxes[b][1] for b in group)
        if bottom >= top:   # not all in one row (stacked Regions of a left-to-right picture): leave them
            continue
        drawn = sorted(group, key=lambda b: layout.boxes[b][0])
        queue = sorted(ordered, key=lambda b: (layout.order[b], b))
        wanted = [queue.pop(0) if b in layout.order else b for b in drawn]
        if wanted == drawn:
            continue
        gaps = [layout.boxes[b][0] - layout.boxes[a][2] for a, b in zip(drawn, drawn[1:])]
        x = layout.boxes[drawn[0]][0]
        for index, box in enumerate(wanted):
            shifts[box] = x - layout.boxes[box][0]
            x += layout.boxes[box][2] - layout.boxes[box][0] + (gaps[index] if index < len(gaps) else 0)
    return {box: dx for box, dx in shifts.items() if dx}


_CLUSTER = re.compile(r'^\s*subgraph\s+("(?:[^"\\]|\\.)*"|\S+)\s*\{', re.MULTILINE)


def pinned(source: str, data: bytes, shifts: Mapping[str, float]) -> str:
    """`source` with every node pinned where `dot` put it, AZ columns moved by `shifts`, and every box's
    bounding box given, for `neato -n` to draw."""
    laid = json.loads(data)
    objects = laid.get("objects", [])
    moved: dict[int, float] = {}
    box_shift: dict[str, float] = {}

    def walk(index: int, shift: float) -> None:
        obj = objects[index]
        shift = shift + shifts.get(obj.get("id", ""), 0.0)
        if str(obj.get("name", "")).startswith("cluster"):
            box_shift[obj["name"]] = shift
        for node in obj.get("nodes", ()) or ():
            if shift:
                moved[node] = shift
        for child in obj.get("subgraphs", ()) or ():
            walk(child, shift)
    clusters = [i for i, o in enumerate(objects) if "nodes" in o or "subgraphs" in o]
    children = {c for i in clusters for c in (objects[i].get("subgraphs") or ())}
    for index in clusters:
        if index not in children:
            walk(index, 0.0)
    bbs: dict[str, str] = {}
    tops: dict[str, tuple[float, float]] = {}   # a box's pin -> the middle of its top side
    for obj in objects:
        name = str(obj.get("name", ""))
        if name.startswith("cluster") and "bb" in obj:
            x0, y0, x1, y1 = _box(obj["bb"])
            dx = box_shift.get(name, 0.0)
            bbs[name] = f"{x0 + dx:.2f},{y0:.2f},{x1 + dx:.2f},{y1:.2f}"
            tops["pin%3A" + name[len("cluster_"):].replace(":", "%3A")] = ((x0 + x1) / 2 + dx, y1)
    lines = [f'\tgraph [bb="{laid["bb"]}"]']
    for obj in objects:
        if "nodes" in obj or "subgraphs" in obj or "pos" not in obj:
            continue
        x, y = (float(v) for v in obj["pos"].split(","))
        x += moved.get(obj["_gvid"], 0.0)
        if obj["name"] in tops:   # neato has no `lhead`: edges to a box end on its top side instead
            x, y = tops[obj["name"]]
        lines.append(f'\t{_quote(obj["name"])} [pos="{x:.2f},{y:.2f}!"]')

    def with_bb(match: "re.Match[str]") -> str:   # where the box is opened, so it inherits nothing new
        name = match.group(1).strip('"').replace('\\"', '"')
        return match.group(0) + (f'\n\t\tgraph [bb="{bbs[name]}"]' if name in bbs else "")
    source = _CLUSTER.sub(with_bb, source)
    end = source.rstrip().rfind("}")
    return source[:end] + "\n".join(lines) + "\n}\n"


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def layout_of(data: bytes) -> Optional[Layout]:
    try:
        return parse(data)
    except (ValueError, KeyError):
        return None
