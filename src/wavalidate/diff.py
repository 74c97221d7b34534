"""`wavalidate diff`: what a change to architectures changes, in resources (field by field) and in findings.

`compare` compares two versions of one file (a `Diff`); a `Review` gathers
the `Diff`s of every file a pull request changed (`diff --base REF`).
Findings are matched by their baseline key without the file (rule code,
resource name, document path), so moved lines and a renamed file do not
make a finding look new.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Sequence

from .finding_keys import key
from .findings import RANK, Finding, Report

if TYPE_CHECKING:
    from .loader import Document


ABSENT = type("Absent", (), {"__repr__": lambda self: "(absent)"})()   # a field one version does not have


@dataclass(frozen=True)
class FieldChange:
    """One changed field, by its path under the resource (`scaling.min_size`), with both values."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Change:
    name: str
    type: str
    keys: tuple = ()       # for a changed resource: the top-level fields that differ
    fields: tuple = ()     # FieldChange for each changed leaf field, sorted by path


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
    still: list[Finding] = field(default_factory=list)     # new, fixed and still: sorted by severity, then place
    errors: list[Finding] = field(default_factory=list)    # input and internal errors of either side
    resources_compared: bool = True                        # False when a version does not load
    diagram: Optional[str] = None
    head_errors: list[Finding] = field(default_factory=list)   # the errors of HEAD alone
    before: Any = field(default=None, repr=False)   # the FileResult of each version (None: absent)
    after: Any = field(default=None, repr=False)
    status: str = "modified"                               # added, deleted, renamed or modified

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


def compare(base: Optional[Report], head: Optional[Report], base_file: Optional[str] = None,
            head_file: Optional[str] = None) -> Diff:
    """The differences between two checked versions of a file: `base_file` of `base` and `head_file` of
    `head` (by default each report's first file). A missing side (None) is a file added or deleted."""
    base_file = base_file or (base.files[0] if base else "")
    head_file = head_file or (head.files[0] if head else "")
    status = "added" if base is None else "deleted" if head is None else \
        "renamed" if base_file != head_file else "modified"
    diff = Diff(base_file or head_file, head_file or base_file, status=status)
    empty = Report([], [], [])
    base, head = _only(base or empty, base_file), _only(head or empty, head_file)
    old_document, new_document = (_document(r, name) for r, name in ((base, base_file), (head, head_file)))
    diff.before, diff.after = base.results.get(base_file), head.results.get(head_file)
    if (old_document is None and status != "added") or (new_document is None and status != "deleted"):
        diff.resources_compared = False  # a version does not load: listing its resources as removed would mislead
        before, after = {}, {}
    else:
        before, after = (_resources(d) if d is not None else {} for d in (old_document, new_document))
        if old_document is not None and new_document is not None and \
                old_document.text_source is not None and new_document.text_source is not None:  # two templates
            before = _same_stack(before, after)
    top_before, top_after = before.pop("", {}) or {}, after.pop("", {}) or {}
    if isinstance(top_before, dict) and isinstance(top_after, dict):
        diff.document = [] if status in ("added", "deleted") else \
            sorted(k for k in set(top_before) | set(top_after)
                   if k != "resources" and top_before.get(k) != top_after.get(k))
    for name in sorted(set(after) - set(before)):
        diff.added.append(Change(name, _type(after[name])))
    for name in sorted(set(before) - set(after)):
        diff.removed.append(Change(name, _type(before[name])))
    for name in sorted(set(before) & set(after)):
        old, new = before[name], after[name]
        if old != new:
            keys = sorted(k for k in set(_dict(old)) | set(_dict(new)) if _dict(old).get(k) != _dict(new).get(k))
            diff.changed.append(Change(name, _type(new), tuple(keys), tuple(field_changes(old, new))))
    diff.errors = [f for f in base.findings + head.findings if not f.pillar and f.code.startswith("E")]
    diff.head_errors = [f for f in head.findings if not f.pillar and f.code.startswith("E")]
    if any(f.is_input_error for f in diff.head_errors):
        return diff  # the rules did not run on HEAD: comparing findings would be misleading
    # a BASE that did not load had no findings to keep: everything HEAD has is new, as for an added file
    old_findings = [] if any(f.is_input_error for f in diff.errors) else [f for f in base.active if f.pillar]
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
    diff.new, diff.fixed, diff.still = by_severity(diff.new), by_severity(diff.fixed), by_severity(diff.still)
    return diff


