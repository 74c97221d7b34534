"""Suppressions: accepted findings, each with a reason, applied after the rules ran.

Four places can accept a finding, tried in this order:

- `suppress:` on a resource (source `inline`): findings of that resource;
- `suppress:` at the top of the file (source `file`), optionally with a `resource`;
- a `# wavalidate: ignore[CODE,...] reason` comment (source `comment`) on the
  finding's line, or on comment lines right above it;
- a waiver file (source `waiver`), YAML owned by anyone, given with `--waivers`
  or in the configuration, with a file glob, a resource and a rule.

A rule is named by its code, a code prefix or its name. Every suppression
needs a reason of at least MIN_REASON characters (E300 otherwise), may carry
`expires: YYYY-MM-DD` (the last day it holds; afterwards it stops suppressing
and W310 says so), and is reported (W311) when it matches nothing.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import fnmatch
import os
import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from .finding_keys import file_key
from .findings import ERROR, INPUT_NAMES, Finding, Suppression
from .locations import Span

MIN_REASON = 10
TODAY_VARIABLE = "WAVALIDATE_TODAY"
_COMMENT = re.compile(r"(?:^|(?<=\s))#")
_DIRECTIVE = re.compile(r"#\s*wavalidate\s*:\s*(?P<body>.*)")  # trailing blanks are cut in code: `.*?\s*$` is quadratic
_IGNORE = re.compile(r"^ignore\[(?P<rules>[^\]]*)\]\s*(?:expires[=:]\s*(?P<expires>\S+)\s*)?(?P<reason>.*)$")


@dataclass(frozen=True)
class Entry:
    """One suppression, wherever it was written."""

    rule: str                      # a code, a code prefix or a rule name
    reason: str
    source: str                    # inline, file, comment or waiver
    file: str                      # where it was written
    span: Span                     # where it was written
    reason_span: Span
    resource: Optional[str] = None  # None: any resource (a glob for waivers)
    expires: Optional[str] = None
    owner: Optional[str] = None
    lines: frozenset = frozenset()  # comments: the lines they cover
    target: Optional[str] = None    # waivers: a glob of the checked files they cover

    def matches_rule(self, code: str, name: str) -> bool:
        term = self.rule.strip()
        return bool(term) and (term == name or code.startswith(term.upper()))

    def matches(self, finding: Finding) -> bool:
        if not self.matches_rule(finding.code, finding.name):
            return False
        if self.source == "comment":
            return finding.file == self.file and finding.line in self.lines
        if self.source == "waiver":
            if self.target and not covers(self.target, finding.file):
                return False
            return self.resource is None or fnmatch.fnmatchcase(finding.resource, self.resource)
        return finding.file == self.file and (self.resource is None or finding.resource == self.resource)


def covers(pattern: str, file: str) -> bool:
    """Whether a waiver's file glob covers a checked file (`*` crosses folders)."""
    name = file_key(file)
    return fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(name, "*/" + pattern.lstrip("/"))


def today(value: Optional[str] = None) -> _dt.date:
    """The date expiry is judged by: `value`, else $WAVALIDATE_TODAY, else the clock."""
    value = value or os.environ.get(TODAY_VARIABLE)
    if value:
        return _dt.date.fromisoformat(value)
    return _dt.date.today()


def _finding(entry_file: str, span: Span, code: str, message: str, severity: str = ERROR) -> Finding:
    return Finding(entry_file, span, code, severity, message, INPUT_NAMES.get(code, ""))


def check_entry(entry: Entry, on: _dt.date) -> Optional[Finding]:
    """The problem that keeps an entry from suppressing anything, or None."""
    where = _describe(entry)
    if not entry.rule.strip():
        hint = "; write `# wavalidate: ignore[CODE,...] reason`" if entry.source == "comment" else ""
        return _finding(entry.file, entry.span, "E301", f"{where} names no rule{hint}")
    if visible_length(entry.reason) < MIN_REASON:
        said = f"`{excerpt(entry.reason.strip())}` is too short" if entry.reason.strip() else "there is none"
        return _finding(entry.file, entry.reason_span, "E300",
                        f"{where} needs a reason of at least {MIN_REASON} characters saying why the finding "
                        f"is accepted; {said}")
    if entry.expires is not None:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(entry.expires)):  # 3.11's fromisoformat also takes 20260131
                raise ValueError(entry.expires)
            last = _dt.date.fromisoformat(str(entry.expires))
        except ValueError:
            return _finding(entry.file, entry.span, "E301",
                            f"{where}: `expires: {entry.expires}` is not a date (YYYY-MM-DD)")
        if on > last:
            owner = f" (owner: {entry.owner})" if entry.owner else ""
            return _finding(entry.file, entry.span, "W310",
                            f"{where} expired on {last.isoformat()}{owner} and no longer suppresses "
                            f"anything; renew it with a new reason or fix the finding", "medium")
    return None


