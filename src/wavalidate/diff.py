"""`wavalidate diff BASE HEAD`: what a change to an architecture changes, in resources and in findings.

Findings are matched by their baseline key without the file (rule code,
resource name, document path), so moved lines and a renamed file do not
make a finding look new.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Optional

from .findings import Finding, Report
from .keys import key, path_text
from .loader import LoadError


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


def _resources(path: str, as_name: str) -> Optional[dict]:
    """The document and its resources by name, or None when the file does not load.

    A CloudFormation template is compared as translated, under one name for both versions (its stack
    resource and every resource's `stack` are named after the file, and BASE is often a temporary copy)."""
    from .inputs import parse_document
    from .loader import read_text
    try:
        data = parse_document(as_name, read_text(path)).data
    except LoadError:
        return None
    resources = data.get("resources") if isinstance(data, dict) else None
    return {"": data, **(resources if isinstance(resources, dict) else {})}


def compare(base: Report, head: Report) -> Diff:
    """The differences between two checked versions (each report holds one file)."""
    diff = Diff(base.files[0], head.files[0])
    before, after = _resources(diff.base, diff.head), _resources(diff.head, diff.head)
    if before is None or after is None:  # a version does not load: listing its resources as removed would mislead
        diff.resources_compared = False
        before = after = {}
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


def _line(f: Finding) -> str:
    from .formats.text import line
    return line(f)  # one line, control characters escaped, as `check` prints it


def text(diff: Diff) -> str:
    out = [f"wavalidate diff {diff.base} -> {diff.head}", ""]
    out.append(f"resources: {len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
               if diff.resources_compared else "resources: not compared, as a version does not load")
    out += [f"  + {c.name} ({c.type})" for c in diff.added]
    out += [f"  - {c.name} ({c.type})" for c in diff.removed]
    out += [f"  ~ {c.name} ({c.type}): {', '.join(c.keys)}" for c in diff.changed]
    if diff.document:
        out.append(f"  ~ document: {', '.join(diff.document)}")
    if any(f.is_input_error for f in diff.errors):
        out += ["", "findings: not compared, as a version has input errors"]
    else:
        out += ["", f"findings: {len(diff.new)} new, {len(diff.fixed)} fixed, {len(diff.still)} still present"]
    out += [f"  new    {_line(f)}" for f in diff.new]
    out += [f"  fixed  {_line(f)}" for f in diff.fixed]
    out += [f"  still  {_line(f)}" for f in diff.still]
    if diff.errors:
        out += ["", f"errors: {len(diff.errors)}"] + [f"  {_line(f)}" for f in diff.errors]
    if diff.diagram:
        out += ["", f"diagram: {diff.diagram}"]
    from .formats.text import printable
    return printable("\n".join(out), keep="\n") + "\n"  # resource names come from the files


def markdown(diff: Diff) -> str:
    from .formats.markdown import escape
    out = [f"## wavalidate diff: `{diff.base}` → `{diff.head}`", ""]
    findings = ("not compared (input errors)" if any(f.is_input_error for f in diff.errors) else
                f"{len(diff.new)} new, {len(diff.fixed)} fixed, {len(diff.still)} still present")
    resources = (f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
                 if diff.resources_compared else "not compared (a version does not load)")
    out.append(f"**Findings:** {findings}. **Resources:** {resources}.")
    out.append("")
    if diff.diagram:
        out += [f"Diagram of the changes: [{escape(diff.diagram)}]({diff.diagram.replace(' ', '%20')})", ""]
    if diff.errors:
        out += ["### Errors", ""] + [f"- `{f.file}:{f.line}:{f.col}` **{f.code}** {escape(f.message)}"
                                     for f in diff.errors] + [""]
    for title, chosen in (("New findings", diff.new), ("Fixed findings", diff.fixed)):
        if chosen:
            out += [f"### {title} ({len(chosen)})", "", "| severity | rule | resource | where | finding |",
                    "| --- | --- | --- | --- | --- |"]
            out += [f"| {f.severity} | {f.code} {f.name} | `{f.resource or path_text(f.path)}` | "
                    f"`{f.file}:{f.line}` | {escape(f.message)} |" for f in chosen]
            out.append("")
    if diff.added or diff.removed or diff.changed or diff.document:
        out += ["### Resources", "", "| change | resource | type | fields |", "| --- | --- | --- | --- |"]
        out += [f"| added | `{c.name}` | {c.type} | |" for c in diff.added]
        out += [f"| removed | `{c.name}` | {c.type} | |" for c in diff.removed]
        out += [f"| changed | `{c.name}` | {c.type} | {', '.join(c.keys)} |" for c in diff.changed]
        if diff.document:
            out.append(f"| changed | (document) | | {', '.join(diff.document)} |")
        out.append("")
    if diff.still:
        out += [f"<details><summary>{len(diff.still)} still present</summary>", ""]
        out += [f"- `{f.file}:{f.line}` {f.code}: {escape(f.message)}" for f in diff.still]
        out += ["", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"


RENDERERS = {"text": text, "markdown": markdown}


def draw(diff: Diff, head_path: str, output: str) -> list[str]:
    """A picture of HEAD with new findings coloured and added or changed resources marked.

    Needs the `wavalidate.render` package and graphviz; raises ImportError
    or the renderer's own error when they are missing.
    """
    from dataclasses import replace

    from .render import build_graph, draw as draw_graph, load_architecture
    arch = load_architecture(head_path)
    if arch is None:
        raise ValueError(f"{head_path} is not a valid architecture")
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
