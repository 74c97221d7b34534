"""Output formats: pure functions from a report to text, registered by name.

Installed packages can add formats with the `wavalidate.formats` entry point.
"""
from __future__ import annotations

from importlib.metadata import entry_points
from typing import Callable, Dict

from ..findings import Report
from . import json_format, text

Formatter = Callable[..., str]

FORMATS: Dict[str, Formatter] = {
    "text": text.render,
    "json": json_format.render,
}


def formatters() -> Dict[str, Formatter]:
    table = dict(FORMATS)
    for point in entry_points(group="wavalidate.formats"):
        table.setdefault(point.name, point)  # loaded only when chosen
    return table


def render(name: str, report: Report, **options) -> str:
    formatter = formatters()[name]
    if hasattr(formatter, "load"):
        formatter = formatter.load()
    return formatter(report, **options)
