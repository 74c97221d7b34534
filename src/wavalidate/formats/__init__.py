"""Output formats: pure functions from a report to text, registered by name.

Installed packages can add formats with the `wavalidate.formats` entry point.
"""
from __future__ import annotations

from typing import Callable, Dict, Optional, Sequence

from ..entrypoints import entry_points
from ..findings import Report
from . import codequality, github, json_format, junit, markdown, sarif, text

Formatter = Callable[..., str]

FORMATS: Dict[str, Formatter] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
    "codequality": codequality.render,
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


def targets(specs: Sequence[str], outputs: Sequence[str] = ()) -> list[tuple[str, Optional[str]]]:
    """Pair formats with where they go: `FMT[:PATH]`, or `--output` values in order.

    Each `--output` goes to the next `--format` that names no path of its own,
    so `--format sarif --output r.sarif --format text` writes SARIF to r.sarif
    and text to stdout. A path of `-` is stdout; at most one format may go there.
    Raises ValueError with a message for the user.
    """
    known = formatters()
    pairs: list[tuple[str, Optional[str]]] = []
    for spec in specs or ("text",):
        name, sep, path = spec.partition(":")
        if name not in known:
            raise ValueError(f"unknown format {name!r}; choose from {', '.join(sorted(known))}")
        pairs.append((name, path if sep else None))
    waiting = list(outputs)
    for index, (name, given) in enumerate(pairs):
        if given is None and waiting:
            pairs[index] = (name, waiting.pop(0))
    if waiting:
        raise ValueError(f"--output {waiting[0]!r} has no --format left to pair with")
    pairs = [(name, None if path in (None, "", "-") else path) for name, path in pairs]
    if sum(1 for _, path in pairs if path is None) > 1:
        raise ValueError("only one format can go to stdout; give the others a path (--format FMT:PATH)")
    written = [path for _, path in pairs if path]
    if len(written) != len(set(written)):
        raise ValueError("two formats would write the same file")
    return pairs
