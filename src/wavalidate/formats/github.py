"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per active finding."""
from __future__ import annotations

from ..finding_keys import file_key
from ..findings import Finding, Report
from .escape import github_data, github_property, workflow_data, workflow_property

LEVELS = {"critical": "error", "high": "error", "error": "error", "medium": "warning",
          "low": "notice", "info": "notice"}


escape_data, escape_property = workflow_data, workflow_property  # the runner's escaping alone, as tests use it


def annotation(f: Finding) -> str:
    level = LEVELS.get(f.severity, "warning")
    span = f.span
    props = [("file", file_key(f.file)), ("line", str(span.line)), ("col", str(span.col))]
    if span.end_line >= span.line:
        props.append(("endLine", str(span.end_line)))
        if span.end_line == span.line and span.end_col > span.col:
            props.append(("endColumn", str(span.end_col)))
    title = f"{f.code} {f.name}".strip() + (f" ({f.severity})" if f.pillar else "")
    props.append(("title", title))
    return f"::{level} " + ",".join(f"{k}={github_property(v)}" for k, v in props) + "::" + github_data(f.message)


def render(report: Report, **_: object) -> str:
    return "".join(annotation(f) + "\n" for f in report.active)
