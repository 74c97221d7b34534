"""The default format: one line per finding, then a summary by pillar."""
from __future__ import annotations

from typing import Optional

from ..finding_keys import path_text
from ..findings import Report
from ..vocabulary import PILLARS, SEVERITIES
from .escape import one_line, printable

# ANSI colour numbers: magenta, red, yellow, cyan, blue (the codes click.style writes; formats don't import click)
_COLOURS = {"critical": 35, "high": 31, "medium": 33, "low": 36, "info": 34, "error": 31}


def _bold(text: str, colour: Optional[int] = None) -> str:
    return (f"\x1b[{colour}m" if colour else "") + f"\x1b[1m{text}\x1b[0m"


def render(report: Report, color: bool = False, **_: object) -> str:
    lines = [text for f in report.active for text in [line(f, color)] + related_lines(f)]
    lines.append("")
    lines.extend(summary(report, color))
    return "\n".join(lines) + "\n"


def line(finding, color: bool = False) -> str:
    severity = _bold(finding.severity, _COLOURS.get(finding.severity)) if color else finding.severity
    message = one_line(finding.message)  # one line per finding, whatever a rule wrote
    return f"{printable(finding.file)}:{finding.line}:{finding.col}: {severity} {finding.code} {message}"


def related_lines(finding) -> list[str]:
    """One indented line per other place the finding involves; not `file:line:col:` first, so no tool takes
    it for a finding of its own."""
    return [f"  related: {printable(r.file or finding.file)}:{r.span.line}:{r.span.col} "
            f"{printable(path_text(r.path))}" for r in finding.related]


def summary(report: Report, color: bool = False) -> list[str]:
    from ..counts import headline, of
    c = of(report)
    phrases = headline(c)
    phrases[0] += ": " + ", ".join(f"{c.by_severity[s]} {s}" for s in SEVERITIES)
    head = "; ".join(phrases)
    out = [_bold(head) if color else head]
    table = report.pillar_counts()
    width = max(len(p) for p in PILLARS)
    out.append(f"  {'pillar':<{width}}  " + " ".join(f"{s:>8}" for s in SEVERITIES))
    for pillar in PILLARS:
        out.append(f"  {pillar:<{width}}  " + " ".join(f"{table[pillar][s]:>8}" for s in SEVERITIES))
    for entry in report.fixed:
        out.append(one_line(f"fixed since the baseline: {entry['file']} {entry['code']} {entry['resource'] or '-'} "
                            f"{entry['path']}"))  # a baseline file comes with the checked repository
    return out