# Characters that draw nothing although Unicode files them as letters or symbols.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible_length(text: str) -> int:
    """How many characters of `text` a reader sees: no spaces, controls, format characters (zero-width
    spaces and joiners, bidi marks) or blank letters, so a reason cannot be made of invisible ink."""
    if text.isascii() and text.isprintable():  # the common case, without a look-up per character
        return len(text) - text.count(" ")
    import unicodedata
    return sum(1 for char in text if not char.isspace() and char not in _BLANK_LETTERS
               and unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp")
               and not unicodedata.category(char).startswith("M"))


def excerpt(text: str, limit: int = 40) -> str:
    """A short, escaped piece of untrusted text for a message: no control or invisible characters."""
    shown = "".join(char if char.isprintable() and char not in "\u200b\u200c\u200d\u2060\ufeff" else
                    ascii(char)[1:-1] for char in text[:limit])
    return shown + ("..." if len(text) > limit else "")


def _describe(entry: Entry) -> str:
    kind = {"inline": "suppression", "file": "file-wide suppression", "comment": "ignore comment",
            "waiver": "waiver"}[entry.source]
    on = f" on `{excerpt(str(entry.resource), 60)}`" if entry.resource else ""
    return f"{kind} of {excerpt(entry.rule, 60) or '(no rule)'}{on}"


# -- reading suppressions ----------------------------------------------------

def from_document(document) -> list[Entry]:
    """The inline, file-wide and comment suppressions of a loaded, valid document."""
    data, source, name = document.data, document.source, document.name
    entries: list[Entry] = []
    for resource, body in (data.get("resources") or {}).items():
        if isinstance(body, dict):
            entries.extend(_listed(body.get("suppress"), ("resources", resource, "suppress"), "inline", name,
                                   source, resource))
    entries.extend(_listed(data.get("suppress"), ("suppress",), "file", name, source, None))
    # A template's translated values are located over whole parts of it; `#` is judged on its own YAML.
    entries.extend(comments(document.text, name, document.text_source or source))
    return entries


def _listed(items: Any, at: tuple, kind: str, file: str, source, resource: Optional[str]) -> Iterable[Entry]:
    for index, item in enumerate(items or ()):
        if not isinstance(item, dict):
            continue
        path = at + (index,)
        yield Entry(str(item.get("rule", "")), str(item.get("reason") or ""), kind, file, source.locate(path),
                    source.locate(path + ("reason",)), item.get("resource", resource),
                    item.get("expires"), item.get("owner"))


def comments(text: str, file: str, source=None) -> list[Entry]:
    """`# wavalidate: ignore[CODE,...] reason` comments, with the lines each covers."""
    lines = text.splitlines()
    scalars = _ScalarLines(source)
    found: list[Entry] = []
    pending: list[tuple[int, int, re.Match]] = []  # comment-only directives waiting for their line
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        match = _directive_of(line, number, scalars) if "wavalidate" in line else None
        if match and stripped.startswith("#"):
            pending.append((number, match.start() + 1, match))
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if match:
            found.extend(_directive(match, file, number, match.start() + 1, {number}))
        for at, col, directive in pending:
            found.extend(_directive(directive, file, at, col, {number}))
        pending = []
    for at, col, directive in pending:  # nothing follows: it covers nothing, and is reported as unused
        found.extend(_directive(directive, file, at, col, set()))
    return found


def _directive_of(line: str, number: int, scalars: "_ScalarLines") -> Optional[re.Match]:
    """The directive that opens the line's comment, if any (a directive quoted in a comment is not one)."""
    for start in _COMMENT.finditer(line):
        if scalars.covers(number, start.start() + 1):
            continue  # a `#` inside a string value
        return _DIRECTIVE.match(line, start.start())
    return None


