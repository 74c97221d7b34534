"""`check --requirements FILE`: requirements kept beside a template, which cannot state them.

The file is YAML with one `requirements:` mapping, the same as an
architecture file's (availability, rto, rpo, bandwidth ...). Its values are
defaults for every checked file, like the config's `requirements`; a file's
own requirements, and the resources' own, still win.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..loader import LoadError, load_file
from ..locations import Span


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    span: Span

    def __str__(self) -> str:
        return f"{self.span.line}:{self.span.col}: error {self.code} {self.message}"


def load(path: str) -> tuple[Optional[dict], list[Problem]]:
    """The requirements mapping, or the problems of the file with their positions."""
    from ..schema.fields import obj
    from ..schema.types import REQUIREMENTS
    from ..schema.validate import validate_with
    try:
        document = load_file(path)
    except LoadError as error:
        return None, [Problem(error.code, error.message, error.span)]
    except OSError as error:
        return None, [Problem("E106", f"cannot read '{path}': {error.strerror or error}", Span.point(1, 1))]
    schema = obj("A requirements side file.", requirements=REQUIREMENTS.but(required=True))
    problems = validate_with(schema, document.data, "a requirements file")
    if problems:
        return None, [Problem(p.code, p.message, document.source.locate(p.path, p.on_key)) for p in problems]
    return dict(document.data["requirements"] or {}), []
