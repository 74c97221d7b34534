"""The default format: one line per finding, then a summary by pillar."""
from __future__ import annotations

import click

from ..api import PILLARS, SEVERITIES
from ..findings import Report
from .escape import one_line, printable

_COLOURS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "cyan", "info": "blue",
            "error": "red"}


def render(report: Report, color: bool = False, **_: object) -> str:
    lines = [line(f, color) for f in report.active]
    lines.append("")
    lines.extend(summary(report, color))
    return "\n".join(lines) + "\n"


def line(finding, color: bool = False) -> str:
    severity = click.style(finding.severity, fg=_COLOURS.get(finding.severity), bold=True) \
        if color else finding.severity
    message = one_line(finding.message)  # one line per finding, whatever a rule wrote
    return f"{printable(finding.file)}:{finding.line}:{finding.col}: {severity} {finding.code} {message}"


def summary(report: Report, color: bool = False) -> list[str]:
    active = report.active
    errors = [f for f in active if not f.pillar and f.code.startswith("E")]
    notices = [f for f in active if not f.pillar and not f.code.startswith("E")]
    rule_findings = [f for f in active if f.pillar]
    counts = {s: sum(1 for f in rule_findings if f.severity == s) for s in SEVERITIES}
    files = len(report.files)
    head = (f"{len(rule_findings)} finding{'s' if len(rule_findings) != 1 else ''} in {files} "
            f"file{'s' if files != 1 else ''}: " + ", ".join(f"{counts[s]} {s}" for s in SEVERITIES))
    baselined = sum(1 for f in report.suppressed if f.suppression.source == "baseline")
    head += f"; {len(report.suppressed) - baselined} suppressed"
    if report.baseline is not None:
        head += f"; {baselined} in the baseline, {len(report.fixed)} fixed since"
    if errors:
        head += f"; {len(errors)} error{'s' if len(errors) != 1 else ''} in the input or the rules"
    if notices:
        head += f"; {len(notices)} suppression notice{'s' if len(notices) != 1 else ''}"
    out = [click.style(head, bold=True) if color else head]
    table = report.pillar_counts()
    width = max(len(p) for p in PILLARS)
    out.append(f"  {'pillar':<{width}}  " + " ".join(f"{s:>8}" for s in SEVERITIES))
    for pillar in PILLARS:
        out.append(f"  {pillar:<{width}}  " + " ".join(f"{table[pillar][s]:>8}" for s in SEVERITIES))
    for entry in report.fixed:
        out.append(one_line(f"fixed since the baseline: {entry['file']} {entry['code']} {entry['resource'] or '-'} "
                            f"{entry['path']}"))  # a baseline file comes with the checked repository
    return out