class _ScalarLines:
    """Where scalar values are, by line, built on first use: a `#` inside one is text, not a comment."""

    def __init__(self, source) -> None:
        self.source = source
        self.by_line: Optional[dict[int, list[tuple]]] = None

    def covers(self, line: int, col: int) -> bool:
        if self.source is None:
            return False
        if self.by_line is None:
            self.by_line = {}
            for path, span in self.source.values.items():
                if path not in self.source.collections:
                    for number in range(span.line, span.end_line + 1):
                        self.by_line.setdefault(number, []).append((span.line, span.col, span.end_line, span.end_col))
            for spans in self.by_line.values():
                spans.sort()
        # Scalars do not overlap, so only the last one starting before the `#` can hold it: a bisection,
        # not a scan (a line of thousands of quoted `#`s was quadratic).
        spans = self.by_line.get(line, [])
        at = bisect.bisect_right(spans, (line, col, float("inf"), float("inf"))) - 1
        return at >= 0 and (line, col) < spans[at][2:]


def _directive(match: re.Match, file: str, line: int, col: int, covered: set) -> list[Entry]:
    body = match.group("body").rstrip()
    end = match.start("body") + len(body) + 1  # 1-based, exclusive
    span = Span(line, col, line, end)
    ignore = _IGNORE.match(body)
    if ignore is None:
        return [Entry("", "", "comment", file, span, span, lines=frozenset(covered))]
    reason = ignore.group("reason").strip()
    reason_col = end - len(reason)
    reason_span = Span(line, reason_col, line, reason_col + len(reason)) if reason else span
    return [Entry(term.strip(), reason, "comment", file, span, reason_span, expires=ignore.group("expires"),
                  lines=frozenset(covered)) for term in ignore.group("rules").split(",") if term.strip()] or \
        [Entry("", reason, "comment", file, span, reason_span, lines=frozenset(covered))]


# -- applying them -----------------------------------------------------------

def apply(findings: Sequence[Finding], entries: Sequence[Entry], ran: Sequence, known: Sequence = (),
          on: Optional[_dt.date] = None, waivers: Sequence[Entry] = ()) -> list[Finding]:
    """Findings with accepted ones marked, plus the problems of the file's own suppressions.

    `entries` are the document's own suppressions, checked and reported here;
    `waivers` were checked once when their file was read, and whether they
    were used is judged over the whole run (`unused_waivers`). `ran` are the
    rules that ran (a suppression of a rule that did not run is not
    "unused"); `known` every rule loaded, to tell a typo from a rule left out
    by --select.
    """
    on = on or today()
    problems: list[Finding] = []
    valid: list[Entry] = []
    for entry in entries:
        problem = check_entry(entry, on)
        if problem is None:
            valid.append(entry)
        else:
            problems.append(problem)
    used: set[int] = set()
    index = _Index(valid)
    waiver_index = WaiverIndex.of(waivers)
    out: list[Finding] = []
    for finding in findings:
        if not finding.pillar or finding.suppression is not None:
            out.append(finding)
            continue
        # the file's own suppressions first (through their index), then the waivers: the first match wins
        matched = next((p for p in index.candidates(finding) if valid[p].matches(finding)), None)
        if matched is not None:
            used.add(matched)
            finding = replace(finding, suppression=_suppression(valid[matched]))
        else:
            waiver = next(waiver_index.matching(finding), None)
            if waiver is not None:
                finding = replace(finding, suppression=_suppression(waiver))
        out.append(finding)
    problems.extend(unused([e for i, e in enumerate(valid) if i not in used], ran, known))
    return out + problems


def _rule_keys(code: str, name: str) -> list[tuple]:
    """The keys a suppression's rule term is filed under that would match this rule (see Entry.matches_rule)."""
    return [("name", name)] + [("code", code[:end]) for end in range(1, len(code) + 1)]


