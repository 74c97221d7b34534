"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers (see docs/output.md)."""
from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Optional
from urllib.parse import quote

from .. import __version__
from ..finding_keys import FINGERPRINT, file_key, fingerprints, path_text
from ..findings import ERROR, INPUT_NAMES, Finding, Report
from ..vocabulary import anchor
from .escape import printable, sarif_text

if TYPE_CHECKING:
    from ..api import Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# Where docs/rules.md is published; helpUri must be absolute.
DOCS_URL = "https://github.com/wavalidate/wavalidate/blob/main/docs/rules.md"
INFORMATION_URI = "https://github.com/wavalidate/wavalidate"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note",
          ERROR: "error"}
# GitHub's `problem.severity` for non-security results, and CVSS-like scores for security ones.
PROBLEM = {"critical": "error", "high": "error", "medium": "warning", "low": "recommendation",
           "info": "recommendation", ERROR: "error"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}

_GROUPS = {
    "E1": ("The file cannot be read as a YAML architecture", "Fix the file so it is one UTF-8 YAML document."),
    "E2": ("The file does not match the architecture format",
           "Correct the key or value named in the message; `wavalidate docs TYPE` lists a type's fields."),
    "E3": ("A suppression is incomplete", "Give every suppression a rule and a reason of at least ten "
                                          "characters, and a valid `expires` date."),
    "W3": ("A suppression needs attention", "Remove suppressions that match nothing, and renew or remove "
                                            "expired ones."),
    "W32": ("A configuration names rule packs that were not loaded",
            "Run with --config to trust the configuration's rule packs, or name them with --rules."),
    "E9": ("A rule or rule pack failed", "Report the failure to the rule pack's authors; the other rules still ran."),
}


def render(report: Report, **_: object) -> str:
    return json.dumps(sarif(report), indent=2, ensure_ascii=False) + "\n"


def sarif(report: Report) -> dict:
    descriptors: list[dict] = []
    index: dict[str, int] = {}
    for rule in sorted(report.rules, key=lambda r: r.code):
        index[rule.code] = len(descriptors)
        descriptors.append(_rule(rule))
    for code in sorted({f.code for f in report.findings} - set(index)):
        index[code] = len(descriptors)
        descriptors.append(_engine_rule(code))
    results = [_result(f, index, fp) for f, fp in zip(report.findings, fingerprints(report.findings))]
    internal = [f for f in report.findings if f.is_internal_error and f.suppression is None]
    invocation = {
        "executionSuccessful": not internal,
        "toolExecutionNotifications": [
            {"level": "error", "message": {"text": sarif_text(f.message)}, "descriptor": {"id": f.code},
             "locations": [_location(f)]} for f in internal],
    }
    run = {
        "tool": {"driver": {"name": "wavalidate", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": descriptors}},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if report.diagram:
        run["properties"] = {"diagram": report.diagram}
    if report.shard:  # code scanning keeps the results of each shard of a CI matrix apart by this category
        run["runAutomationDetails"] = {"id": f"wavalidate/shard-{report.shard[0]}-of-{report.shard[1]}/"}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(rule: Rule) -> dict:
    help_text = rule.rationale or rule.title
    if rule.remediation:
        help_text += f"\n\nFix: {rule.remediation}"
    markdown = f"{rule.rationale}\n\n**Fix:** {rule.remediation}" if rule.remediation else help_text
    properties = {"pillar": rule.pillar, "severity": rule.severity,
                  "tags": ["well-architected", rule.pillar] + ([rule.best_practice] if rule.best_practice else []),
                  "problem.severity": PROBLEM[rule.severity]}
    if rule.pillar == "security":
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    if rule.best_practice:
        properties["bestPractice"] = rule.best_practice
    return {
        "id": rule.code, "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "help": {"text": help_text, "markdown": markdown},
        "helpUri": f"{DOCS_URL}#{anchor(rule)}",
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def _engine_rule(code: str) -> dict:
    title, fix = _GROUPS.get(code[:3]) or _GROUPS.get(code[:2], ("A problem found by wavalidate itself",
                                                                  "See the message."))
    level = "error" if code.startswith("E") else "warning"
    return {
        "id": code, "name": INPUT_NAMES.get(code, code.lower()),
        "shortDescription": {"text": title}, "fullDescription": {"text": title},
        "help": {"text": fix},
        "defaultConfiguration": {"level": level},
        "properties": {"category": "internal" if code.startswith("E9") else "input",
                       "tags": ["wavalidate"], "problem.severity": "error" if level == "error" else "warning"},
    }


def _uri(file: str) -> tuple[str, Optional[str]]:
    """Relative to %SRCROOT% (the current directory) for files under it, however they were named;
    an absolute `file://` URI for the others (`../x.yaml` would climb out of the source root)."""
    name = file_key(file)
    if os.path.isabs(name) or name == ".." or name.startswith("../"):
        return "file://" + quote(os.path.abspath(file).replace(os.sep, "/")), None
    return quote(name), "%SRCROOT%"


def _physical(file: str, span) -> dict:
    uri, base = _uri(file)
    artifact = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    region = {"startLine": span.line, "startColumn": span.col}
    if (span.end_line, span.end_col) >= (span.line, span.col):
        region.update(endLine=span.end_line, endColumn=span.end_col)
    return {"artifactLocation": artifact, "region": region}


def _location(f: Finding) -> dict:
    location: dict = {"physicalLocation": _physical(f.file, f.span)}
    if f.resource:
        location["logicalLocations"] = [{"name": f.resource, "fullyQualifiedName": path_text(f.path) or f.resource,
                                         "kind": "resource"}]
    return location


def _related(f: Finding, index: int, related) -> dict:
    """A place the finding involves besides its own (SARIF relatedLocations), maybe in another file."""
    return {"id": index, "physicalLocation": _physical(related.file or f.file, related.span),
            "message": {"text": path_text(related.path)}}


def _result(f: Finding, index: dict, fingerprint: str) -> dict:
    level = LEVELS.get(f.severity, "warning")
    if f.code.startswith("W"):
        level = "warning" if f.severity in ("critical", "high", "medium") else "note"
    result = {
        "ruleId": f.code, "ruleIndex": index[f.code], "level": level,
        "message": {"text": sarif_text(f.message)},
        "locations": [_location(f)],
        "partialFingerprints": {FINGERPRINT: fingerprint},
        "properties": {k: v for k, v in (("severity", f.severity), ("pillar", f.pillar),
                                         ("resource", f.resource), ("path", path_text(f.path))) if v},
    }
    if f.related:
        result["relatedLocations"] = [_related(f, index, related) for index, related in enumerate(f.related)]
    if f.suppression is not None:
        properties = {"source": f.suppression.source}
        if f.suppression.expires:
            properties["expires"] = f.suppression.expires
        if f.suppression.owner:
            properties["owner"] = f.suppression.owner
        suppression = {"kind": "inSource" if f.suppression.source in ("inline", "file", "comment") else "external",
                       "status": "accepted", "justification": printable(f.suppression.reason),
                       "properties": properties}
        result["suppressions"] = [suppression]
    return result
