"""The DOT we hand to graphviz: structure, stable ids, relative icons, escaping. No `dot` needed."""
from __future__ import annotations

import importlib
import os
import re

import pytest

from wavalidate.render import build_graph
from wavalidate.render.drawing import icon_path, to_dot
from wavalidate.render.icons import ICONS, VARIANTS, icon_class
from wavalidate.render.labels import dot_id, html
from wavalidate.schema.types import RESOURCE_TYPES

from ..conftest import under_another_hash_seed
from .helpers import arch_of, graph_of
from .test_graph import HYBRID, finding

HOSTILE = [
    'a<b>c', 'x & y', 'say "hi"', 'back\\slash', 'trail\\', 'new\nline', '{braces}', '<<B>bold</B>>',
    '"]; evil [label="pwned"', '\\N\\G\\L', '>', 'node', 'sub;graph -> x', 'pct%41', '한글-이름',
]


def hostile_yaml() -> str:
    import json
    lines = ["version: 1", "name: " + json.dumps('shop <x> & "y" \\ {z}'), "resources:"]
    lines.append('  "vpc <1>": {type: vpc, region: eu-west-1, cidr: 10.0.0.0/16}')
    lines.append('  "sub\\"net": {type: subnet, vpc: "vpc <1>", az: eu-west-1a, cidr: 10.0.0.0/24}')
    for name in HOSTILE:
        lines.append(f"  {json.dumps(name)}: {{type: ec2_instance, subnet: 'sub\"net', instance_type: {json.dumps(name)}}}")
    lines.append(f"  lb: {{type: load_balancer, lb_type: alb, targets: {json.dumps(HOSTILE)}}}")
    return "\n".join(lines) + "\n"


def test_nodes_are_named_after_resources_and_boxes_after_paths():
    dot = to_dot(graph_of(HYBRID))
    assert re.search(r"^\s*nat \[label=<", dot, re.M)
    assert re.search(r'^\s*"asg@app-b" \[label=<.* id="asg@app-b"\]$', dot, re.M)
    assert 'subgraph "cluster_region:eu-west-1" {' in dot
    assert 'subgraph "cluster_region:eu-west-1/vpc:vpc/az:eu-west-1a/subnet:pub-a" {' in dot
    assert "subgraph cluster_global {" in dot and "subgraph cluster_onprem {" in dot


def test_subgraph_nesting_follows_the_boxes():
    dot = to_dot(graph_of(HYBRID))
    stack, where = [], {}
    for line in dot.splitlines():
        opened = re.match(r'\s*subgraph "?([^"{]+)"? \{', line)
        if opened:
            stack.append(opened.group(1))
        elif line.strip() == "}" and stack:
            stack.pop()
        node = re.match(r'\s*"?([\w-]+)"? \[label=<', line)
        if node:
            where[node.group(1)] = list(stack)
    assert where["nat"][-1].endswith("subnet:pub-a") and len(where["nat"]) == 4
    assert where["dns"] == ["cluster_global"] and where["vpn"] == []


def test_edges_to_a_vpc_end_at_its_box():
    dot = to_dot(graph_of(HYBRID))
    line = re.search(r'^\s*attach -> "pin%3Aregion%3Aeu-west-1/vpc%3Avpc" \[([^]]*)\]', dot, re.M)
    assert line and 'lhead="cluster_region:eu-west-1/vpc:vpc"' in line.group(1)
    assert not re.search(r"^\s*vpc \[", dot, re.M)   # no VPC icon inside its own box
    # boxes carry stable ids for the SVG
    assert 'id="vpc:vpc"' in dot and 'id="subnet:app-a"' in dot and 'id="az:eu-west-1a"' in dot


def test_edges_carry_constraint_colour_and_direction():
    graph = build_graph(arch_of(HYBRID), [finding("vpn", "routing")], "full")
    dot = to_dot(graph)
    assert re.search(r'asg -> "web-role" \[[^]]*constraint=false', dot)
    assert re.search(r'cgw -> vpn \[[^]]*color="#D32F2F"[^]]*penwidth=3', dot)
    assert re.search(r"alb -> web \[[^]]*dir=forward", dot)
    assert "constraint=false" not in re.search(r"alb -> web \[[^]]*\]", dot).group(0)


def test_findings_outline_badge_and_legend():
    dot = to_dot(build_graph(arch_of(HYBRID), [finding("vpn", "routing"), finding("vpn", "tunnels")]))
    vpn = re.search(r"^\s*vpn \[label=(.*)\]$", dot, re.M).group(1)
    assert 'BORDER="3" COLOR="#D32F2F"' in vpn and "<B>2</B>" in vpn
    assert "PERF001" in dot and "vpn is wrong" in dot
    plain = to_dot(build_graph(arch_of(HYBRID), None))
    assert "PERF001" not in plain and 'BORDER="3"' not in plain