class _Index:
    """A file's own suppressions by where they apply and the rule they name, so matching a finding is a few
    look-ups rather than a pass over every suppression (thousands of ignore comments were quadratic)."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.table: dict[tuple, list[int]] = {}
        for position, entry in enumerate(entries):
            term = entry.rule.strip()
            if not term:
                continue
            places: list[tuple]
            if entry.source == "comment":
                places = [("line", entry.file, line) for line in entry.lines]
            elif entry.resource is None:
                places = [("file", entry.file)]
            elif isinstance(entry.resource, str):
                places = [("resource", entry.file, entry.resource)]
            else:
                continue  # never equal to a finding's resource name
            for place in places:
                for rule in (("name", term), ("code", term.upper())):
                    self.table.setdefault(place + rule, []).append(position)

    def candidates(self, finding: Finding) -> list[int]:
        places = (("line", finding.file, finding.line), ("file", finding.file),
                  ("resource", finding.file, finding.resource))
        found = {position for place in places for rule in _rule_keys(finding.code, finding.name)
                 for position in self.table.get(place + rule, ())}
        return sorted(found)


def _suppression(entry: Entry) -> Suppression:
    return Suppression(entry.reason.strip(), entry.source, str(entry.expires) if entry.expires else None,
                       str(entry.owner) if entry.owner else None)


def unused(entries: Iterable[Entry], ran: Sequence, known: Sequence = ()) -> list[Finding]:
    """W311 for each suppression that matched nothing although its rule ran."""
    out = []
    ran_terms, known_terms = _terms(ran), _terms(known or ran)
    for entry in entries:
        if not _names_one_of(entry, known_terms):
            message = f"{_describe(entry)} names no known rule (see `wavalidate rules`)"
        elif _names_one_of(entry, ran_terms):
            message = f"{_describe(entry)} matches no finding; remove it"
        else:
            continue  # its rule was not selected in this run
        out.append(_finding(entry.file, entry.span, "W311", message, "low"))
    return out


def _terms(rules: Sequence) -> set:
    """Every rule term (name or code prefix) that names at least one of `rules`."""
    return {key for r in rules for key in _rule_keys(r.code, r.name)}


def _names_one_of(entry: Entry, terms: set) -> bool:
    term = entry.rule.strip()
    return bool(term) and (("name", term) in terms or ("code", term.upper()) in terms)


def unused_waivers(waivers: Sequence[Entry], findings: Sequence[Finding], files: Sequence[str], ran: Sequence,
                   known: Sequence = ()) -> list[Finding]:
    """W311 for waivers that cover a checked file but accepted none of its findings.

    A central waiver file covers many repositories, so a waiver whose glob
    matches none of the files checked in this run is not reported.
    """
    index = WaiverIndex.of(waivers)
    used: set[int] = set()
    for f in findings:
        if f.suppression is not None and f.suppression.source == "waiver":
            used.update(id(w) for w in index.matching(f) if f.suppression.reason == w.reason.strip())
    names = [file_key(f) for f in files]
    idle = [w for w in waivers if id(w) not in used and (not w.target or _covers_any(w.target, names))]
    return unused(idle, ran, known)


def _covers_any(pattern: str, names: Sequence[str]) -> bool:
    if not _GLOB.search(pattern):  # the common case, without fnmatch per file
        bare = pattern.lstrip("/")
        return any(n == pattern or n.endswith("/" + bare) for n in names)
    return any(covers(pattern, n) for n in names)


_GLOB = re.compile(r"[*?\[]")


class WaiverIndex:
    """Waivers by rule term and literal file, so matching a finding costs a few look-ups, not one test
    per waiver (200,000 waivers took 98 s). Built once per set of waivers."""

    _last: Optional[tuple[Sequence[Entry], "WaiverIndex"]] = None

    def __init__(self, waivers: Sequence[Entry]) -> None:
        self.waivers = list(waivers)
        self.buckets: dict[tuple, list[int]] = {}
        for number, waiver in enumerate(self.waivers):
            term = waiver.rule.strip()
            if not term:
                continue
            target = waiver.target
            place = target.lstrip("/") if target and not _GLOB.search(target) else None
            resource = waiver.resource if waiver.resource is not None and not _GLOB.search(waiver.resource) else None
            for kind, key in (("name", term), ("prefix", term.upper())):
                self.buckets.setdefault((kind, key, place, resource), []).append(number)

    @classmethod
    def of(cls, waivers: Sequence[Entry]) -> "WaiverIndex":
        last = cls._last
        if last is not None and last[0] is waivers:
            return last[1]
        index = cls(waivers)
        cls._last = (waivers, index)
        return index

    def matching(self, finding: Finding) -> Iterator[Entry]:
        """The waivers that match the finding, in the order they were given."""
        name = file_key(finding.file)
        places = [None, name] + [name[i + 1:] for i, char in enumerate(name) if char == "/"]
        terms = [("name", finding.name)] + [("prefix", finding.code[:n]) for n in range(1, len(finding.code) + 1)]
        resources = (None, finding.resource)
        numbers: set[int] = set()
        for kind, key in terms:
            for place in places:
                for resource in resources:
                    numbers.update(self.buckets.get((kind, key, place, resource), ()))
        return (self.waivers[n] for n in sorted(numbers) if self.waivers[n].matches(finding))


# -- waiver files ------------------------------------------------------------

def _waiver_schema():
    from .schema.fields import integer, listof, obj, text
    from .schema.types import SUPPRESSION
    waiver = SUPPRESSION.but(doc="one accepted finding", fields={
        "file": text("glob of the architecture files it covers, e.g. `infra/*.yaml` (`*` crosses folders)"),
        "resource": text("resource name or glob"),
        **(SUPPRESSION.fields or {})})
    return obj("A waiver file: accepted findings, owned by whoever approves exceptions.",
               version=integer("format version", allowed=(1,)),
               waivers=listof(waiver, "the waivers", required=True))


WAIVERS = _waiver_schema()


MAX_WAIVERS = 50_000   # per run: a central file of a large organisation holds a few thousand
_MAX_REPORTED = 100     # schema problems reported per waiver file
_NODES_PER_WAIVER = 16  # a mapping and its seven fields, keys and values


def load_waivers(paths: Sequence[str], on: Optional[_dt.date] = None,
                 found: Iterable[str] = ()) -> tuple[list[Entry], list[Finding]]:
    """The usable waivers of some waiver files, and the problems found in them.

    `found`: paths named by a configuration found rather than chosen, which are read only inside the
    repository root even with --allow-outside-root."""
    from .loader import DEFAULT_LIMITS, LoadError, load_file
    on = on or today()
    untrusted = {os.path.normpath(p) for p in found}
    # A file of more waivers than the bound is stopped while it is read, not after (time and memory).
    limits = replace(DEFAULT_LIMITS, max_nodes=min(DEFAULT_LIMITS.max_nodes, MAX_WAIVERS * _NODES_PER_WAIVER))
    entries: list[Entry] = []
    problems: list[Finding] = []
    total = 0
    for path in paths:
        try:
            document = load_file(path, limits, named=os.path.normpath(path) not in untrusted)
        except LoadError as error:
            message = error.message
            if error.code == "E104" and "values" in message:
                message = f"a waiver file is read up to {limits.max_nodes:,} values (over {MAX_WAIVERS:,} waivers)"
            problems.append(Finding(path, error.span, error.code, ERROR, message, INPUT_NAMES.get(error.code, "")))
            continue
        invalid = _invalid_waivers(document.data)
        for problem in invalid:
            problems.append(Finding(path, document.source.locate(problem.path, problem.on_key), problem.code, ERROR,
                                    problem.message, INPUT_NAMES.get(problem.code, ""), path=problem.path))
        if invalid:
            continue
        items = document.data.get("waivers") or ()
        total += len(items)
        if total > MAX_WAIVERS:
            problems.append(Finding(path, document.source.locate(("waivers",), True), "E104", ERROR,
                                    f"over {MAX_WAIVERS:,} waivers in this run; split the findings by repository "
                                    "or fix some", INPUT_NAMES["E104"], path=("waivers",)))
            continue
        for index, item in enumerate(items):
            at = ("waivers", index)
            entry = Entry(item["rule"], item.get("reason") or "", "waiver", path, document.source.locate(at),
                          document.source.locate(at + ("reason",)), item.get("resource"), item.get("expires"),
                          item.get("owner"), target=item.get("file"))
            refused = check_entry(entry, on)
            if refused is None:
                entries.append(entry)
            else:
                problems.append(refused)
    return entries, problems


def _invalid_waivers(data: Any) -> list:
    """Schema problems of a waiver file: the compiled check first, cerberus (slow) only on the waivers it
    rejects, each alone, so one bad waiver among thousands costs one waiver's messages."""
    from .schema.fast import compile_field
    from .schema.validate import validate_with
    global _FAST
    if _FAST is None:
        _FAST = compile_field(WAIVERS), compile_field(WAIVERS.fields["waivers"].items)
    whole, one = _FAST
    if whole(data):
        return []
    items = data.get("waivers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return validate_with(WAIVERS, data, "a waiver file")
    top = validate_with(WAIVERS, {**data, "waivers": []}, "a waiver file")
    out = list(top)
    for number, item in enumerate(items):
        if len(out) >= _MAX_REPORTED:
            break
        if not one(item):
            out += [replace(p, path=("waivers", number) + p.path) for p in
                    validate_with(WAIVERS.fields["waivers"].items, item, "a waiver")]
    return out


_FAST: Optional[tuple[Callable[[Any], bool], Callable[[Any], bool]]] = None
