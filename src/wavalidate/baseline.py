"""Baselines: accept today's findings so that a gate fails only on new ones.

A baseline records each active rule finding by its key (file, rule code,
resource name, document path), never by line, with a count for repeats. A
later check marks findings that match an entry as suppressed with source
`baseline`, and lists the entries nothing matched any more as fixed.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from typing import Optional, Sequence

from .findings import Finding, Report, Suppression
from .finding_keys import file_key, key

VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be used."""


def dumps(findings: Sequence[Finding]) -> str:
    """The baseline of some findings, as stable JSON (sorted, no dates).

    Active findings and those matched by an earlier baseline are recorded;
    findings accepted with a reason (inline, comment, waiver) are not.
    """
    counts: Counter = Counter()
    messages: dict = {}
    for finding in findings:  # findings already baselined stay in a refreshed baseline
        if finding.pillar and (finding.suppression is None or finding.suppression.source == "baseline"):
            k = key(finding)
            counts[k] += 1
            messages.setdefault(k, finding.message)
    entries = [{"file": k[0], "code": k[1], "resource": k[2], "path": k[3], "count": counts[k],
                "message": messages[k]} for k in sorted(counts)]
    return json.dumps({"version": VERSION, "tool": "wavalidate", "findings": entries}, indent=2,
                      ensure_ascii=False) + "\n"


def loads(text: str, name: str = "baseline") -> list[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{name} is not JSON: {error}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{name} is not a wavalidate baseline (version {VERSION}); write one with "
                            "--write-baseline")
    entries = []
    for entry in data["findings"]:
        if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) for f in ("file", "code", "path")):
            raise BaselineError(f"{name} has a malformed entry: {entry!r}")
        count = entry.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise BaselineError(f"{name} has a malformed entry (`count` must be a whole number from 1): {entry!r}")
        entries.append({"file": file_key(entry["file"]), "code": entry["code"], "resource": entry.get("resource") or "",
                        "path": entry["path"], "count": count,
                        "message": str(entry.get("message", ""))})
    return entries


def load(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as handle:
            return loads(handle.read(), f"'{path}'")
    except OSError as error:
        raise BaselineError(f"cannot read the baseline '{path}': {error.strerror or error}") from None


def apply(report: Report, entries: list[dict], name: Optional[str] = None) -> Report:
    """Mark findings in the baseline as suppressed and record the entries that were fixed.

    Only files checked in this run, whose rules ran, can have fixed entries.
    """
    left = Counter()
    by_key = {}
    for entry in entries:
        k = (entry["file"], entry["code"], entry["resource"], entry["path"])
        left[k] += entry["count"]
        by_key[k] = entry
    reason = f"in the baseline {name}" if name else "in the baseline"
    findings = []
    for finding in report.findings:
        k = key(finding)
        if finding.pillar and finding.suppression is None and left[k] > 0:
            left[k] -= 1
            finding = replace(finding, suppression=Suppression(reason, "baseline"))
        findings.append(finding)
    broken = {file_key(f.file) for f in report.findings if f.is_input_error}  # its rules did not run
    checked = {file_key(f) for f in report.files} - broken
    report.findings[:] = findings
    report.fixed = [{**by_key[k], "count": n} for k, n in sorted(left.items()) if n > 0 and k[0] in checked]
    report.baseline = name or ""
    return report
