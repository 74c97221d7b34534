"""Large architectures: group identical resources, then split into an overview plus one picture per VPC."""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import replace
from typing import Iterable, Optional

from .graph import KIND_STRENGTH, Edge, Graph, Node, type_label, worst

# Measured with benchmarks/render_bench.py (docs/rendering.md). Layout itself is quick (0.1 s for 200
# nodes); what grows is the bitmap: one column of siblings per box makes pictures tall (64 nodes: 9,300
# px; 192 nodes: 27,000 px; 352 nodes: over graphviz's 32,767 px, which it would scale down).
# So above GROUP_ABOVE nodes identical siblings become one node, and above MAX_NODES nodes (after
# grouping) the picture splits into an overview plus one picture per VPC.
GROUP_ABOVE = 40
MAX_NODES = 60
# Identical siblings (same box, type and description, no findings) are drawn as one node from this many.
GROUP_FROM = 3


def plan(graph: Graph, max_nodes: int = MAX_NODES, split: str = "auto") -> list[tuple[str, Graph]]:
    """The pictures to draw: [(suffix, graph)], the first with suffix "" (the whole, or the overview)."""
    if split == "never" or (split == "auto" and len(graph.nodes) <= min(max_nodes, GROUP_ABOVE)):
        return [("", graph)]
    grouped = group_identical(graph)
    if split == "auto" and len(grouped.nodes) <= max_nodes:
        return [("", replace(grouped, note=_join(grouped.note, "identical resources grouped")))]
    return split_by_vpc(grouped)


def group_identical(graph: Graph, minimum: int = GROUP_FROM) -> Graph:
    """Draw identical siblings without findings as one node: "EC2 ×12"."""
    links: dict[str, set] = {}
    for edge in graph.edges:   # identical means linked to the same things the same way, too
        links.setdefault(edge.source, set()).add(("out", edge.target, edge.kind, edge.severity))
        links.setdefault(edge.target, set()).add(("in", edge.source, edge.kind, edge.severity))
    buckets: dict[tuple, list[Node]] = {}
    for node in graph.nodes:
        if node.findings or node.stub or node.members:
            continue
        key = (node.cluster, node.type, node.variant, node.detail, frozenset(links.get(node.id, ())))
        buckets.setdefault(key, []).append(node)
    taken = {n.id for n in graph.nodes}
    rename: dict[str, str] = {}
    groups: dict[str, Node] = {}
    for members in buckets.values():
        if len(members) < minimum:
            continue
        first = members[0]
        gid = _unique(f"{first.id} ×{len(members)}", taken)
        for member in members:
            rename[member.id] = gid
        names = f"{first.id} … {members[-1].id}"
        groups[first.id] = Node(gid, first.type, f"{type_label(first.type)} ×{len(members)}",
                                f"{names}\n{first.detail}" if first.detail else names, first.cluster,
                                first.variant, members=tuple(m.id for m in members))
    nodes = []
    for node in graph.nodes:
        if node.id in groups:
            nodes.append(groups[node.id])
        elif node.id not in rename:
            nodes.append(node)
    return replace(graph, nodes=tuple(nodes), edges=_remap(graph.edges, rename))


def split_by_vpc(graph: Graph) -> list[tuple[str, Graph]]:
    """An overview with each VPC as one node, then one picture per VPC with stubs for the outside."""
    vpcs = [c for c in graph.clusters if c.kind == "vpc"]
    inside: dict[str, str] = {}          # node id -> vpc cluster id
    for node in graph.nodes:
        vpc = _ancestor(graph, node.cluster, "vpc")
        if vpc:
            inside[node.id] = vpc
    pictures: list[tuple[str, Graph]] = []
    taken: set[str] = set()
    # The overview: every VPC collapsed to one node.
    rename: dict[str, str] = {}
    vpc_nodes: list[Node] = []
    node_ids = {n.id for n in graph.nodes}
    for cluster in vpcs:
        members = [n for n in graph.nodes if inside.get(n.id) == cluster.id]
        count = sum(max(1, len(n.members)) for n in members)
        found = sum(n.findings for n in members) + cluster.findings
        node_id = cluster.resource or cluster.id
        detail = f"{cluster.detail} · {count} resources" if cluster.detail else f"{count} resources"
        if found:
            detail += f" · {found} findings"
        vpc_nodes.append(Node(node_id, "vpc", cluster.resource or cluster.label, detail, cluster.parent,
                              severity=worst([cluster.severity] + [n.severity for n in members]), findings=found,
                              members=tuple(m.id for m in members)))
        for member in members:
            rename[member.id] = node_id
        if node_id in node_ids:     # the VPC's own anchor node
            rename[node_id] = node_id
    outside = [n for n in graph.nodes if n.id not in inside]
    vpc_ids = {c.id for c in vpcs}
    clusters = tuple(c for c in graph.clusters if c.id not in vpc_ids and not _within(graph, c.id, vpc_ids))
    overview = replace(graph, clusters=clusters, nodes=tuple(outside) + tuple(vpc_nodes),
                       edges=_remap((e for e in graph.edges if e.kind != "placement"), rename),
                       note=_join(graph.note, "overview: each VPC is drawn in a picture of its own"))
    overview = replace(overview, edges=overview.edges + _grid(overview))
    pictures.append(("", overview))
    for cluster in vpcs:
        inside_ids = {n.id for n in graph.nodes if inside.get(n.id) == cluster.id}
        keep_clusters = [c for c in graph.clusters if _within(graph, c.id, {cluster.id}) or c.id == cluster.id]
        above = graph.cluster(cluster.parent) if cluster.parent else None
        while above is not None:   # the Region (and an account box between it and the VPC)
            keep_clusters.insert(0, above)
            above = graph.cluster(above.parent) if above.parent else None
        boxes = {c.resource for c in keep_clusters if c.resource and c.kind != "region"}   # edges end at boxes
        edges = [e for e in graph.edges if e.source in inside_ids | boxes or e.target in inside_ids | boxes]
        stubs = {}
        for edge in edges:
            if edge.kind == "placement":   # ends at a subnet box, which is in this picture
                continue
            for end in (edge.source, edge.target):
                if end not in inside_ids and end not in boxes and end not in stubs:
                    original = graph.node(end)
                    stubs[end] = Node(end, original.type if original else "", end,
                                      f"outside {cluster.label}", "", original.variant if original else "",
                                      stub=True)
        nodes = tuple(n for n in graph.nodes if n.id in inside_ids) + tuple(stubs.values())
        part = replace(graph, clusters=tuple(keep_clusters), nodes=nodes, edges=tuple(edges),
                       legend=tuple(e for e in graph.legend
                                    if e.resource in inside_ids or e.resource == cluster.resource
                                    or any(e.resource in n.members for n in graph.nodes if n.id in inside_ids)),
                       title=f"{graph.title}: {cluster.label}", note=_join(graph.note, "part of a split picture"))
        pictures.append((_unique(_slug(cluster.resource or cluster.label), taken), part))
    return pictures


