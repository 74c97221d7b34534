"""Output formats: pure functions from a report to text, registered by name.

Installed packages can add formats with the `wavalidate.formats` entry point.
"""
from __future__ import annotations

from importlib import import_module
from typing import Callable, Dict, Iterator, Mapping, Optional, Sequence

from ..entrypoints import entry_points
from ..findings import Report

Formatter = Callable[..., str]


class _Formats(Mapping[str, Formatter]):
    """Format name to its `render`, importing the module only when looked up: a check writes one or two
    formats, and importing all of them (with their escaping and counting helpers) slowed every start-up."""

    _MODULES = {"text": "text", "json": "json_format", "sarif": "sarif", "junit": "junit",
                "github": "github", "markdown": "markdown", "codequality": "codequality"}

    def __getitem__(self, name: str) -> Formatter:
        return import_module(f"{__name__}.{self._MODULES[name]}").render

    def __iter__(self) -> Iterator[str]:
        return iter(self._MODULES)

    def __len__(self) -> int:
        return len(self._MODULES)


FORMATS: Mapping[str, Formatter] = _Formats()


def formatters() -> Dict[str, object]:
    """Every format by name: a built-in's maps to its name, a plugin's to its entry point (loaded when chosen)."""
    table: Dict[str, object] = {name: name for name in FORMATS}
    for point in entry_points(group="wavalidate.formats"):
        table.setdefault(point.name, point)
    return table


def render(name: str, report: Report, **options) -> str:
    formatter = FORMATS[name] if name in FORMATS else formatters()[name].load()  # type: ignore[attr-defined]
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
