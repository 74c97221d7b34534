"""Large architectures as data: grouping identical resources, an overview plus one picture per VPC."""
from __future__ import annotations

import os
import sys

from wavalidate.model import Architecture
from wavalidate.render import build_graph
from wavalidate.render.split import GROUP_ABOVE, MAX_NODES, group_identical, plan

from ..conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
from render_bench import generate  # noqa: E402


def graph(n: int):
    return build_graph(Architecture(generate(n), "big.yaml"), [])


def test_small_graphs_are_one_picture():
    g = graph(20)
    assert len(g.nodes) <= GROUP_ABOVE and plan(g) == [("", g)]


def test_identical_siblings_are_grouped():
    g = group_identical(graph(60))
    groups = [n for n in g.nodes if n.members]
    assert groups and all(n.label.startswith("EC2 ×") for n in groups if n.type == "ec2_instance")
    web = next(n for n in groups if n.type == "ec2_instance")
    assert len(web.members) == int(web.label.split("×")[1])
    # a member with its own flow is not identical to its siblings
    assert any(n.id == "vpc-00-web-00" for n in g.nodes)
    ids = {n.id for n in g.nodes}
    assert all(e.source in ids and e.target in ids for e in g.edges if e.kind != "placement")


def test_large_graphs_split_into_overview_and_vpcs():
    g = graph(1000)
    pictures = plan(g)
    suffixes = [s for s, _ in pictures]
    assert suffixes[0] == "" and len(suffixes) == len(set(suffixes))
    vpcs = {c.resource for c in g.clusters if c.kind == "vpc"}
    assert set(suffixes[1:]) == vpcs
    overview = pictures[0][1]
    assert {n.id for n in overview.nodes if n.type == "vpc"} == vpcs
    assert not [c for c in overview.clusters if c.kind in ("vpc", "az", "subnet")]
    for _, part in pictures:
        assert len(part.nodes) <= MAX_NODES * 2, part.title
        ids = {n.id for n in part.nodes}
        boxes = {c.resource for c in part.clusters}
        assert all(e.source in ids and (e.target in (boxes if e.kind == "placement" else ids))
                   for e in part.edges), part.title
    assert any(e.kind == "layout" for e in overview.edges)   # the overview is a grid, not one tall column


def test_split_never_and_always():
    g = graph(100)
    assert plan(g, split="never") == [("", g)]
    assert len(plan(graph(20), split="always")) > 1
