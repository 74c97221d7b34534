"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per active finding."""
from __future__ import annotations

from ..findings import Finding, Report
from ..finding_keys import file_key
from .text import printable

LEVELS = {"critical": "error", "high": "error", "error": "error", "medium": "warning",
          "low": "notice", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message, as the runner expects (`%`, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: the message escapes plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


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
    message = printable(f.message, keep="\r\n")  # no terminal escapes into the job log
    return f"::{level} " + ",".join(f"{k}={escape_property(v)}" for k, v in props) + "::" + escape_data(message)


def render(report: Report, **_: object) -> str:
    return "".join(annotation(f) + "\n" for f in report.active)
