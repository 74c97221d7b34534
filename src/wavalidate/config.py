"""Project configuration: `.wavalidate.yaml`, or `[tool.wavalidate]` in `pyproject.toml`.

Only the current directory is searched (or the file given with `--config`);
nothing is ever executed. The configuration is validated like an
architecture file, and its problems are findings with positions.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .api import SEVERITIES
from .findings import ERROR, INPUT_NAMES, Finding
from .locations import Path, Span

NAMES = (".wavalidate.yaml", ".wavalidate.yml")
PYPROJECT = "pyproject.toml"


def _schema():
    from .schema.fields import choice, listof, mapping, obj, text
    from .schema.types import ORGANIZATION, REQUIREMENTS
    return obj(
        "wavalidate's configuration.",
        select=listof(text("a rule code, code prefix, rule name or pillar"), "run only these rules"),
        ignore=listof(text("a rule code, code prefix, rule name or pillar"), "skip these rules"),
        severity=mapping(choice(*SEVERITIES), "a severity for some rules, by code"),
        fail_on=choice(*SEVERITIES, "never", doc="exit 1 when a finding is at or above this severity"),
        requirements=REQUIREMENTS.but(doc="defaults for every file's `requirements`; the file's own win"),
        organization=ORGANIZATION.but(doc="what the organisation provides, inherited by every file (a file's own "
                                          "`organization` adds to it, capability by capability)"),
        rules=listof(text("a folder or file of rules, relative to the configuration file"), "rule packs to load"),
        waivers=listof(text("a waiver file, relative to the configuration file"), "waiver files"),
        include=listof(text("a glob of repository paths (`*` crosses folders)"),
                       "`diff --base` compares only changed files that match one of these"),
        exclude=listof(text("a glob of repository paths (`*` crosses folders)"),
                       "`diff --base` never compares changed files that match one of these"),
    )


CONFIG = _schema()


@dataclass
class Config:
    """The settings read, with paths made relative to the current directory."""

    path: Optional[str] = None
    explicit: bool = False   # named with --config, rather than found in the current directory
    select: list = field(default_factory=list)
    ignore: list = field(default_factory=list)
    severity: dict = field(default_factory=dict)
    fail_on: Optional[str] = None
    requirements: dict = field(default_factory=dict)
    organization: dict = field(default_factory=dict)
    rules: list = field(default_factory=list)
    waivers: list = field(default_factory=list)
    include: list = field(default_factory=list)   # globs of repository paths, for `diff --base`
    exclude: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    locate: Callable[..., Span] = field(default=lambda path, on_key=False: Span.point(1, 1), repr=False)

    def untrusted_rules(self) -> list[Finding]:
        """W320 when a configuration found in the current directory names rule packs.

        Checking a repository must never run its code: packs named in a
        configuration are loaded only when the user chose the file with
        --config (or named the packs with --rules).
        """
        if not self.rules or self.explicit:
            return []
        return [Finding(self.path or "", self.locate(("rules",), True), "W320", "low",
                        f"rule packs named here are not loaded, as this configuration was found rather than chosen; "
                        f"run with `--config {self.path}` to trust it", INPUT_NAMES["W320"], path=("rules",))]

    def unknown_rules(self, rules) -> list[Finding]:
        """E203 for each severity override, select or ignore term that names no loaded rule."""
        from .selection import unknown_terms
        codes = {r.code for r in rules}
        out = [self._problem("E203", f"`{code}` in `severity` is not a rule code (see `wavalidate rules`)",
                             ("severity", code), on_key=True)
               for code in self.severity if code not in codes]
        for name in ("select", "ignore"):
            terms = getattr(self, name)
            bad = set(unknown_terms(rules, terms))
            out += [self._problem("E203", f"`{term}` in `{name}` matches no rule: give a code, code prefix, rule "
                                          "name or pillar (see `wavalidate rules`)", (name, index))
                    for index, term in enumerate(terms) if term in bad]
        return out

    def _problem(self, code: str, message: str, path: Path, on_key: bool = False) -> Finding:
        return Finding(self.path or "", self.locate(path, on_key), code, ERROR, message, INPUT_NAMES.get(code, ""),
                       path=tuple(path))


def find(cwd: str = ".") -> Optional[str]:
    """The configuration file of the current directory, if any (never a parent's)."""
    for name in NAMES:
        candidate = os.path.join(cwd, name)
        if os.path.isfile(candidate):
            return candidate
    candidate = os.path.join(cwd, PYPROJECT)
    if os.path.isfile(candidate) and _has_tool_table(candidate):
        return candidate
    return None


def _has_tool_table(path: str) -> bool:
    """A `[tool.wavalidate...` header, even a malformed one, so its TOML error is reported, not ignored."""
    try:
        text = _read(path, named=False)
    except Exception:  # unreadable, refused or not UTF-8: then it is no configuration of ours
        return False
    return re.search(r"^\s*\[+\s*tool\s*\.\s*wavalidate\b", text, re.MULTILINE) is not None


def _read(path: str, named: bool) -> str:
    """The file's text, read as an architecture file is (confined, regular, bounded, UTF-8); raises LoadError."""
    from .loader import read_text
    return read_text(path, named=named)


def load(path: Optional[str] = None, cwd: str = ".") -> Config:
    """Read and validate the configuration: `path`, or the one found in `cwd`, or none."""
    explicit = path is not None
    path = path if explicit else find(cwd)
    if path is None:
        return Config()
    if not os.path.exists(path):
        return Config(path=path, problems=[Finding(path, Span.point(1, 1), "E106", ERROR,
                                                   f"cannot read the configuration '{path}': no such file",
                                                   INPUT_NAMES["E106"])])
    if path.endswith(".toml"):
        data, locate, problems = _read_toml(path, explicit)
    else:
        data, locate, problems = _read_yaml(path, explicit)
    config = Config(path=path, explicit=explicit, locate=locate, problems=problems)
    if problems:
        return config
    from .schema.validate import validate_with
    invalid = validate_with(CONFIG, data, "the configuration")
    if invalid:
        config.problems = [Finding(path, locate(p.path, p.on_key), p.code, ERROR, p.message,
                                   INPUT_NAMES.get(p.code, ""),
                                   path=p.path) for p in invalid]
        return config
    base = os.path.dirname(path)
    config.select = list(data.get("select") or [])
    config.ignore = list(data.get("ignore") or [])
    config.severity = dict(data.get("severity") or {})
    config.fail_on = data.get("fail_on")
    config.requirements = dict(data.get("requirements") or {})
    config.organization = dict(data.get("organization") or {})
    config.rules = [os.path.normpath(os.path.join(base, p)) for p in data.get("rules") or []]
    config.waivers = [os.path.normpath(os.path.join(base, p)) for p in data.get("waivers") or []]
    config.include = list(data.get("include") or [])
    config.exclude = list(data.get("exclude") or [])
    return config


def _read_yaml(path: str, named: bool) -> tuple[Any, Callable[..., Span], list]:
    from .loader import LoadError, load_file
    try:
        document = load_file(path, named=named)
    except LoadError as error:
        span = error.span  # `error` is unbound once the except clause ends
        return None, lambda p, on_key=False: span, [Finding(path, span, error.code, ERROR, error.message,
                                                   INPUT_NAMES.get(error.code, ""))]
    return document.data, lambda p, on_key=False: document.source.locate(p, on_key), []


def _read_toml(path: str, named: bool) -> tuple[Any, Callable[..., Span], list]:
    from .loader import LoadError
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    def failed(span: Span, code: str, message: str, name: str):
        return None, lambda p, on_key=False: span, [Finding(path, span, code, ERROR, message, name)]
    try:
        text = _read(path, named)
        data = tomllib.loads(text)
    except LoadError as error:
        return failed(error.span, error.code, error.message, INPUT_NAMES.get(error.code, ""))
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"line (\d+), column (\d+)", str(error))
        span = Span.point(int(where.group(1)), int(where.group(2))) if where else Span.point(1, 1)
        return failed(span, "E100", f"TOML syntax error: {error}", "toml-syntax")
    except RecursionError:  # tomllib recurses into nested arrays and tables
        return failed(_deepest(text), "E104", "nesting deeper than Python can read", INPUT_NAMES["E104"])
    except ValueError as error:  # an integer of thousands of digits
        return failed(Span.point(1, 1), "E100", f"TOML value cannot be read: {str(error)[:80]}", "toml-syntax")
    is_pyproject = os.path.basename(path) == PYPROJECT
    section = ("tool", "wavalidate") if is_pyproject else ()
    table: Any = data
    for part in section:
        table = table.get(part, {}) if isinstance(table, dict) else {}
    return table, _toml_locator(text, section), []


