"""GitLab Code Quality (a Code Climate subset): merge-request widgets and inline diff markers."""
from __future__ import annotations

import json

from ..finding_keys import file_key, fingerprints
from ..findings import Report
from .escape import printable

SEVERITY = {"critical": "critical", "high": "major", "medium": "minor", "low": "info", "info": "info",
            "error": "blocker"}


def render(report: Report, **_: object) -> str:
    active = report.active
    issues = [{
        "type": "issue",
        "check_name": f"{f.code} {f.name}".strip(),
        "description": printable(f"{f.code}: {f.message}", keep="\n"),  # shown as text in merge requests
        "categories": ["Bug Risk" if f.pillar in ("reliability", "security") or not f.pillar else "Performance"
                       if f.pillar in ("performance-efficiency", "cost-optimization", "sustainability") else "Style"],
        "severity": SEVERITY.get(f.severity, "minor"),
        "fingerprint": fingerprint,
        "location": {"path": file_key(f.file), "positions": {"begin": {"line": f.line, "column": f.col},
                                                            "end": {"line": f.span.end_line,
                                                                    "column": f.span.end_col}}},
    } for f, fingerprint in zip(active, fingerprints(active))]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
