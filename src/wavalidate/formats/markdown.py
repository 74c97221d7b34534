"""Markdown for a pull-request comment or a job summary: the pillar scorecard, then findings by pillar."""
from __future__ import annotations

import os

from ..api import PILLARS, SEVERITIES
from ..findings import Finding, Report

TITLE = "## wavalidate: Well-Architected review"
_MARK = {"fail": "❌", "warn": "⚠️", "pass": "✅"}


def escape(text: str) -> str:
    """Make a message safe inside a Markdown table cell or list item (no HTML, no broken tables)."""
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", " ").replace("\n", " "))


def _where(f: Finding) -> str:
    return f"`{f.file}:{f.line}:{f.col}`"


def _status(counts: dict[str, int]) -> str:
    if counts["critical"] or counts["high"]:
        return _MARK["fail"]
    if counts["medium"]:
        return _MARK["warn"]
    return _MARK["pass"]


def render(report: Report, **_: object) -> str:
    active = report.active
    rule_findings = [f for f in active if f.pillar]
    errors = [f for f in active if not f.pillar and f.code.startswith("E")]
    notices = [f for f in active if not f.pillar and not f.code.startswith("E")]
    files = len(report.files)
    out = [TITLE, ""]
    head = (f"**{len(rule_findings)} finding{'s' if len(rule_findings) != 1 else ''}** in {files} "
            f"file{'s' if files != 1 else ''}; {len(report.suppressed)} suppressed")
    if errors:
        head += f"; **{len(errors)} error{'s' if len(errors) != 1 else ''}** in the input or the rules"
    if report.baseline is not None:
        head += f"; {len(report.fixed)} fixed since the baseline"
    out += [head, ""]
    table = report.pillar_counts()
    out.append("| pillar | | " + " | ".join(SEVERITIES) + " |")
    out.append("| --- | :-: | " + " | ".join("--:" for _ in SEVERITIES) + " |")
    for pillar in PILLARS:
        out.append(f"| {pillar} | {_status(table[pillar])} | "
                   + " | ".join(str(table[pillar][s]) for s in SEVERITIES) + " |")
    out.append("")
    if report.diagram:
        name = os.path.basename(report.diagram)
        out += [f"Diagram: [{escape(name)}]({report.diagram.replace(' ', '%20')})", ""]
    if errors:
        out += ["### Errors", ""]
        out += [f"- {_where(f)} **{f.code}** {escape(f.message)}" for f in errors]
        out.append("")
    for pillar in PILLARS:
        chosen = [f for f in rule_findings if f.pillar == pillar]
        if not chosen:
            continue
        out += [f"### {pillar} ({len(chosen)})", "", "| severity | rule | where | finding |",
                "| --- | --- | --- | --- |"]
        for f in sorted(chosen, key=lambda f: (SEVERITIES.index(f.severity), f.sort_key())):
            out.append(f"| {f.severity} | {f.code} {f.name} | {_where(f)} | {escape(f.message)} |")
        out.append("")
    if notices:
        out += ["### Suppression notices", ""]
        out += [f"- {_where(f)} **{f.code}** {escape(f.message)}" for f in notices]
        out.append("")
    if report.suppressed:
        out += [f"<details><summary>{len(report.suppressed)} suppressed</summary>", ""]
        out += [f"- {_where(f)} {f.code}: {escape(f.message)} (**{f.suppression.source}**: "
                f"{escape(f.suppression.reason)}" + (f", until {f.suppression.expires}" if f.suppression.expires
                                                     else "") + ")" for f in report.suppressed]
        out += ["", "</details>", ""]
    if report.fixed:
        out += [f"<details><summary>{len(report.fixed)} fixed since the baseline</summary>", ""]
        out += [f"- `{e['file']}` {e['code']} on `{e['resource'] or e['path']}`: {escape(e.get('message', ''))}"
                for e in report.fixed]
        out += ["", "</details>", ""]
    if not rule_findings and not errors:
        out += ["No findings. 🎉", ""]
    return "\n".join(out).rstrip("\n") + "\n"