def _grid(graph: Graph, columns_from: int = 6) -> tuple[Edge, ...]:
    """Invisible edges that lay unconnected groups out in rows: dot puts each in one column otherwise,
    and an overview of many VPCs becomes tens of thousands of pixels tall."""
    parent: dict[str, str] = {n.id: n.id for n in graph.nodes}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    cluster_of = {n.id: n.cluster for n in graph.nodes}
    for edge in graph.edges:
        if edge.source in parent and edge.target in parent and cluster_of[edge.source] == cluster_of[edge.target]:
            parent[root(edge.source)] = root(edge.target)
    groups: dict[str, dict[str, list[str]]] = {}   # box -> group root -> its members, in the file's order
    for node in graph.nodes:
        groups.setdefault(node.cluster, {}).setdefault(root(node.id), []).append(node.id)
    sources = {e.target for e in graph.edges}
    grid: list[Edge] = []
    for members in groups.values():
        found = list(members.values())
        if len(found) < columns_from:
            continue
        width = max(2, math.isqrt(len(found)) + 1)
        # every member of a group before the first (entry) node of the group `width` places after it: rows
        # of `width` groups, each row after the whole of the one before, in either direction
        for before, after in zip(found, found[width:]):
            head = next((n for n in after if n not in sources), after[0])
            grid += [Edge(a, head, "layout") for a in before]
    return tuple(grid)


def _remap(edges: Iterable[Edge], rename: dict[str, str]) -> tuple[Edge, ...]:
    merged: dict[tuple[str, str], Edge] = {}
    for edge in edges:
        source, target = rename.get(edge.source, edge.source), rename.get(edge.target, edge.target)
        if source == target:
            continue
        key = (source, target) if (target, source) not in merged else (target, source)
        new = replace(edge, source=source, target=target)
        old = merged.get(key)
        if old is None:
            merged[key] = new
            continue
        stronger = new if KIND_STRENGTH[new.kind] > KIND_STRENGTH[old.kind] else old
        merged[key] = replace(stronger, label="" if old.label != new.label else old.label,
                              severity=worst((old.severity, new.severity)))
    return tuple(merged.values())


def _ancestor(graph: Graph, cluster_id: str, kind: str) -> Optional[str]:
    parents = {c.id: c for c in graph.clusters}
    while cluster_id:
        cluster = parents.get(cluster_id)
        if cluster is None:
            return None
        if cluster.kind == kind:
            return cluster.id
        cluster_id = cluster.parent
    return None


def _within(graph: Graph, cluster_id: str, roots: set[str]) -> bool:
    parents = {c.id: c.parent for c in graph.clusters}
    cluster_id = parents.get(cluster_id, "")
    while cluster_id:
        if cluster_id in roots:
            return True
        cluster_id = parents.get(cluster_id, "")
    return False


# Longest part name in a picture's file name: `name.<part>.png` must stay under the file system's 255
# bytes whatever a VPC is called (a 300-character name failed half way through writing the set).
MAX_PART_NAME = 60


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "part"
    if len(slug) <= MAX_PART_NAME:
        return slug
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug[:MAX_PART_NAME - 9].rstrip('._')}-{digest}"


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)
