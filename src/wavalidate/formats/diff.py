"""`wavalidate diff`'s outputs: pure functions from a `diff.Review` (or one `diff.Diff`) to text.

Every format shows the numbers of `Review.counts()`, so they cannot disagree.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from .. import __version__
from ..finding_keys import path_text
from ..findings import Finding, Report
from ..vocabulary import PILLARS
from .escape import html_text, markdown_code, markdown_text
from .markdown import escape
from .text import line, printable

if TYPE_CHECKING:
    from ..diff import Change, Diff, FieldChange, Review

COMMENT_LIMIT = 65_536   # characters in a GitHub pull-request comment
VALUE_WIDTH = 60


def _review(diff: Union["Diff", "Review"]) -> "Review":
    from ..diff import review_of
    return review_of(diff)


def value_text(value: Any, width: int = VALUE_WIDTH) -> str:
    """A field's value on one line: scalars as written, mappings and lists as compact JSON, cut at `width`."""
    from ..diff import ABSENT
    if value is ABSENT:
        return "(absent)"
    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(", ", ": "))
    text = " ".join(text.split()) if text.strip() else json.dumps(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def field_text(change: "FieldChange") -> str:
    return f"{change.field}: {value_text(change.old)} -> {value_text(change.new)}"


def _heading(review: "Review") -> str:
    return f"{review.base} -> {review.head}"


def _summary_lines(review: "Review") -> tuple[str, str, str]:
    counts = review.counts()
    files = counts["files_by_status"]
    r, f = counts["resources"], counts["findings"]
    compared = all(d.resources_compared for d in review.diffs)
    resources = (f"{r['added']} added, {r['removed']} removed, {r['changed']} changed" if compared else
                 "not compared, as a version does not load")
    findings = ("not compared, as HEAD has input errors"
                if any(x.is_input_error for d in review.diffs for x in d.head_errors)
                else f"{f['new']} new, {f['fixed']} fixed, {f['still']} still present")
    file_line = f"{counts['files']} compared: " + ", ".join(f"{n} {s}" for s, n in files.items())
    return file_line, resources, findings


# -- text ---------------------------------------------------------------------

def text(diff: Union["Diff", "Review"], **_: object) -> str:
    review = _review(diff)
    several = len(review.diffs) != 1 or review.diffs[0].status != "modified" or review.head != review.diffs[0].head
    file_line, resources, findings = _summary_lines(review)
    out = [f"wavalidate diff {_heading(review)}", ""]
    if several:
        out.append(f"files: {file_line}")
    out.append(f"resources: {resources}")
    indent = "    " if several else "  "
    for d in review.diffs:
        if several:
            name = d.head if d.status != "renamed" else f"{d.base} -> {d.head}"
            out.append(f"  {name} ({d.status})")
        out += _resource_lines(d, indent)
    if not review.diffs:
        out.append("  no architecture file or template changed")
    out += ["", f"findings: {findings}"]
    for label, chosen in (("new", review.new), ("fixed", review.fixed), ("still", review.still)):
        for f in chosen:
            out.append(f"  {label:<6} {_line(f)}")
            hint = review.fix(f) if label == "new" else ""
            if hint:
                out.append(f"         fix: {hint}")
    if review.errors:
        out += ["", f"errors: {len(review.errors)}"] + [f"  {_line(f)}" for f in review.errors]
    pictures = [d.diagram for d in review.diffs if d.diagram] + [p for _, _, p in review.pictures]
    if pictures:
        out += [""] + [f"diagram: {p}" for p in pictures]
    return printable("\n".join(out), keep="\n") + "\n"  # resource names and values come from the files


def _resource_lines(d: "Diff", indent: str) -> list[str]:
    out = [f"{indent}+ {c.name} ({c.type})" for c in d.added]
    out += [f"{indent}- {c.name} ({c.type})" for c in d.removed]
    for c in d.changed:
        out.append(f"{indent}~ {c.name} ({c.type}): {', '.join(c.keys)}")
        out += [f"{indent}    {field_text(x)}" for x in c.fields]
    if d.document:
        out.append(f"{indent}~ document: {', '.join(d.document)}")
    return out


def _line(f: Finding) -> str:
    return line(f)  # one line, control characters escaped, as `check` prints it


# -- markdown (a pull-request comment) -------------------------------------------

def markdown(diff: Union["Diff", "Review"], limit: int = COMMENT_LIMIT, artifact_url: Optional[str] = None,
             **_: object) -> str:
    """The review as a PR comment of at most `limit` characters: what does not fit is left out with a note
    that links to `artifact_url` (the full review uploaded as a CI artifact)."""
    review = _review(diff)
    file_line, resources, findings = _summary_lines(review)
    head = [f"## wavalidate diff: {_code(review.base)} → {_code(review.head)}", "",
            f"**Findings:** {findings}. **Resources:** {resources}.", ""]
    if len(review.diffs) != 1 or review.diffs[0].status != "modified":
        head += [f"**Files:** {file_line}.", ""]
    counts = review.counts()["new_by_severity"]
    if any(counts.values()):
        head += ["New by severity: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n) + ".", ""]
    sections: list[tuple[list[str], list[str], list[str]]] = []
    pictures = [(d.head, "after", d.diagram) for d in review.diffs if d.diagram] + list(review.pictures)
    if pictures:
        sections.append((["### Pictures", ""], [f"- {_code(file)} ({when}): {_link(path, artifact_url)}"
                                                for file, when, path in pictures], [""]))
    if review.errors:
        sections.append((["### Errors", ""], [f"- {_code(f'{f.file}:{f.line}:{f.col}')} **{f.code}** "
                                              f"{escape(f.message, False)}" for f in review.errors], [""]))
    new = review.new
    if new:
        sections.append(([f"### New findings ({len(new)})", ""], [], []))
        for pillar in PILLARS:
            chosen = [f for f in new if f.pillar == pillar]
            if chosen:
                sections.append(_table(f"{pillar} ({len(chosen)})", chosen, review, opened=True))
    if review.fixed:
        sections.append(_table(f"Fixed findings ({len(review.fixed)})", review.fixed, None, opened=None))
    if any(d.added or d.removed or d.changed or d.document for d in review.diffs):
        sections.append((["### Resources", ""], [], []))
        for d in review.diffs:
            rows = _resource_rows(d)
            if rows:
                name = d.head if d.status != "renamed" else f"{d.base} → {d.head}"
                sections.append(([f"<details open><summary><code>{html_text(name)}</code> ({d.status}): "
                                  f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
                                  "</summary>", "", "| change | resource | type | fields: old → new |",
                                  "| --- | --- | --- | --- |"], rows, ["", "</details>", ""]))
    if review.still:
        sections.append(([f"<details><summary>{len(review.still)} still present</summary>", ""],
                         [f"- {_code(f'{f.file}:{f.line}')} {f.code}: {escape(f.message, False)}"
                          for f in review.still],
                         ["", "</details>", ""]))
    if not new and not review.errors:
        sections.append((["No new findings. 🎉", ""], [], []))
    return fit(head, sections, limit, artifact_url)


def _table(title: str, chosen: list[Finding], review: Optional["Review"], opened: Optional[bool]) -> tuple:
    """A table of findings, under a heading (`opened` None) or in a collapsible section."""
    columns = "| severity | rule | resource | where | finding |" + (" fix |" if review else "")
    rows = [f"| {f.severity} | {f.code} {f.name} | {_code(f.resource or path_text(f.path), True)} | "
            f"{_code(f'{f.file}:{f.line}', True)} | {escape(f.message)} |"
            + (f" {escape(review.fix(f))} |" if review else "")
            for f in chosen]
    top = [f"### {title}"] if opened is None else [f"<details{' open' if opened else ''}><summary>{html_text(title)}"
                                                   "</summary>"]
    return (top + ["", columns, "|" + " --- |" * (columns.count("|") - 1)], rows,
            [""] if opened is None else ["", "</details>", ""])


def _resource_rows(d: "Diff") -> list[str]:
    rows = [f"| added | {_code(c.name, True)} | {markdown_text(c.type)} | |" for c in d.added]
    rows += [f"| removed | {_code(c.name, True)} | {markdown_text(c.type)} | |" for c in d.removed]
    rows += [f"| changed | {_code(c.name, True)} | {markdown_text(c.type)} | "
             + "<br>".join(f"{_code(x.field, True)}: {markdown_text(value_text(x.old))} → "
                           f"{markdown_text(value_text(x.new))}"
                           for x in c.fields) + " |" for c in d.changed]
    if d.document:
        rows.append(f"| changed | (document) | | {', '.join(markdown_text(k) for k in d.document)} |")
    return rows


def _code(text: str, table: bool = False) -> str:
    """A code span nothing in `text` can close (formats/escape.py); `table`: inside a table cell."""
    return markdown_code(str(text), table)


def _link(path: str, artifact_url: Optional[str]) -> str:
    """A picture as a CI artifact: its path in the workspace, linked under `artifact_url` when given."""
    from ..finding_keys import file_key
    path = file_key(path)   # relative to the workspace, as the artifact holds it
    if not artifact_url:
        return f"{_code(path)} (in the CI artifacts)"
    from urllib.parse import quote
    return f"[{markdown_text(path)}]({artifact_url.rstrip('/')}/{quote(path)})"


def fit(head: list[str], sections: list[tuple[list[str], list[str], list[str]]], limit: int,
        artifact_url: Optional[str]) -> str:
    """Head and sections (header, items, footer) within `limit` characters. Items that do not fit are left
    out, each section that lost some says how many, and a last note points to the full review."""
    note_room = 400
    budget = limit - note_room - len("\n".join(head)) - 1
    out = list(head)
    left_out = 0
    for header, items, footer in sections:
        fixed = len("\n".join(header + footer)) + 2
        if fixed + 200 > budget:
            left_out += len(items) or 1
            continue
        budget -= fixed
        shown = 0
        for item in items:
            if len(item) + 1 + 200 > budget:
                break
            budget -= len(item) + 1
            shown += 1
        kept = items[:shown]
        if shown < len(items):
            more = f"… {len(items) - shown} more not shown here"
            kept.append(f"| | | | | {more} |" if item.startswith("|") else f"- {more}")
            budget -= len(kept[-1]) + 1
            left_out += len(items) - shown
        out += header + kept + footer
    if left_out:
        where = f"[the full review]({artifact_url})" if artifact_url else "the full review in the CI artifacts"
        out += ["", f"> **Cut to fit GitHub's {COMMENT_LIMIT:,}-character comment limit:** {left_out} more "
                    f"item{'s' if left_out != 1 else ''} left out; see {where} (`--format text` or `json`)."]
    return "\n".join(out).rstrip("\n") + "\n"


# -- json -------------------------------------------------------------------------

def json_text(diff: Union["Diff", "Review"], **_: object) -> str:
    from .json_format import finding_dict
    review = _review(diff)

    def finding(f: Finding) -> dict:
        return {**finding_dict(f), "fix": review.fix(f) or None}
    files = [{"base": d.base if d.status != "added" else None, "head": d.head if d.status != "deleted" else None,
              "status": d.status, "resources_compared": d.resources_compared,
              "resources": {"added": [_change(c) for c in d.added], "removed": [_change(c) for c in d.removed],
                            "changed": [_change(c) for c in d.changed]},
              "document": d.document, "diagram": d.diagram} for d in review.diffs]
    document = {"schema_version": 1, "tool": {"name": "wavalidate", "version": __version__},
                "base": review.base, "head": review.head, "counts": review.counts(), "files": files,
                "findings": {"new": [finding(f) for f in review.new], "fixed": [finding(f) for f in review.fixed],
                             "still": [finding(f) for f in review.still]},
                "errors": [finding_dict(f) for f in review.errors],
                "pictures": [{"file": f, "when": w, "path": p} for f, w, p in review.pictures]}
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def _change(c: "Change") -> dict:
    from ..diff import ABSENT
    out: dict = {"name": c.name, "type": c.type}
    if c.fields:
        out["fields"] = [{"field": x.field, **({"old": x.old} if x.old is not ABSENT else {}),
                          **({"new": x.new} if x.new is not ABSENT else {})} for x in c.fields]
    return out


# -- sarif --------------------------------------------------------------------------

def sarif(diff: Union["Diff", "Review"], **_: object) -> str:
    """The SARIF of `check`, limited to the new findings (and HEAD's errors), so code scanning shows only
    what the change brought."""
    from .sarif import render
    review = _review(diff)
    errors = [f for d in review.diffs for f in d.head_errors]
    files = sorted({d.head for d in review.diffs if d.status != "deleted"})
    return render(Report(review.new + errors, files, list(review.rules.values())))


FORMATS: dict[str, Callable[..., str]] = {"text": text, "markdown": markdown, "json": json_text, "sarif": sarif}
