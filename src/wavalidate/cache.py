"""A folder of earlier results (`check --cache DIR`), so files a pull request did not change are not checked again.

An entry is keyed by a SHA-256 of everything a group's findings depend on:
the content and name of each file of the group (a file, and with
composition the files it uses), the rules (their metadata and the source of
the module of each rule's check), the options (limits, severities,
requirements, organisation, waivers, the day expiry is judged on), and
wavalidate itself (its version and the digest of its own source). A hit gives
the findings the check would give, so the output is byte for byte the same.

The folder can be planted by a pull request like any file of the checkout
(see docs/security.md), so an entry is only ever data: JSON, read through
`files.read_regular` (a regular file, size-bounded, never a FIFO), never
unpickled. Each entry repeats its key and version and must have exactly the
expected shape; an entry that does not validate is a miss, never trusted or
partly used. Entries are written atomically (a temporary file and a rename)
by `output.write_atomic`, which refuses symbolic links. Results with an
internal error (a rule that crashed or ran out of time, which depends on the
moment) are never stored.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from typing import Any, Optional, Sequence

from . import __version__
from .findings import Finding, Related, Suppression
from .locations import Span
from .results import FileResult

FORMAT = "wavalidate-cache/1"
MAX_ENTRY_BYTES = 4 * 1024 * 1024   # an entry over this is neither written nor read
_FINDING_KEYS = {"file", "span", "code", "severity", "message", "name", "pillar", "resource", "path",
                 "suppression", "related"}
_SUPPRESSION_KEYS = {"reason", "source", "expires", "owner"}


class Cache:
    def __init__(self, folder: str, rules: Sequence, options: Any) -> None:
        self.folder = folder
        self.limit = options.limits.max_bytes
        self.salt = _digest([FORMAT, __version__, _own_source(), _rules_digest(rules), _options_text(options)])

    def key(self, group: Sequence[str]) -> Optional[str]:
        """The key of a group of files, or None when one cannot be read (the check reports why)."""
        from .files import STDIN_NAMES, Refused, read_bytes
        parts = [self.salt]
        for path in group:
            if os.path.abspath(path) in STDIN_NAMES:
                return None   # read once, by the check
            try:
                content = read_bytes(path, self.limit)
            except Refused:
                return None
            parts += [path, hashlib.sha256(content).hexdigest()]
        return _digest(parts)

    def path(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key + ".json")

    def get(self, key: str, file: str) -> Optional[FileResult]:
        """The stored result of `file` under `key`; None when absent or not valid."""
        from .files import Refused, read_regular
        try:
            raw = read_regular(self.path(key), MAX_ENTRY_BYTES)
            entry = json.loads(raw.decode("utf-8"))
        except (Refused, ValueError, RecursionError):
            return None
        try:
            return _result(entry, key, file)
        except (TypeError, ValueError, KeyError, AttributeError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        """Store a result; silently not when it holds an internal error or the folder cannot take it."""
        if any(f.is_internal_error for f in result.findings):
            return
        text = json.dumps({"format": FORMAT, "version": __version__, "key": key, "file": result.file,
                           "valid": result.valid, "findings": [_plain(f) for f in result.findings]},
                          sort_keys=True, separators=(",", ":"))
        if len(text) > MAX_ENTRY_BYTES:
            return
        from .output import OutputError, write_atomic
        target = self.path(key)
        try:
            folder = os.path.dirname(target)
            if not os.path.islink(folder):
                os.makedirs(folder, exist_ok=True)
            if os.path.islink(self.folder) or os.path.islink(folder):
                return
            write_atomic(target, text)
        except (OSError, OutputError):
            pass   # a cache that cannot be written is no cache; the check itself is unaffected


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


_OWN: list[str] = []


def _own_source() -> str:
    """A digest of wavalidate's own files: a development checkout changes without a new version."""
    if not _OWN:
        root = os.path.dirname(os.path.abspath(__file__))
        digest = hashlib.sha256()
        for folder, folders, files in os.walk(root):
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".json", ".yaml", ".yml")):
                    path = os.path.join(folder, name)
                    digest.update(os.path.relpath(path, root).encode() + b"\0")
                    with open(path, "rb") as stream:
                        digest.update(stream.read())
        _OWN.append(digest.hexdigest())
    return _OWN[0]