def test_dot_is_the_same_under_another_hash_seed_and_has_no_machine_paths(rules):
    first = to_dot(graph_of(HYBRID, rules))
    assert "<B>" in first   # with findings drawn
    theirs = under_another_hash_seed(
        "import sys\n"
        "from tests.render.helpers import graph_of\n"
        "from tests.render.test_graph import HYBRID\n"
        "from wavalidate.plugins import load_rules\n"
        "from wavalidate.render.drawing import to_dot\n"
        "sys.stdout.buffer.write(to_dot(graph_of(HYBRID, load_rules()[0])).encode('utf-8'))\n")
    assert theirs == first.encode("utf-8")
    import diagrams
    site = os.path.dirname(os.path.dirname(diagrams.__file__))
    assert site not in first and "image=" not in first
    icons = re.findall(r'IMG SRC="([^"]+)"', first)
    assert icons and all(not os.path.isabs(i) and i.startswith(("aws/", "generic/", "onprem/")) for i in icons)


def test_hostile_names_are_escaped():
    graph = graph_of(hostile_yaml())
    dot = to_dot(graph)
    # nothing a name holds reaches DOT raw: no injected attribute, no stray quote or HTML
    assert 'pwned"' not in dot and "<B>bold</B>" not in dot   # quotes are %22 in ids, &quot; in labels
    for name in HOSTILE:
        assert f'"{dot_id(name)}"' in dot or re.search(rf"^\s*{re.escape(dot_id(name))} \[", dot, re.M), name
    # ids are one-to-one and never contain what could end a quoted string or open an HTML one
    ids = [dot_id(n) for n in HOSTILE]
    assert len(set(ids)) == len(ids)
    assert all('"' not in i and "\\" not in i and "<" not in i and "\n" not in i for i in ids)
    # labels hold entities, a doubled backslash (graphviz expands \N inside HTML labels too), <BR/> for newlines
    assert html('a<b>&"c"\\N\nx') == "a&lt;b&gt;&amp;&quot;c&quot;\\\\N<BR/>x"
    # every HTML label is balanced: each "<" opens a tag we wrote
    # every HTML label closes where we closed it, as graphviz's scanner reads it (by counting < and >)
    for start in [m.end() - 1 for m in re.finditer(r"label=<", dot)]:
        depth, end = 0, start
        for end in range(start, len(dot)):
            depth += {"<": 1, ">": -1}.get(dot[end], 0)
            if depth == 0:
                break
        assert dot[end] == ">" and dot[end + 1] in " ]\n", dot[start:end + 2]
        assert "\n" not in dot[start:end]


def test_every_icon_name_exists_in_the_installed_diagrams():
    for dotted in list(ICONS.values()) + list(VARIANTS.values()):
        module, _, name = dotted.rpartition(".")
        cls = getattr(importlib.import_module(f"diagrams.{module}"), name, None)
        assert cls is not None, dotted
        assert os.path.exists(os.path.join(os.path.dirname(os.path.dirname(importlib.import_module("diagrams").__file__)),
                                           cls._icon_dir, cls._icon)), dotted


def test_every_type_has_an_icon_or_a_labelled_fallback():
    missing = sorted(t for t in RESOURCE_TYPES if icon_class(t) is None)
    assert missing == sorted(t for t in RESOURCE_TYPES if t not in ICONS)
    assert icon_path("load_balancer", "nlb").endswith(".png") and icon_path("load_balancer", "nlb") != icon_path(
        "load_balancer", "alb")
    graph = graph_of("""
        version: 1
        resources:
          odd: {type: datasync_task, source: a, destination: b}
        """)
    from dataclasses import replace
    node = replace(graph.node("odd"), type="no_such_type")
    dot = to_dot(replace(graph, nodes=(node,)))
    assert "no_such_type" in dot and "IMG" not in re.search(r"odd \[label=(.*)\]", dot).group(1)


def _samples():
    from wavalidate.render.samples import sample_files
    return [os.path.splitext(os.path.basename(p))[0] for p in sample_files()]


@pytest.mark.parametrize("sample", _samples())
def test_committed_sample_dot_is_current(sample):
    """diagrams/*.dot (and so the PNGs made with them) match a fresh build.
    Regenerate with `python -m wavalidate.render.samples`."""
    from wavalidate.render.samples import ROOT, regenerate, sample_graph

    from ..conftest import UPDATE
    path = os.path.join(ROOT, "samples", f"{sample}.yaml")
    committed = os.path.join(ROOT, "diagrams", f"{sample}.dot")
    if UPDATE:
        regenerate()
    assert os.path.exists(committed) and os.path.exists(committed[:-4] + ".png"), \
        "diagrams/ lacks this sample: run `python -m wavalidate.render.samples`"
    from wavalidate.render.split import GROUP_ABOVE, plan
    graph = sample_graph(path)
    pictures = plan(graph)   # as `draw` does: a large sample's picture groups identical resources
    expected = to_dot(pictures[0][1], len(pictures) > 1 or len(graph.nodes) > GROUP_ABOVE)
    with open(committed, encoding="utf-8") as handle:
        assert handle.read() == expected, \
            "diagrams/ is stale: run `python -m wavalidate.render.samples`"
