"""Markdown for a pull-request comment or a job summary: the pillar scorecard, then findings by pillar."""
from __future__ import annotations

from urllib.parse import quote

from ..counts import headline, of, source
from ..findings import Finding, Report
from ..vocabulary import PILLARS, SEVERITIES
from .escape import markdown_code, markdown_message, markdown_text

TITLE = "## wavalidate: Well-Architected review"
_MARK = {"fail": "❌", "warn": "⚠️", "pass": "✅"}
MAX_ITEMS = 200  # a GitHub PR comment holds 65,536 characters
COMMENT_LIMIT = 65_536


def escape(text: str, table: bool = True) -> str:
    """A message from the input, safe inside a Markdown table cell (or, `table=False`, a list item)."""
    return markdown_message(text, table)


def _where(f: Finding, table: bool = False) -> str:
    return markdown_code(f"{f.file}:{f.line}:{f.col}", table)


def _status(counts: dict[str, int]) -> str:
    if counts["critical"] or counts["high"]:
        return _MARK["fail"]
    if counts["medium"]:
        return _MARK["warn"]
    return _MARK["pass"]


def render(report: Report, max_items: int = MAX_ITEMS, **_: object) -> str:
    """The summary; at most `max_items` findings are listed in all, so it fits a PR comment."""
    active = report.active
    rule_findings = [f for f in active if f.pillar]
    errors = [f for f in active if not f.pillar and f.code.startswith("E")]
    notices = [f for f in active if not f.pillar and not f.code.startswith("E")]
    budget = [max_items]
    out = [TITLE, ""]
    phrases = headline(of(report))
    phrases[0] = "**" + phrases[0].replace(" in ", "** in ", 1)
    head = "; ".join(f"**{p}**" if " error" in p else p for p in phrases)
    out += [head, ""]
    table = report.pillar_counts()
    out.append("| pillar | | " + " | ".join(SEVERITIES) + " |")
    out.append("| --- | :-: | " + " | ".join("--:" for _ in SEVERITIES) + " |")
    for pillar in PILLARS:
        out.append(f"| {pillar} | {_status(table[pillar])} | "
                   + " | ".join(str(table[pillar][s]) for s in SEVERITIES) + " |")
    out.append("")
    if report.diagram:
        from ..finding_keys import file_key
        name = file_key(report.diagram)   # relative to the workspace, as a CI artifact is named
        out += [f"Diagram: [{markdown_text(name)}]({quote(name)}) (a CI artifact path: upload it with the report)",
                ""]
    if errors:
        out += ["### Errors", ""]
        out += _capped([f"- {_where(f)} **{f.code}** {escape(f.message, False)}" for f in errors], budget)
        out.append("")
    for pillar in PILLARS:
        chosen = [f for f in rule_findings if f.pillar == pillar]
        if not chosen:
            continue
        out += [f"### {pillar} ({len(chosen)})", "", "| severity | rule | where | finding |",
                "| --- | --- | --- | --- |"]
        rows = [f"| {f.severity} | {f.code} {f.name} | {_where(f, table=True)} | {escape(f.message)} |"
                for f in sorted(chosen, key=lambda f: (SEVERITIES.index(f.severity), f.sort_key()))]
        out += _capped(rows, budget, table=True)
        out.append("")
    if notices:
        out += ["### Notices", ""]
        out += _capped([f"- {_where(f)} **{f.code}** {escape(f.message, False)}" for f in notices], budget)
        out.append("")
    accepted = [f for f in report.suppressed if source(f) != "baseline"]
    baselined = [f for f in report.suppressed if source(f) == "baseline"]
    for title, chosen in (("suppressed", accepted), ("in the baseline", baselined)):
        if not chosen:
            continue
        out += [f"<details><summary>{len(chosen)} {title}</summary>", ""]
        out += _capped([_accepted(f) for f in chosen], budget)
        out += ["", "</details>", ""]
    if report.fixed:
        out += [f"<details><summary>{of(report).fixed} fixed since the baseline</summary>", ""]
        out += _capped([f"- {markdown_code(e['file'])} {markdown_text(e['code'])} on "
                        f"{markdown_code(e['resource'] or e['path'])}: {escape(e.get('message', ''), False)}"
                        for e in report.fixed], budget)
        out += ["", "</details>", ""]
    if not rule_findings and not errors:
        out += ["No findings. 🎉", ""]
    return within("\n".join(out).rstrip("\n") + "\n", COMMENT_LIMIT)


def _accepted(f: Finding) -> str:
    s = f.suppression
    assert s is not None
    return (f"- {_where(f)} {f.code}: {escape(f.message, False)} (**{s.source}**: {escape(s.reason, False)}"
            + (f", until {markdown_text(s.expires)}" if s.expires else "") + ")")


def within(text: str, limit: int) -> str:
    """`text` cut at a line to fit `limit` characters (a PR comment), open `<details>` closed and a note
    added saying where the rest is."""
    if len(text) <= limit:
        return text
    note = ("\n> **Cut to fit GitHub's 65,536-character comment limit;** the full report is in the CI "
            "artifacts (`--format json` or `sarif`).\n")
    kept: list[str] = []
    size = len(note) + 200
    for line in text.splitlines():
        if size + len(line) + 1 > limit:
            break
        kept.append(line)
        size += len(line) + 1
    opened = sum(line.count("<details") - line.count("</details>") for line in kept)
    return "\n".join(kept + ["", "</details>"] * max(opened, 0)) + "\n" + note


def _capped(lines: list[str], budget: list[int], table: bool = False) -> list[str]:
    """The lines the remaining budget allows, and a note of how many were left out."""
    shown = lines[:max(budget[0], 0)]
    budget[0] -= len(shown)
    if len(shown) < len(lines):
        more = f"… and {len(lines) - len(shown)} more, not listed here; see the JSON or SARIF report"
        shown.append(f"| | | | {more} |" if table else f"- {more}")
    return shown
