"""`wavalidate diff`'s outputs: pure functions from a `diff.Diff` to text."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..finding_keys import path_text
from ..findings import Finding
from .escape import markdown_code, markdown_text
from .markdown import escape
from .text import line, printable

if TYPE_CHECKING:
    from ..diff import Diff


def _line(f: Finding) -> str:
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
    return printable("\n".join(out), keep="\n") + "\n"  # resource names come from the files


def markdown(diff: Diff) -> str:
    """Every name, key, file and message from the compared files is escaped (formats/escape.py)."""
    def code(text: str, table: bool = True) -> str:
        return markdown_code(text, table)

    def keys(items) -> str:
        return ", ".join(markdown_text(k) for k in items)
    out = [f"## wavalidate diff: {code(diff.base, False)} → {code(diff.head, False)}", ""]
    findings = ("not compared (input errors)" if any(f.is_input_error for f in diff.errors) else
                f"{len(diff.new)} new, {len(diff.fixed)} fixed, {len(diff.still)} still present")
    resources = (f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
                 if diff.resources_compared else "not compared (a version does not load)")
    out.append(f"**Findings:** {findings}. **Resources:** {resources}.")
    out.append("")
    if diff.diagram:
        out += [f"Diagram of the changes: [{markdown_text(diff.diagram)}]({quote(diff.diagram.replace(os.sep, '/'))})",
                ""]
    if diff.errors:
        out += ["### Errors", ""] + [f"- {code(f'{f.file}:{f.line}:{f.col}', False)} **{f.code}** "
                                     f"{escape(f.message, False)}" for f in diff.errors] + [""]
    for title, chosen in (("New findings", diff.new), ("Fixed findings", diff.fixed)):
        if chosen:
            out += [f"### {title} ({len(chosen)})", "", "| severity | rule | resource | where | finding |",
                    "| --- | --- | --- | --- | --- |"]
            out += [f"| {f.severity} | {f.code} {f.name} | {code(f.resource or path_text(f.path))} | "
                    f"{code(f'{f.file}:{f.line}')} | {escape(f.message)} |" for f in chosen]
            out.append("")
    if diff.added or diff.removed or diff.changed or diff.document:
        out += ["### Resources", "", "| change | resource | type | fields |", "| --- | --- | --- | --- |"]
        out += [f"| added | {code(c.name)} | {markdown_text(c.type)} | |" for c in diff.added]
        out += [f"| removed | {code(c.name)} | {markdown_text(c.type)} | |" for c in diff.removed]
        out += [f"| changed | {code(c.name)} | {markdown_text(c.type)} | {keys(c.keys)} |" for c in diff.changed]
        if diff.document:
            out.append(f"| changed | (document) | | {keys(diff.document)} |")
        out.append("")
    if diff.still:
        out += [f"<details><summary>{len(diff.still)} still present</summary>", ""]
        out += [f"- {code(f'{f.file}:{f.line}', False)} {f.code}: {escape(f.message, False)}" for f in diff.still]
        out += ["", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"


FORMATS = {"text": text, "markdown": markdown}