def _deepest(text: str, limit: int = 64) -> Span:
    """Roughly where brackets first nest over `limit` deep, else deepest (strings not told apart): where to
    look for a nesting error. Only bracket characters are visited, so a 32 MiB file costs little."""
    depth = best = best_at = 0
    for match in re.finditer(r"[\[\]{}]", text):
        if match.group() in "[{":
            depth += 1
            if depth > best:
                best, best_at = depth, match.start()
                if depth > limit:
                    break
        else:
            depth -= 1
    line = text.count("\n", 0, best_at) + 1
    return Span.point(line, best_at - (text.rfind("\n", 0, best_at) + 1) + 1)


def _toml_locator(text: str, section: tuple) -> Callable[..., Span]:
    """A best-effort position for a path inside a TOML table (tomllib keeps none)."""
    lines = text.splitlines()

    def header(parts: tuple) -> Optional[int]:
        wanted = r"\s*\.\s*".join(re.escape(p) for p in parts)
        for index, line in enumerate(lines):
            if re.match(rf"^\s*\[\s*{wanted}\s*\]", line):
                return index
        return None

    def key_in(start: int, key: str) -> Optional[Span]:
        pattern = re.compile(rf"^(\s*)(\"?){re.escape(key)}\2\s*=")
        inline = re.compile(rf"[{{,]\s*(\"?){re.escape(key)}\1\s*=")
        for index in range(start + 1, len(lines)):
            line = lines[index]
            if re.match(r"^\s*\[", line):
                break
            match = pattern.match(line)
            if match:
                col = len(match.group(1)) + 1
                return Span(index + 1, col, index + 1, col + len(key) + 2 * len(match.group(2)))
            match = inline.search(line)
            if match:
                col = match.start() + 2 + (len(line[match.start() + 1:]) - len(line[match.start() + 1:].lstrip()))
                return Span.point(index + 1, col)
        return None

    def locate(path: Path, on_key: bool = False) -> Span:
        keys = tuple(p for p in path if isinstance(p, str))
        for depth in range(len(keys), 0, -1):
            # `[tool.wavalidate.severity]` then `REL001 = ...`, or `severity = {...}` in the table
            start = header(section + keys[:depth - 1]) if depth > 1 or section else -1
            if start is not None:
                found = key_in(start, keys[depth - 1])
                if found is not None:
                    return found
        start = header(section) if section else None
        return Span.point(start + 1, 1) if start is not None else Span.point(1, 1)

    return locate
