"""JSON output, schema version 1 (documented in docs/output.md)."""
from __future__ import annotations

import json

from .. import __version__
from ..finding_keys import fingerprint, fingerprints
from ..findings import Finding, Report

SCHEMA_VERSION = 1


def finding_dict(f: Finding, print_: str = "") -> dict:
    out = {
        "file": f.file, "line": f.span.line, "column": f.span.col,
        "end_line": f.span.end_line, "end_column": f.span.end_col,
        "code": f.code, "name": f.name, "severity": f.severity, "pillar": f.pillar or None,
        "message": f.message, "resource": f.resource or None, "path": list(f.path),
        "suppressed": f.suppression is not None,
        "fingerprint": print_ or fingerprint(f),
    }
    if f.related:
        out["related"] = [{**({"file": r.file} if r.file else {}), "line": r.span.line, "column": r.span.col,
                           "path": list(r.path)} for r in f.related]
    if f.suppression is not None:
        out["suppression"] = {"reason": f.suppression.reason, "source": f.suppression.source,
                              "expires": f.suppression.expires, "owner": f.suppression.owner}
    return out


def render(report: Report, **_: object) -> str:
    from ..counts import of
    counts = of(report)
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "wavalidate", "version": __version__},
        "files": report.files,
        "summary": {**counts.as_dict(), "by_severity": counts.by_severity, "by_pillar": report.pillar_counts()},
        "findings": [finding_dict(f, printed)
                     for f, printed in zip(report.findings, fingerprints(report.findings))],
    }
    if report.baseline is not None:
        document["baseline"] = {"file": report.baseline, "fixed": report.fixed,
                                "matched": counts.baselined}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