def _rules_digest(rules: Sequence) -> str:
    """The rules in order: what they say about themselves, and the source of the module of each one's check."""
    sources: dict[str, str] = {}
    parts = []
    for rule in rules:
        code = getattr(getattr(rule, "check", None), "__code__", None)
        filename = code.co_filename if code is not None else ""
        if filename not in sources:
            try:
                with open(filename, "rb") as stream:
                    sources[filename] = hashlib.sha256(stream.read()).hexdigest()
            except OSError:
                sources[filename] = ""
        parts += [repr(_stable(rule)), getattr(rule.check, "__qualname__", ""), sources[filename]]
    return _digest(parts)


def _options_text(options: Any) -> str:
    return repr(_stable((options.limits, options.rule_timeout, options.severity_overrides, options.requirements,
                         options.organization, options.waivers, str(options.today),
                         [getattr(r, "code", "") for r in options.known_rules])))


def _stable(value: Any) -> Any:
    """A value as nested lists of text, the same in every process (sets are ordered by hash, which is seeded)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__] + [[f.name, _stable(getattr(value, f.name))]
                                         for f in dataclasses.fields(value) if f.repr]
    if isinstance(value, dict):
        return sorted([repr(k), _stable(v)] for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return ["set"] + sorted(repr(_stable(v)) for v in value)
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    return repr(value)


# -- entries as plain data -------------------------------------------------------------


def _plain(finding: Finding) -> dict:
    s = finding.suppression
    return {"file": finding.file, "span": _span(finding.span), "code": finding.code,
            "severity": finding.severity, "message": finding.message, "name": finding.name,
            "pillar": finding.pillar, "resource": finding.resource, "path": list(finding.path),
            "suppression": None if s is None else {"reason": s.reason, "source": s.source,
                                                   "expires": s.expires, "owner": s.owner},
            "related": [[_span(r.span), list(r.path)] for r in finding.related]}


def _span(span: Span) -> list:
    return [span.line, span.col, span.end_line, span.end_col]


def _result(entry: Any, key: str, file: str) -> Optional[FileResult]:
    if not (isinstance(entry, dict) and set(entry) == {"format", "version", "key", "file", "valid", "findings"}):
        return None
    if (entry["format"], entry["version"], entry["key"], entry["file"]) != (FORMAT, __version__, key, file):
        return None
    if not isinstance(entry["valid"], bool) or not isinstance(entry["findings"], list):
        return None
    findings = tuple(_finding(item) for item in entry["findings"])
    if any(f.file != file or f.is_internal_error for f in findings):
        return None
    return FileResult(file, findings, None, entry["valid"])


def _finding(item: Any) -> Finding:
    if not isinstance(item, dict) or set(item) != _FINDING_KEYS:
        raise ValueError("not a finding")
    for name in ("file", "code", "severity", "message", "name", "pillar", "resource"):
        _text(item[name])
    s = item["suppression"]
    suppression = None
    if s is not None:
        if not isinstance(s, dict) or set(s) != _SUPPRESSION_KEYS:
            raise ValueError("not a suppression")
        suppression = Suppression(_text(s["reason"]), _text(s["source"]), _optional_text(s["expires"]),
                                  _optional_text(s["owner"]))
    related = item["related"]
    if not isinstance(related, list):
        raise ValueError("not related locations")
    return Finding(item["file"], _read_span(item["span"]), item["code"], item["severity"], item["message"],
                   item["name"], item["pillar"], item["resource"], _path(item["path"]), suppression,
                   tuple(Related(_read_span(r[0]), _path(r[1])) for r in related if _pair(r)))


def _pair(value: Any) -> bool:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("not a pair")
    return True


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _optional_text(value: Any) -> Optional[str]:
    return None if value is None else _text(value)


def _read_span(value: Any) -> Span:
    if not (isinstance(value, list) and len(value) == 4
            and all(type(n) is int and 0 <= n < 1 << 31 for n in value)):
        raise ValueError("not a span")
    return Span(*value)


def _path(value: Any) -> tuple:
    if not isinstance(value, list) or not all(type(p) in (str, int) for p in value):
        raise ValueError("not a path")
    return tuple(value)
