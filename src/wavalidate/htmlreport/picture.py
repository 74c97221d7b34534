"""The architecture picture for the HTML report: the renderer's SVG, with each resource's shape marked so
that clicking it can show the resource's findings."""
from __future__ import annotations

import html
import re
from typing import Optional, Sequence

from ..findings import Finding

# the renderer gives boxes and nodes stable ids (`vpc:NAME`, the resource name); graphviz's own are nodeN
_SHAPE = re.compile(r'<g id="[^"]*" class="(node|cluster)">\s*<title>([^<]*)</title>')
_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)


def svg(arch, findings: Sequence[Finding], resources: list[str], file_index: int) -> tuple[Optional[str], str]:
    """(the SVG text, "") or (None, why not). `resources` collects the names the picture shows, in order;
    each shape carries `data-file` and `data-res` (indexes into it), never a name of its own."""
    from ..render import build_graph
    from ..render.drawing import inline_icons, run_dot, to_dot
    from ..render.labels import dot_id
    from ..render.split import GROUP_ABOVE
    try:
        graph = build_graph(arch, list(findings))
        source = to_dot(graph, len(graph.nodes) > GROUP_ABOVE)
        data = inline_icons(run_dot(source, "svg")).decode("utf-8")
    except Exception as error:  # graphviz missing or failing: the report stands without the picture
        return None, f"the picture was not drawn: {error}"
    names: dict[str, list[str]] = {}
    for node in graph.nodes:
        if node.type == "users":   # the users at the entry are no resource of the file
            continue
        names[dot_id(node.id)] = list(node.members or (node.of or node.id,))   # a copy: its resource
    for cluster in graph.clusters:
        if cluster.resource:
            names[dot_id(f"cluster_{cluster.id}", endpoint=False)] = [cluster.resource]

    def mark(match: "re.Match[str]") -> str:
        members = names.get(html.unescape(match.group(2)))
        if not members:
            return match.group(0)
        indexes = []
        for name in members:
            if name not in resources:
                resources.append(name)
            indexes.append(str(resources.index(name)))
        return (match.group(0).replace(f'class="{match.group(1)}"',
                                       f'class="{match.group(1)} res" data-file="{file_index}" '
                                       f'data-res="{" ".join(indexes)}" tabindex="0" role="button"', 1))
    data = data[data.index("<svg"):]    # no XML prolog or DOCTYPE inside HTML
    data = _whole(data)
    data = _COMMENT.sub("", data)
    return _SHAPE.sub(mark, data), ""


_SIZE = re.compile(r'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"\s+viewBox="[^"]*"')


def _whole(data: str) -> str:
    """graphviz drawing at a dpi other than 72 scales the content but not the viewBox, which then clips the
    right and bottom of the picture: the viewBox is made the drawn size."""
    return _SIZE.sub(lambda m: f'<svg width="{m.group(1)}pt" height="{m.group(2)}pt" '
                               f'viewBox="0 0 {m.group(1)} {m.group(2)}"', data, count=1)
