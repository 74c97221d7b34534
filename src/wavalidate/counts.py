"""The numbers of a report, defined once: every format (text, Markdown, JSON, HTML) shows these.

- findings: active rule findings (by severity, by pillar in `Report.pillar_counts`);
- errors: active input and internal errors (E codes); notices: active W codes;
- suppressed: findings accepted with a reason (inline, file, comment, waiver), by source;
- baselined: findings matched by the baseline (never counted as suppressed);
- fixed: baseline entries no longer found (each repeat counted);
- expired: suppressions past their date (W310), which no longer suppress.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding, Report
from .vocabulary import SEVERITIES

SOURCES = ("inline", "file", "comment", "waiver")


@dataclass(frozen=True)
class Counts:
    files: int
    findings: int
    errors: int
    notices: int
    suppressed: int
    baselined: int
    fixed: int
    expired: int
    by_severity: dict = field(default_factory=dict)
    suppressed_by_source: dict = field(default_factory=dict)
    baseline: bool = False     # a baseline was applied (so `baselined` and `fixed` mean something)

    def as_dict(self) -> dict:
        return {"findings": self.findings, "errors": self.errors, "notices": self.notices,
                "suppressed": self.suppressed, "suppressed_by_source": dict(self.suppressed_by_source),
                "baselined": self.baselined, "fixed": self.fixed, "expired": self.expired}


def source(finding: Finding) -> str:
    """Where a finding was accepted (inline, file, comment, waiver, baseline); "" when it is active."""
    return finding.suppression.source if finding.suppression is not None else ""


def of(report: Report) -> Counts:
    active = report.active
    rule_findings = [f for f in active if f.pillar]
    accepted = [f for f in report.suppressed if source(f) != "baseline"]
    return Counts(
        files=len(report.files),
        findings=len(rule_findings),
        errors=sum(1 for f in active if not f.pillar and f.code.startswith("E")),
        notices=sum(1 for f in active if not f.pillar and not f.code.startswith("E")),
        suppressed=len(accepted),
        baselined=sum(1 for f in report.suppressed if source(f) == "baseline"),
        fixed=sum(int(entry.get("count", 1)) for entry in report.fixed),
        expired=sum(1 for f in active if f.code == "W310"),
        by_severity={s: sum(1 for f in rule_findings if f.severity == s) for s in SEVERITIES},
        suppressed_by_source={s: sum(1 for f in accepted if source(f) == s) for s in SOURCES},
        baseline=report.baseline is not None,
    )


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def headline(c: Counts) -> list[str]:
    """The summary's phrases, in order, the same words in every format."""
    out = [f"{plural(c.findings, 'finding')} in {plural(c.files, 'file')}"]
    out.append(f"{c.suppressed} suppressed")
    if c.baseline:
        out.append(f"{c.baselined} in the baseline, {c.fixed} fixed since")
    if c.errors:
        out.append(f"{plural(c.errors, 'error')} in the input or the rules")
    if c.notices:
        out.append(plural(c.notices, "suppression notice") + (f" ({c.expired} expired)" if c.expired else ""))
    return out
