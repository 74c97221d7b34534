"""Drawing for real with graphviz (one PNG), the CLI, and what happens without graphviz."""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys

import pytest
from click.testing import CliRunner

from wavalidate.cli import main
from wavalidate.render.drawing import icon_root, run_dot, to_dot
from wavalidate.render.labels import dot_id

from ..conftest import ROOT, SAMPLES
from .helpers import graph_of
from .test_dot import HOSTILE, hostile_yaml

THREE_TIER = os.path.join(SAMPLES, "three-tier-web.yaml")
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@needs_dot
def test_real_png(tmp_path):
    """The one real bitmap: a PNG of sane size, with no "Scaling" warning from graphviz."""
    out = tmp_path / "three-tier.png"
    source = to_dot(graph_of(open(THREE_TIER, encoding="utf-8").read()))
    done = subprocess.run(["dot", "-Tpng", f"-Gimagepath={icon_root()}", "-o", str(out)],
                          input=source.encode(), capture_output=True, timeout=60)
    assert done.returncode == 0 and b"Scaling" not in done.stderr and b"Warning" not in done.stderr, done.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert 600 <= width <= 6000 and 600 <= height <= 6000, (width, height)


@needs_dot
def test_hostile_names_survive_graphviz():
    """graphviz parses the DOT of hostile names into exactly the nodes we meant, names intact."""
    source = to_dot(graph_of(hostile_yaml()))
    done = subprocess.run(["dot", "-Tjson", f"-Gimagepath={icon_root()}"], input=source.encode(),
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert b"syntax error" not in done.stderr and b"Error" not in done.stderr, done.stderr
    laid = json.loads(done.stdout)
    names = {o["name"] for o in laid["objects"] if "nodes" not in o}
    assert {dot_id(n) for n in HOSTILE} | {"lb"} <= names
    assert "evil" not in names and not any(n.startswith("<") for n in names)
    assert len([e for e in laid.get("edges", ()) if e.get("style") != "invis"]) == len(HOSTILE) + 1   # and users -> lb
    run_dot(source, "png")   # and a real bitmap of them, without complaint


@needs_dot
def test_render_command_formats_and_extension(tmp_path):
    for name in ("arch.png", "arch.svg", "arch.pdf", "arch.dot"):
        result = run("render", THREE_TIER, "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert result.output.strip() == str(tmp_path / name)
    svg = (tmp_path / "arch.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith(("<?xml", "<!DOCTYPE", "<svg"))
    # the SVG stands alone: its icons are embedded, not names relative to a folder of this machine
    assert 'xlink:href="data:image/png;base64,' in svg and 'xlink:href="aws/' not in svg
    assert (tmp_path / "arch.pdf").read_bytes()[:4] == b"%PDF"
    assert (tmp_path / "arch.dot").read_text(encoding="utf-8").startswith("digraph")
    result = run("render", THREE_TIER, "-o", str(tmp_path / "picture"), "--format", "svg")
    assert result.exit_code == 0 and (tmp_path / "picture").read_text(encoding="utf-8").find("<svg") >= 0


def test_render_dot_needs_no_graphviz_and_is_stable(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    first, second = tmp_path / "a.dot", tmp_path / "b.dot"
    assert run("render", THREE_TIER, "-o", str(first)).exit_code == 0
    assert run("render", THREE_TIER, "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert run("render", THREE_TIER, "-o", str(first), "--no-findings").exit_code == 0
    assert "REL001" not in first.read_text(encoding="utf-8")


def test_missing_dot_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    result = CliRunner().invoke(main, ["render", THREE_TIER, "-o", str(tmp_path / "a.png")])
    assert result.exit_code == 2
    assert "apt-get install graphviz fonts-dejavu-core" in result.stderr
    assert not (tmp_path / "a.png").exists()
    # check works without graphviz; with --diagram it reports and exits 2
    assert run("check", THREE_TIER, "--fail-on", "never").exit_code == 0
    result = CliRunner().invoke(main, ["check", THREE_TIER, "--fail-on", "never",
                                                       "--diagram", str(tmp_path / "a.png")])
    assert result.exit_code == 2 and "apt-get install graphviz" in result.stderr


@needs_dot
def test_check_with_diagram(tmp_path):
    out = tmp_path / "out.png"
    result = run("check", THREE_TIER, "--fail-on", "never", "--diagram", str(out))
    assert result.exit_code == 0 and out.read_bytes()[:4] == b"\x89PNG"
    result = run("check", THREE_TIER, "--fail-on", "never", "--diagram", str(tmp_path / "x.dot"), "--no-findings")
    assert result.exit_code == 0 and "REL001" not in (tmp_path / "x.dot").read_text(encoding="utf-8")


def test_writes_are_safe(tmp_path):
    copy = tmp_path / "arch.yaml"
    copy.write_text(open(THREE_TIER, encoding="utf-8").read(), encoding="utf-8")
    result = run("render", str(copy), "-o", str(copy), "--format", "dot", "--allow-outside-root")
    assert result.exit_code == 2 and "refusing to overwrite the input" in result.output
    result = run("render", str(copy), "-o", str(tmp_path / "missing" / "a.dot"), "--allow-outside-root")
    assert result.exit_code == 2 and "does not exist" in result.output
    assert sorted(os.listdir(tmp_path)) == ["arch.yaml"]   # no temporary files left behind


def test_output_dir_and_bad_input(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nresources: {x: {type: nope}}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", THREE_TIER, str(bad), "-d", str(tmp_path),
                                                       "-f", "dot"])
    assert result.exit_code == 2 and "bad.yaml" in result.stderr
    assert (tmp_path / "three-tier-web.dot").exists() and not (tmp_path / "bad.dot").exists()


def test_check_never_imports_diagrams_or_graphviz():
    code = ("import sys, wavalidate.cli\n"
            "from click.testing import CliRunner\n"
            f"r = CliRunner().invoke(wavalidate.cli.main, ['check', {THREE_TIER!r}, '--fail-on', 'never'])\n"
            "assert r.exit_code == 0, r.output\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('diagrams', 'graphviz')]\n"
            "assert not bad, bad\n"
            "import wavalidate.render, wavalidate.render.graph, wavalidate.render.split\n"
            "assert not [m for m in sys.modules if m.split('.')[0] in ('diagrams', 'graphviz')]\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr


@needs_dot
def test_a_bitmap_graphviz_would_scale_down_is_refused():
    from wavalidate.render.drawing import TooLarge
    with pytest.raises(TooLarge):
        run_dot('digraph { a [shape=box width=400 height=1] }', "png")   # 38,400 px wide at 96 dpi


def test_a_picture_too_large_in_one_piece_is_split_not_scaled(tmp_path, monkeypatch):
    from wavalidate.render import drawing
    calls = []

    def fake_dot(source, fmt):
        calls.append(source)
        if len(calls) == 1:
            raise drawing.TooLarge("Scaling by 0.5 to fit")
        return b"\x89PNG\r\n\x1a\n" + b"\x00" * 16

    monkeypatch.setattr(drawing, "run_dot", fake_dot)
    monkeypatch.setattr(drawing, "dot_program", lambda: "/usr/bin/dot")
    graph = graph_of(open(os.path.join(SAMPLES, "hybrid-network.yaml"), encoding="utf-8").read())
    written = drawing.draw(graph, str(tmp_path / "net.png"))
    assert written[0] == str(tmp_path / "net.png") and len(written) > 1
    assert all(os.path.exists(p) for p in written)
    calls.clear()
    monkeypatch.setattr(drawing, "run_dot", lambda s, f: (_ for _ in ()).throw(drawing.TooLarge("x")))
    with pytest.raises(drawing.TooLarge, match="svg or pdf"):
        drawing.draw(graph, str(tmp_path / "other.png"))
    assert not (tmp_path / "other.png").exists()


def test_check_diagram_of_a_broken_file_says_why(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nresources: {x: {type: nope}}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bad), "--diagram", str(tmp_path / "bad.dot")])
    assert result.exit_code == 2 and "has input errors" in result.stderr
    assert not (tmp_path / "bad.dot").exists()


def test_detail_and_view_pick_what_is_drawn(tmp_path):
    """--detail full adds the secondary resources; --view data keeps the data stores and what feeds them;
    --detail overview draws each VPC as one node."""
    def nodes(*args):
        out = tmp_path / "x.dot"
        result = run("render", THREE_TIER, "-o", str(out), "--allow-outside-root", *args)
        assert result.exit_code == 0, result.output
        return set(re.findall(r'^\s*"?([\w@:%-]+)"? \[label=<', out.read_text(encoding="utf-8"), re.M))
    default = nodes()
    assert {"web-alb", "app-asg", "orders-db", "nat-a"} <= default and "shop-flow-log" not in default
    assert {"shop-flow-log", "app-tg"} <= nodes("--detail", "full")
    data = nodes("--view", "data")
    assert {"orders-db", "session-cache", "assets", "app-asg"} <= data and "nat-a" not in data
    assert {"app-sg", "web-sg", "db-sg"} <= nodes("--view", "security")
    overview = nodes("--detail", "overview")
    assert "shop-vpc" in overview and "web-alb" not in overview
    assert run("render", THREE_TIER, "--detail", "everything").exit_code == 2


def test_text_is_readable_at_the_pictures_own_size():
    """Every font in the DOT is at least 11 pt: 14.7 px at the PNG's 96 dpi; addresses never wrap."""
    from wavalidate.render.labels import wrap
    from wavalidate.render.samples import sample_files, sample_graph
    for path in sample_files():
        source = to_dot(sample_graph(path))
        sizes = [float(s) for s in re.findall(r'(?:POINT-SIZE="|fontsize=)([\d.]+)', source)]
        assert sizes and min(sizes) >= 11, (path, min(sizes))
        assert 'dpi=96' in source
    assert wrap("customer gateway · 203.0.113.200", 20) == "customer gateway ·\n203.0.113.200"
    assert "10.120.130.0/24" in wrap("route 10.120.130.0/24 to nat-a", 8).split("\n")


def test_edge_labels_are_dark_on_a_light_background():
    from wavalidate.render.drawing import edge_attrs
    from wavalidate.render.graph import Edge
    attrs = edge_attrs(Edge("a", "b", "flow", "3Gbps", severity="high"))
    assert attrs["fontcolor"] == "#232F3E" and 'BGCOLOR="#FFFFFFE6"' in attrs["label"]
    assert attrs["color"] == "#D32F2F"


def test_a_picture_of_several_vpcs_over_the_slide_size_is_split(tmp_path, monkeypatch):
    """Over 2,400 x 1,600 px, an architecture of several VPCs becomes an overview plus one picture per VPC;
    a single VPC stays whole (there is nothing to split it by)."""
    from wavalidate.render import drawing

    def png(width, height):
        return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + struct.pack(">II", width, height)
    sizes = []
    monkeypatch.setattr(drawing, "run_dot", lambda source, fmt: png(*sizes.pop(0)) if sizes else png(1000, 800))
    monkeypatch.setattr(drawing, "dot_program", lambda: "/usr/bin/dot")
    hybrid = graph_of(open(os.path.join(SAMPLES, "hybrid-network.yaml"), encoding="utf-8").read())
    sizes[:] = [(2000, 1700)]
    written = drawing.draw(hybrid, str(tmp_path / "net.png"))
    assert len(written) == 3 and written[0] == str(tmp_path / "net.png")
    sizes[:] = [(2400, 1600)]
    assert len(drawing.draw(hybrid, str(tmp_path / "fits.png"))) == 1
    sizes[:] = [(3000, 1000)]
    assert len(drawing.draw(graph_of(open(THREE_TIER, encoding="utf-8").read()), str(tmp_path / "one.png"))) == 1


def test_diff_marks_are_tags_not_small_text():
    """`wavalidate diff --diagram` marks added and changed resources: a white-on-colour tag and outline."""
    from wavalidate.render.drawing import CHANGE_COLOURS, node_label
    from wavalidate.render.graph import Node
    added = node_label(Node("cache", "elasticache_cluster", "cache", "[added] ElastiCache · redis"))
    assert "<B>ADDED</B>" in added and f'BGCOLOR="{CHANGE_COLOURS["added"]}"' in added
    assert f'BORDER="3" COLOR="{CHANGE_COLOURS["added"]}"' in added and "[added]" not in added
    changed = node_label(Node("asg", "auto_scaling_group", "asg", "[changed: max_size] Auto Scaling group",
                              severity="high", findings=1))
    assert "CHANGED: max_size" in changed and 'BORDER="3" COLOR="#D32F2F"' in changed   # a finding's colour wins
