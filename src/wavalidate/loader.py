"""Safe YAML loading that records a span for every key and value.

The loader builds plain Python data straight from the parser's event stream,
so it never constructs arbitrary objects, controls nesting depth and alias
expansion itself (no recursion, no billion-laughs), and catches duplicate keys
while mappings are built.
"""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from typing import Any, Callable, Optional

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from .locations import Path, SourceMap, Span

try:  # libyaml's parser where available: several times faster.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

Y = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = Y + "str", Y + "map", Y + "seq"
_SCALAR_TAGS = {Y + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class LoadError(Exception):
    """An input error: the file cannot be read as a document."""

    def __init__(self, code: str, message: str, span: Span) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile input from exhausting time or memory."""

    max_bytes: int = 32 * 1024 * 1024
    max_nodes: int = 2_000_000      # values after alias expansion
    max_depth: int = 64
    max_scalar: int = 1024 * 1024   # characters in one value
    max_resources: int = 100_000


DEFAULT_LIMITS = Limits()

# A tag handler turns a locally tagged value (e.g. CloudFormation's `!Ref`)
# into plain data, or returns None to refuse the tag.
TagHandler = Callable[[str, Any], Optional[Any]]


@dataclass(frozen=True)
class Document:
    """A loaded file: its data, where each part was written, and its text."""

    name: str
    data: Any
    source: SourceMap
    text: str
    # Paths whose values are known only at deploy time (left out of `data`).
    unknown: frozenset = frozenset()
    # Where the values of `text` itself are, when `source` maps a translation (a CloudFormation
    # template's own YAML, while `source` points architecture paths into it); None: `source`.
    text_source: Optional[SourceMap] = None
    # Findings the reading itself makes, as (code, severity, message, span, path): a CloudFormation
    # resource that could not be translated, a tag that is not read.
    notes: tuple = ()
    # Architecture path -> names of the template parameters whose defaults its value rests on.
    defaults: Any = None
    # Resource name -> (file, SourceMap) for resources read from another file (a nested template).
    parts: Any = None

    def locate(self, path: Any, on_key: bool = False) -> tuple[str, Span]:
        """The file and span of an architecture path (a nested template's resource points into its file)."""
        path = tuple(path)
        if self.parts and len(path) > 1 and path[0] == "resources" and path[1] in self.parts:
            file, source = self.parts[path[1]]
            return file, source.locate(path, on_key)
        return self.name, self.source.locate(path, on_key)


def read_text(path: str, limits: Limits = DEFAULT_LIMITS, named: bool = True) -> str:
    """Read a file as UTF-8 text, or raise LoadError at the offending byte.

    Through `files.read_bytes`: a regular file inside the repository root, within the size limit
    (`named`: the user named it, rather than a found configuration)."""
    from .files import Refused, read_bytes
    at_start = Span.point(1, 1)
    if path == "-" and not os.path.exists(path):
        raise LoadError("E106", "`-` (standard input) is not read; name a file, or /dev/stdin", at_start)
    try:
        raw = read_bytes(path, limits.max_bytes, named)
    except Refused as error:
        hint = " (raise it with --max-file-size)" if error.code == "E104" else ""
        raise LoadError(error.code, error.message + hint, at_start) from None
    return decode(raw)


def decode(raw: bytes) -> str:
    """Decode UTF-8 (an optional BOM allowed); anything else is an input error."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("E103", "file is UTF-16 encoded; save it as UTF-8", Span.point(1, 1))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        col = len(raw[line_start:error.start].decode("utf-8", "replace")) + 1
        raise LoadError("E103", f"invalid UTF-8 byte 0x{raw[error.start]:02x}; save the file as UTF-8",
                        Span.point(line, col)) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise LoadError("E103", "file contains a NUL byte; is it binary?", _point_at(text, nul))
    return text


def load_file(path: str, limits: Limits = DEFAULT_LIMITS,
              tags: Optional[TagHandler] = None, named: bool = True) -> Document:
    text = read_text(path, limits, named)
    data, source = load_yaml(text, limits, tags)
    return Document(path, data, source, text)


def load_yaml(text: str, limits: Limits = DEFAULT_LIMITS,
              tags: Optional[TagHandler] = None, duplicates: Optional[list] = None) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain data and its source map.

    A duplicate key is an error, unless `duplicates` is a list: then the last value wins and each
    duplicate is appended as (message, span) (CloudFormation's own reading of a template).
    """
    # The load builds only acyclic plain data, in which the cyclic collector has nothing to free, but walks it
    # again and again as the tree grows (a plain load is superlinear with it): it is paused for the load.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load_yaml(text, limits, tags, duplicates)
    finally:
        if paused:
            gc.enable()


def _load_yaml(text: str, limits: Limits, tags: Optional[TagHandler],
               duplicates: Optional[list]) -> tuple[Any, SourceMap]:
    builder = _Builder(limits, tags)
    builder.duplicates = duplicates
    try:
        for event in yaml.parse(text, Loader=_EventLoader):
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if "maximum nesting depth" in str(error.problem):  # libyaml's own limit (PyYAML 6.0.4+)
            raise LoadError("E104", f"nesting deeper than {limits.max_depth} levels",
                            Span.point(mark.line + 1, mark.column + 1) if mark else Span.point(1, 1)) from None
        problem = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            problem = f"{problem} ({error.context})"
        raise LoadError("E100", f"YAML syntax error: {problem}",
                        Span.point(mark.line + 1, mark.column + 1) if mark else Span.point(1, 1)) from None
    except yaml.reader.ReaderError as error:
        char = error.character if isinstance(error.character, int) else ord(error.character)
        raise LoadError("E103", f"control character U+{char:04X} is not allowed in YAML",
                        _point_at(text, error.position)) from None
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML raises the two above
        raise LoadError("E100", f"YAML error: {error}", Span.point(1, 1)) from None
    if builder.documents == 0 or builder.root is _NOTHING:
        raise LoadError("E105", "the file holds no YAML document (it is empty or only comments)",
                        Span.point(1, 1))
    return builder.root, builder.source


def _point_at(text: str, index: int) -> Span:
    line = text.count("\n", 0, index) + 1
    return Span.point(line, index - (text.rfind("\n", 0, index) + 1) + 1)


_NOTHING = object()
_MERGE = object()


_NO_SPAN = Span(0, 0, 0, 0)


class _Frame:
    __slots__ = ("value", "path", "start", "key", "key_span", "explicit", "anchor", "nodes_before", "tag")

    def __init__(self, value, path, start, anchor, nodes_before, tag):
        self.value = value
        self.tag = tag
        self.path = path
        self.start = start
        self.key: Any = None
        self.key_span: Span = _NO_SPAN  # set with key, before any value of the mapping
        self.explicit: set = set()
        self.anchor = anchor
        self.nodes_before = nodes_before


class _Builder:
    """Turns parser events into data, one event at a time, with an explicit stack."""

    def __init__(self, limits: Limits, tags: Optional[TagHandler]) -> None:
        self.limits = limits
        self.tags = tags
        self.duplicates: Optional[list] = None
        self.source = SourceMap()
        self.root: Any = _NOTHING
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.documents = 0

    def feed(self, event) -> None:
        kind = type(event)
        if kind is ScalarEvent:
            self._scalar(event)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            self._start(event, kind is MappingStartEvent)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            self._end(event)
        elif kind is AliasEvent:
            self._alias(event)
        elif kind is DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise LoadError("E105", "the file holds several YAML documents; put one architecture in each file",
                                Span.from_marks(event.start_mark, event.end_mark))

    # -- positions -------------------------------------------------------
    def _next_path(self, span: Span) -> Optional[Path]:
        """The path of the value that arrives next, or None when it is a key."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if type(frame.value) is list:
            return frame.path + (len(frame.value),)
        if frame.key is None:
            return None
        return frame.path + (frame.key,) if frame.key is not _MERGE else frame.path + ("<<",)

    def _count(self, n: int, span: Span) -> None:
        self.nodes += n
        if self.nodes > self.limits.max_nodes:
            raise LoadError("E104", f"the document expands to over {self.limits.max_nodes:,} values "
                            "(an alias bomb?); raise the limit with --max-nodes", span)

    # -- events ----------------------------------------------------------
    def _scalar(self, event) -> None:
        span = Span.from_marks(event.start_mark, event.end_mark)
        self._count(1, span)
        if len(event.value) > self.limits.max_scalar:
            raise LoadError("E104", f"a value of {len(event.value):,} characters is over the limit of "
                            f"{self.limits.max_scalar:,}", span)
        path = self._next_path(span)
        if path is None:  # a mapping key: always its text, so `80:` or `yes:` stay names
            self._key(event, span)
            return
        value = self._construct(event, span)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        self._place(value, path, span, collection=False)

    def _key(self, event, span: Span) -> None:
        frame = self.stack[-1]
        if event.tag not in (None, "!", _STR):
            raise LoadError("E102", f"a tag on a mapping key ({event.tag}) is not allowed", span)
        key = event.value
        if key == "<<" and event.implicit[0]:
            frame.key = _MERGE
        else:
            if key in frame.explicit:
                first = self.source.keys.get(frame.path + (key,))
                where = f" (first at line {first.line})" if first else ""
                if self.duplicates is None:
                    raise LoadError("E101", f"duplicate key '{key}'{where}", span)
                self.duplicates.append((f"duplicate key '{key}'{where}", span))
            frame.explicit.add(key)
            frame.key = key
        frame.key_span = span

    def _construct(self, event, span: Span) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return event.value  # quoted: always a string
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))
        if tag in _SCALAR_TAGS:
            if tag == _STR or tag == Y + "timestamp":
                return event.value  # dates stay as written, so output is stable
            try:
                return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, event.value))
            except (ValueError, TypeError, yaml.YAMLError):
                what = "a number too large to read" if tag == Y + "int" else f"not a valid {tag[len(Y):]}"
                raise LoadError("E100", f"`{event.value[:40]}`{'...' if len(event.value) > 40 else ''} is {what}",
                                span) from None
        return self._tagged(tag, event.value, span)

    def _tagged(self, tag: str, value: Any, span: Span) -> Any:
        if self.tags is not None and not tag.startswith(Y):
            result = self.tags(tag, value)
            if result is not None:
                return result
        shown = "!!" + tag[len(Y):] if tag.startswith(Y) else tag
        raise LoadError("E102", f"the tag {shown} is not allowed; only plain YAML data is read "
                        "(no Python objects, no custom tags)", span)

    def _start(self, event, is_map: bool) -> None:
        span = Span.from_marks(event.start_mark, event.end_mark)
        self._count(1, span)
        if event.tag not in (None, "!", _MAP if is_map else _SEQ) and (self.tags is None or event.tag.startswith(Y)):
            self._tagged(event.tag, None, span)
        path = self._next_path(span)
        if path is None:
            raise LoadError("E100", "a mapping or list cannot be used as a key", span)
        if len(self.stack) >= self.limits.max_depth:
            raise LoadError("E104", f"nesting deeper than {self.limits.max_depth} levels", span)
        # A local tag on a collection (CloudFormation's `!If [...]`) applies in _end.
        local_tag = event.tag if event.tag and event.tag != "!" and not event.tag.startswith(Y) else None
        frame = _Frame({} if is_map else [], path, event.start_mark, event.anchor, self.nodes - 1, local_tag)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(frame)

    def _end(self, event) -> None:
        frame = self.stack.pop()
        span = Span(frame.start.line + 1, frame.start.column + 1, event.end_mark.line + 1, event.end_mark.column + 1)
        value = frame.value
        if frame.tag is not None:
            value = self._tagged(frame.tag, value, span)
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (value, self.nodes - frame.nodes_before)
        self._place(value, frame.path, span, collection=True)

    def _alias(self, event) -> None:
        span = Span.from_marks(event.start_mark, event.end_mark)
        if event.anchor in self.open_anchors:
            raise LoadError("E100", f"the alias *{event.anchor} refers to a value that contains it", span)
        if event.anchor not in self.anchors:
            raise LoadError("E100", f"the alias *{event.anchor} has no anchor before it", span)
        value, size = self.anchors[event.anchor]
        self._count(size, span)
        path = self._next_path(span)
        if path is None:
            raise LoadError("E100", "an alias cannot be used as a key", span)
        self._place(value, path, span, collection=isinstance(value, (dict, list)))

    def _place(self, value: Any, path: Path, span: Span, collection: bool) -> None:
        source = self.source
        if not self.stack:
            self.root = value
            source.values[()] = span
            if collection:
                source.collections.add(())
            return
        frame = self.stack[-1]
        container = frame.value
        if type(container) is list:
            container.append(value)
        elif frame.key is _MERGE:
            self._merge(frame, value, span)
            frame.key = None
            return
        else:
            container[frame.key] = value
            source.keys[path] = frame.key_span
            frame.key = None
        source.values[path] = span
        if collection:
            source.collections.add(path)

    def _merge(self, frame: _Frame, value: Any, span: Span) -> None:
        """`<<: *base`: keys written in the mapping win over merged ones."""
        sources = value if isinstance(value, list) else [value]
        for merged in sources:
            if not isinstance(merged, dict):
                raise LoadError("E100", "`<<` merges only mappings", span)
            for key, item in merged.items():
                if key in frame.explicit or key in frame.value:
                    continue
                frame.value[key] = item
                path = frame.path + (key,)
                self.source.keys[path] = frame.key_span
                self.source.values[path] = span
                if isinstance(item, (dict, list)):
                    self.source.collections.add(path)