def field_changes(old: Any, new: Any, prefix: str = "") -> list[FieldChange]:
    """The leaf fields that differ between two values, mappings compared key by key (lists as wholes)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in sorted(set(old) | set(new), key=str):
            a, b = old.get(k, ABSENT), new.get(k, ABSENT)
            if a != b:
                out += field_changes(a, b, f"{prefix}.{k}" if prefix else str(k))
        return out
    return [FieldChange(prefix or "(value)", old, new)]


def _only(report: Report, file: str) -> Report:
    """A report of one file's findings (a `diff --base` checks every file of a side at once)."""
    if report.files == [file] or not file:
        return report
    findings = [f for f in report.findings if f.file == file]
    return Report(findings, [file], report.rules, results={file: report.results[file]}
                  if file in report.results else {})


def _document(report: Report, file: str) -> Optional[Document]:
    return report.results[file].document if file in report.results else None


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Findings as a reviewer reads them: most severe first, then by file, line and column."""
    return sorted(findings, key=lambda f: (RANK.get(f.severity, 99),) + f.sort_key())


@dataclass
class Review:
    """The comparison of every file a change touched: `diff --base REF`, or one `diff BASE HEAD`."""

    diffs: list[Diff]
    base: str = ""                         # the ref (or BASE file) compared with
    head: str = ""                         # "the working tree", or the HEAD file
    rules: dict = field(default_factory=dict)   # code -> Rule, for fix hints and rationale
    pictures: list = field(default_factory=list)  # (file, "before" or "after", path) drawn for it

    @property
    def new(self) -> list[Finding]:
        return by_severity([f for d in self.diffs for f in d.new])

    @property
    def fixed(self) -> list[Finding]:
        return by_severity([f for d in self.diffs for f in d.fixed])

    @property
    def still(self) -> list[Finding]:
        return by_severity([f for d in self.diffs for f in d.still])

    @property
    def errors(self) -> list[Finding]:
        return [f for d in self.diffs for f in d.errors]

    def fix(self, finding: Finding) -> str:
        """The rule's fix hint, on one line ("" when the rule has none)."""
        rule = self.rules.get(finding.code)
        return " ".join((getattr(rule, "remediation", "") or "").split())

    def counts(self) -> dict:
        """The numbers every format of the review shows, computed here once."""
        new = self.new
        return {
            "files": len(self.diffs),
            "files_by_status": {s: sum(1 for d in self.diffs if d.status == s)
                                for s in ("added", "deleted", "renamed", "modified")},
            "resources": {"added": sum(len(d.added) for d in self.diffs),
                          "removed": sum(len(d.removed) for d in self.diffs),
                          "changed": sum(len(d.changed) for d in self.diffs)},
            "findings": {"new": len(new), "fixed": len(self.fixed), "still": len(self.still)},
            "new_by_severity": {s: sum(1 for f in new if f.severity == s) for s in RANK},
            "errors": len(self.errors),
        }

    def failing(self, fail_on: str) -> list[Finding]:
        return [f for d in self.diffs for f in d.failing(fail_on)]

    def exit_code(self, fail_on: str) -> int:
        """As `check`, for HEAD: 2 input errors, 3 a rule failed, 1 a new finding at or above `fail_on`."""
        # against a ref, only HEAD's errors count: a pull request that fixes a broken file passes
        errors = [f for d in self.diffs for f in (d.head_errors if self.head == WORKTREE else d.errors)]
        if any(f.is_input_error for f in errors):
            return 2
        if any(f.is_internal_error for f in errors):
            return 3
        return 1 if self.failing(fail_on) else 0


WORKTREE = "the working tree"


def review_of(diff: "Diff | Review") -> Review:
    """A single-file Diff as a Review of one file, so every format takes either."""
    if isinstance(diff, Review):
        return diff
    return Review([diff], diff.base, diff.head)


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


def draw_versions(review: Review, folder: str, protect: Sequence[str] = ()) -> list[tuple[str, str, str]]:
    """Each compared file drawn before (with the findings the change fixes) and after (with the new ones) as
    SVG in `folder`, named after its path in the repository. Returns (file, "before"/"after", picture)."""
    import os

    from .render import build_graph
    from .render import draw as draw_graph
    drawn = []
    for d in review.diffs:
        for when, result, findings, name in (("before", d.before, d.fixed + d.still, d.base),
                                             ("after", d.after, d.new + d.still, d.head)):
            arch = result.architecture if result is not None else None
            if arch is None:
                continue
            stem = d.head.replace("/", "__").replace("\\", "__").lstrip(".")
            target = os.path.join(folder, f"{os.path.splitext(stem)[0]}.{when}.svg")
            mine = [f for f in findings if f.file == name]
            written = draw_graph(build_graph(arch, mine), target, "svg", protect=list(protect), split="never")
            drawn += [(d.head, when, path) for path in written]
    return drawn
