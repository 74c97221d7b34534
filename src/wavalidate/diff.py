"""`wavalidate diff BASE HEAD`: what a change to an architecture changes, in resources and in findings.

Findings are matched by their baseline key without the file (rule code,
resource name, document path), so moved lines and a renamed file do not
make a finding look new.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from .finding_keys import key
from .findings import Finding, Report

if TYPE_CHECKING:
    from .loader import Document


@dataclass(frozen=True)
class Change:
    name: str
    type: str
    keys: tuple = ()       # for a changed resource: the fields that differ


@dataclass
class Diff:
    base: str
    head: str
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    document: list[str] = field(default_factory=list)      # top-level keys that changed (requirements, flows...)
    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    still: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)    # input and internal errors of either side
    resources_compared: bool = True                        # False when a version does not load
    diagram: Optional[str] = None

    def failing(self, fail_on: str) -> list[Finding]:
        if fail_on == "never":
            return []
        from .findings import RANK
        return [f for f in self.new if RANK.get(f.severity, 99) <= RANK[fail_on]]

    def exit_code(self, fail_on: str) -> int:
        if any(f.is_input_error for f in self.errors):
            return 2
        if any(f.is_internal_error for f in self.errors):
            return 3
        return 1 if self.failing(fail_on) else 0


def _resources(document: Document) -> dict:
    """The checked document (under "") and its resources by name."""
    data = document.data
    resources = data.get("resources") if isinstance(data, dict) else None
    return {"": data, **(resources if isinstance(resources, dict) else {})}


def _same_stack(before: dict, after: dict) -> dict:
    """BASE's resources with its template's stack named as HEAD's.

    A translated CloudFormation template names its stack resource (its first),
    the document and every resource's `stack` or `parent` after the file, and
    BASE is often a temporary copy: compared as they are, every resource would
    look changed."""
    old, new = _stack_name(before), _stack_name(after)
    if old is None or new is None or old == new:
        return before
    renamed = {"": {**before[""], "name": after[""].get("name")}}
    for name, body in before.items():
        if name == "":
            continue
        if isinstance(body, dict):
            body = {k: (new if k in ("stack", "parent") and v == old else v) for k, v in body.items()}
        renamed[new if name == old else name] = body
    return renamed


def _stack_name(resources: dict) -> Optional[str]:
    """The name of a translated template's own stack resource."""
    top = resources.get("")
    first = next((name for name in resources if name != ""), None)
    if not isinstance(top, dict) or first is None or _type(resources[first]) != "cloudformation_stack" \
            or first not in (top.get("name"), f"{top.get('name')}-stack"):
        return None
    return first


def compare(base: Report, head: Report) -> Diff:
    """The differences between two checked versions (each report holds one file)."""
    diff = Diff(base.files[0], head.files[0])
    old_document, new_document = (r.result(r.files[0]).document for r in (base, head))
    if old_document is None or new_document is None:
        diff.resources_compared = False  # a version does not load: listing its resources as removed would mislead
        before, after = {}, {}
    else:
        before, after = _resources(old_document), _resources(new_document)
        if old_document.text_source is not None and new_document.text_source is not None:  # two templates
            before = _same_stack(before, after)
    top_before, top_after = before.pop("", {}) or {}, after.pop("", {}) or {}
    if isinstance(top_before, dict) and isinstance(top_after, dict):
        diff.document = sorted(k for k in set(top_before) | set(top_after)
                               if k != "resources" and top_before.get(k) != top_after.get(k))
    for name in sorted(set(after) - set(before)):
        diff.added.append(Change(name, _type(after[name])))
    for name in sorted(set(before) - set(after)):
        diff.removed.append(Change(name, _type(before[name])))
    for name in sorted(set(before) & set(after)):
        old, new = before[name], after[name]
        if old != new:
            keys = sorted(k for k in set(_dict(old)) | set(_dict(new)) if _dict(old).get(k) != _dict(new).get(k))
            diff.changed.append(Change(name, _type(new), tuple(keys)))
    diff.errors = [f for f in base.findings + head.findings if not f.pillar and f.code.startswith("E")]
    if any(f.is_input_error for f in diff.errors):
        return diff  # the rules did not run on one side: comparing findings would be misleading
    old_findings = [f for f in base.active if f.pillar]
    left = Counter(key(f, with_file=False) for f in old_findings)
    for finding in (f for f in head.active if f.pillar):
        k = key(finding, with_file=False)
        if left[k] > 0:
            left[k] -= 1
            diff.still.append(finding)
        else:
            diff.new.append(finding)
    for finding in reversed(old_findings):  # the ones nothing in HEAD matched
        k = key(finding, with_file=False)
        if left[k] > 0:
            left[k] -= 1
            diff.fixed.append(finding)
    diff.fixed.reverse()
    return diff


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _type(body: Any) -> str:
    return str(_dict(body).get("type", "?"))


def draw(diff: Diff, head: Report, output: str) -> list[str]:
    """A picture of HEAD with new findings coloured and added or changed resources marked.

    Needs the `wavalidate.render` package and graphviz; raises ImportError
    or the renderer's own error when they are missing.
    """
    from dataclasses import replace

    from .render import build_graph
    from .render import draw as draw_graph
    arch = head.result(head.files[0]).architecture
    if arch is None:
        raise ValueError(f"{diff.head} is not a valid architecture")
    graph = build_graph(arch, diff.new)
    marks = {c.name: "added" for c in diff.added}
    marks.update({c.name: "changed: " + ", ".join(c.keys) for c in diff.changed})
    nodes = tuple(replace(n, detail=f"[{marks[n.id]}] {n.detail}".strip()) if n.id in marks else n
                  for n in graph.nodes)
    note = graph.note
    if diff.removed:
        note = (note + "\n" if note else "") + "removed: " + ", ".join(c.name for c in diff.removed)
    graph = replace(graph, nodes=nodes, note=note, title=f"{graph.title} (changes since {diff.base})")
    return draw_graph(graph, output, protect=[diff.base, diff.head])
