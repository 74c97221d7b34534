"""Baselines: accept today's findings so that a gate fails only on new ones.

A baseline records each active rule finding by its key (file, rule code,
resource name, document path), never by line, with a count for repeats. A
later check marks findings that match an entry as suppressed with source
`baseline`, and lists the entries nothing matched any more as fixed.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import replace
from typing import Optional, Sequence

from .finding_keys import file_key, key
from .findings import Finding, Report, Suppression
from .loader import DEFAULT_LIMITS, Limits

VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be used; the message starts with the file and position."""


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


def loads(text: str, name: str = "baseline", limits: Limits = DEFAULT_LIMITS) -> list[dict]:
    """The entries of a baseline's text; BaselineError with a position for anything else.

    JSON is read by the json module (fast); when it fails, or an entry is malformed, the text is
    read again by the YAML loader (JSON is YAML) to say where, with the same depth and size limits
    as an architecture file: no traceback for deep nesting or a number of thousands of digits."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{name}:{error.lineno}:{error.colno}: error E100 not JSON: {error.msg}") from None
    except (RecursionError, ValueError):  # nesting deeper than Python can read; an integer too long
        _locate(text, name, (), "cannot be read", limits)
        raise BaselineError(f"{name}:1:1: error E100 not a JSON baseline") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(_locate(text, name, (), f"is not a wavalidate baseline (version {VERSION}); write one "
                                    "with --write-baseline", limits))
    entries = []
    for number, entry in enumerate(data["findings"]):
        at = ("findings", number)
        if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) for f in ("file", "code", "path")):
            raise BaselineError(_locate(text, name, at, "has a malformed entry (`file`, `code` and `path` must be "
                                        "strings)", limits))
        count = entry.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            raise BaselineError(_locate(text, name, at + ("count",), "has a malformed entry (`count` must be a "
                                        f"whole number from 1 to {MAX_COUNT:,})", limits))
        resource = entry.get("resource") or ""
        entries.append({"file": file_key(entry["file"]), "code": entry["code"],
                        "resource": resource if isinstance(resource, str) else str(resource)[:200],
                        "path": entry["path"], "count": count,
                        "message": entry["message"] if isinstance(entry.get("message"), str) else ""})
    return entries


MAX_COUNT = 1_000_000_000


def _locate(text: str, name: str, path: tuple, problem: str, limits: Limits) -> str:
    """`name:line:col: error CODE ...` for a problem at `path`; a loader error found first wins (raised)."""
    from .loader import LoadError, load_yaml
    try:
        _, source = load_yaml(text, limits)
    except LoadError as error:
        raise BaselineError(f"{name}:{error.span.line}:{error.span.col}: error {error.code} "
                            f"{error.message}") from None
    span = source.locate(path)
    return f"{name}:{span.line}:{span.col}: error E105 the baseline {problem}"


def load(path: str, limits: Limits = DEFAULT_LIMITS) -> list[dict]:
    """Read a baseline as an architecture file is read: a regular file inside the repository root
    (unless --allow-outside-root), within the size limit, UTF-8."""
    from .loader import LoadError, read_text
    try:
        text = read_text(path, limits)
    except LoadError as error:
        if error.code == "E106" and not os.path.lexists(path):
            raise BaselineError(f"cannot read the baseline '{path}': no such file") from None
        raise BaselineError(f"{path}:{error.span.line}:{error.span.col}: error {error.code} cannot read the "
                            f"baseline: {error.message}") from None
    return loads(text, path, limits)


def apply(report: Report, entries: list[dict], name: Optional[str] = None) -> Report:
    """Mark findings in the baseline as suppressed and record the entries that were fixed.

    Only files checked in this run, whose rules ran, can have fixed entries.
    """
    left: Counter = Counter()
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
