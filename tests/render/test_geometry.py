"""Geometry of every sample, read from graphviz's own layout (the ids the SVG carries): AZ columns in name
order, subnets stacked by tier inside their AZ and VPC, placed resources inside their subnets, no VPC icon
in its own box, every flow hop an edge pointing the declared way."""
from __future__ import annotations

import os
import shutil

import pytest

from wavalidate.render.drawing import box_ids, layout
from wavalidate.render.graph import TIERS
from wavalidate.render.labels import dot_id
from wavalidate.render.samples import sample_files, sample_graph

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
SAMPLES = sample_files()


@pytest.fixture(scope="module", params=[os.path.basename(p)[:-5] for p in SAMPLES])
def drawn(request):
    path = next(p for p in SAMPLES if os.path.basename(p)[:-5] == request.param)
    graph = sample_graph(path)
    return path, graph, layout(graph)


def _under(laid, box, outer):
    while box:
        if box == outer:
            return True
        box = laid.parents.get(box, "")
    return False


def _arch(path):
    from wavalidate.loader import load_file
    from wavalidate.model import Architecture
    return Architecture(load_file(path).data, path)


@needs_dot
def test_az_columns_in_name_order_left_to_right(drawn):
    _, graph, laid = drawn
    ids = box_ids(graph)
    for vpc in (c for c in graph.clusters if c.kind == "vpc"):
        azs = sorted((c for c in graph.clusters if c.parent == vpc.id and c.kind == "az"), key=lambda c: c.label)
        boxes = [laid.boxes[ids[c.id]] for c in azs]
        for left, right in zip(boxes, boxes[1:]):
            assert left[2] <= right[0], (vpc.label, [c.label for c in azs], boxes)


@needs_dot
def test_boxes_nest_and_subnets_stack_by_tier(drawn):
    _, graph, laid = drawn
    ids = box_ids(graph)
    for cluster in graph.clusters:
        box = laid.boxes[ids[cluster.id]]
        parent = cluster.parent
        while parent:   # inside every box above it: its AZ, its VPC, its Region
            assert laid.inside(box, laid.boxes[ids[parent]]), (cluster.id, parent)
            parent = graph.cluster(parent).parent
    for az in (c for c in graph.clusters if c.kind == "az"):
        subnets = [c for c in graph.clusters if c.parent == az.id and c.kind == "subnet"]
        ranked = sorted(subnets, key=lambda c: (TIERS.index(c.tier), c.label))
        tops = [laid.boxes[ids[c.id]][3] for c in ranked]   # y grows upwards: public on top
        assert tops == sorted(tops, reverse=True), [(c.label, c.tier) for c in ranked]
        for upper, lower in zip(ranked, ranked[1:]):
            assert laid.boxes[ids[lower.id]][3] <= laid.boxes[ids[upper.id]][1] + 0.5, (upper.label, lower.label)


@needs_dot
def test_placed_resources_are_inside_their_subnets(drawn):
    _, graph, laid = drawn
    ids = box_ids(graph)
    kinds = {c.id: c.kind for c in graph.clusters}
    placed = [n for n in graph.nodes if kinds.get(n.cluster) == "subnet"]
    for node in placed:
        assert laid.node_box[node.id] == ids[node.cluster], node.id
        assert laid.inside(laid.nodes[node.id], laid.boxes[ids[node.cluster]]), node.id


@needs_dot
def test_no_vpc_icon_inside_its_own_box(drawn):
    _, graph, laid = drawn
    ids = box_ids(graph)
    for vpc in (c for c in graph.clusters if c.kind == "vpc"):
        assert vpc.resource not in laid.nodes or not laid.inside(laid.nodes[vpc.resource], laid.boxes[ids[vpc.id]])


@needs_dot
def test_every_flow_hop_is_an_edge_the_declared_way(drawn):
    path, graph, laid = drawn
    arch = _arch(path)
    pins = {c.resource: dot_id(f"pin:{c.id}") for c in graph.clusters if c.resource}
    instance = {}
    for node in graph.nodes:
        instance.setdefault(node.of or node.id, set()).add(node.id)
    ids = box_ids(graph)
    for cluster in graph.clusters:   # a hop into a VPC or subnet reaches its box: its pin or what is in it
        if cluster.resource:
            inside = {n for n, b in laid.node_box.items() if b and _under(laid, b, ids[cluster.id])}
            instance.setdefault(cluster.resource, set()).update({pins[cluster.resource]} | inside)
    out = {}
    for tail, head, direction in laid.edges:
        assert direction == "forward", (tail, head)
        out.setdefault(tail, set()).add(head)
    declared = set()
    for flow in arch.flows:
        chain = [flow.get("source"), *(flow.get("via") or ()), flow.get("target")]
        chain = [name for name in chain if arch.get(name) is not None]
        declared |= set(zip(chain, chain[1:]))
    for a, b in declared:
        ends_a, ends_b = instance.get(a, set()), instance.get(b, set())
        if not ends_a or not ends_b:
            continue   # not drawn at this detail
        if ends_a & ends_b:
            continue   # a resource and the box it is drawn in (a VPN gateway in its VPC): nested, no edge
        direct = any(out.get(x, set()) & ends_b for x in ends_a)
        through_one = any(out.get(y, set()) & ends_b for x in ends_a for y in out.get(x, ()))
        assert direct or through_one, (path, a, b)
        if (b, a) not in declared:   # nothing drawn against the flow
            assert not any(out.get(y, set()) & ends_a for y in ends_b), (path, b, a)


@needs_dot
def test_regions_side_by_side_in_the_files_order(drawn):
    """Regions in one row read in the order the file meets them: the primary left of the recovery Region."""
    _, graph, laid = drawn
    ids = box_ids(graph)
    regions = [ids[c.id] for c in graph.clusters if c.kind == "region"]
    boxes = [laid.boxes[r] for r in regions]
    if len(boxes) > 1 and max(b[1] for b in boxes) < min(b[3] for b in boxes):   # one row
        assert [b[0] for b in boxes] == sorted(b[0] for b in boxes), regions


def test_columns_are_moved_into_order_keeping_other_boxes_in_place():
    from wavalidate.render.geometry import Layout, column_shifts
    boxes = {"az:b": (0, 0, 100, 50), "az:a": (120, 0, 180, 50), "global": (200, 0, 260, 50),
             "region:x": (0, 100, 10, 110)}
    parents = {"az:b": "vpc:v", "az:a": "vpc:v", "global": "vpc:v", "region:x": ""}
    laid = Layout(boxes, parents, {}, {}, (), 300, 120, {"az:a": 0, "az:b": 1})
    assert column_shifts(laid) == {"az:a": -120, "az:b": 80}   # a into b's place, the gap kept; global stays
    assert column_shifts(Layout(boxes, parents, {}, {}, (), 300, 120, {"az:a": 1, "az:b": 0})) == {}
