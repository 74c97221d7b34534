"""Spans of every key and value in a loaded file, keyed by document path."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple, Union

PathItem = Union[str, int]
Path = Tuple[PathItem, ...]


@dataclass(frozen=True, order=True)
class Span:
    """A 1-based region of a file: start inclusive, end exclusive."""

    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def from_marks(cls, start, end) -> "Span":
        # PyYAML marks are 0-based; this is the one place they become 1-based.
        return cls(start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    @classmethod
    def point(cls, line: int, col: int) -> "Span":
        return cls(line, col, line, col)


START = Span(1, 1, 1, 1)


class SourceMap:
    """Where each path of a document was written.

    `values` holds the span of each value, `keys` the span of the key that
    introduced it (absent for sequence items and the root), and `collections`
    the paths whose value is a mapping or a sequence.
    """

    __slots__ = ("values", "keys", "collections")

    def __init__(self) -> None:
        self.values: dict[Path, Span] = {}
        self.keys: dict[Path, Span] = {}
        self.collections: set[Path] = set()

    def locate(self, path: Path, on_key: bool = False) -> Span:
        """The best span for `path`.

        A scalar points at its value; a mapping or list at its key, because
        a block mapping's value starts at its first child. A path that does not
        exist (a missing key) falls back to its nearest existing parent's key,
        never to the start of the file.
        """
        path = tuple(path)
        if path in self.values:
            key = self.keys.get(path)
            if key is not None and (on_key or path in self.collections):
                return key
            return self.values[path]
        while path:
            path = path[:-1]
            if path in self.values:
                return self.keys.get(path) or self.values[path]
        return self.values.get((), START)

    def nearest(self, path: Path) -> Path:
        """The longest prefix of `path` that exists in the file."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return path
