"""Composition: files that build on others (`uses:`), checked together as one architecture.

A platform team's network file and each product team's workload file are
one network. A file lists the files it builds on in `uses`, relative to
itself and inside the repository; the files joined by `uses` (either way)
are checked as one architecture, so each finding is reported once, in the
file that must change. Every resource remembers the document that defines
it, and `Composition.where` turns a path of the composed model back into
that document's own path.
"""
from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from .files import inside
from .findings import ERROR, INPUT_NAMES, Finding
from .loader import Document, Limits, LoadError
from .locations import Path, Span

# What a folder given on the command line contributes: YAML files, not hidden ones (a JSON template is
# named on its own: folders hold too many other JSON files, such as package.json).
EXTENSIONS = (".yaml", ".yml")
_TOP_LISTS = ("flows", "assertions")


def expand(paths: Sequence[str]) -> list[str]:
    """The files to check: a folder stands for its architecture files, found recursively in name order."""
    out: list[str] = []
    for path in paths:
        if not os.path.isdir(path):
            out.append(path)
            continue
        found: list[str] = []
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(os.path.join(folder, name) for name in sorted(files)
                         if name.endswith(EXTENSIONS) and not name.startswith("."))
        out.extend(found or [path])   # a folder with none is reported as the folder it is
    return out


_USES = re.compile(r"^uses\s*:", re.MULTILINE)


def any_uses(paths: Sequence[str], limits: Limits, readers: Mapping[str, Callable[[], str]] = {}) -> bool:
    """Whether some file may have a top-level `uses` (a look at the text): only then are files composed,
    and checked in this process; otherwise each is checked alone, in parallel or from the cache."""
    from .loader import LoadError as Unreadable
    from .loader import read_text
    for path in paths:
        try:
            read = readers.get(path)
            text = read() if read is not None else read_text(path, limits)
        except (Unreadable, OSError):
            continue   # reported when the file is checked
        if _USES.search(text):
            return True
    return False


def repository_root(path: str) -> str:
    """The root `uses` may not leave: the command line's (files.py), else the nearest `.git` above the file."""
    from .files import policy
    from .files import repository_root as nearest
    current = policy()
    return current.root if current is not None else nearest(os.path.dirname(os.path.abspath(path)) or ".")


@dataclass
class Part:
    """One file of a check: its document (None when it did not load) and the files it uses."""

    name: str                              # as shown in findings
    key: str                               # its real path, to know a file reached twice
    document: Optional[Document] = None
    errors: list = field(default_factory=list)          # findings that stop the rules
    uses: list = field(default_factory=list)            # (index in `uses`, key) of each usable entry


@dataclass
class Member:
    """A part of a composition that loaded: its document is there."""

    name: str
    key: str
    document: Document
    uses: list


def _error(file: str, code: str, message: str, span: Span, path: Path = ()) -> Finding:
    return Finding(file, span, code, ERROR, message, INPUT_NAMES.get(code, ""), path=tuple(path))


class Loader:
    """Loads the files given and every file they use, each once, and checks the `uses` entries."""

    def __init__(self, load) -> None:
        self.load = load                     # (path, named on the command line?) -> Document, raising LoadError
        self.parts: dict[str, Part] = {}     # by key, in the order they were reached
        self.pending: list[tuple[Part, bool]] = []

    def part(self, name: str, named: bool = True) -> Part:
        """The part of a file, loaded later by `load_all` (a queue, not recursion: chains can be long)."""
        key = os.path.normcase(os.path.realpath(name))
        found = self.parts.get(key)
        if found is not None:
            return found
        part = self.parts[key] = Part(name, key)
        self.pending.append((part, named))
        return part

    def load_all(self) -> None:
        index = 0
        while index < len(self.pending):
            part, named = self.pending[index]
            index += 1
            try:
                part.document = self.load(part.name, named)
            except LoadError as error:
                part.errors.append(_error(part.name, error.code, error.message, error.span))
                continue
            self._follow(part)

    def _follow(self, part: Part) -> None:
        document = part.document
        entries = document.data.get("uses") if document is not None and isinstance(document.data, dict) else None
        if document is None or not isinstance(entries, list):
            return   # absent, or the schema reports its shape
        root = repository_root(part.name)
        for index, entry in enumerate(entries):
            if not isinstance(entry, str) or not entry.strip():
                continue
            at = ("uses", index)
            span = document.source.locate(at)
            problem = _entry_problem(part.name, entry, root)
            if problem is not None:
                part.errors.append(_error(part.name, problem[0], problem[1], span, at))
                continue
            used = self.part(os.path.normpath(os.path.join(os.path.dirname(part.name), entry)), named=False)
            part.uses.append((index, used.key))


def _entry_problem(name: str, entry: str, root: str) -> Optional[tuple[str, str]]:
    if os.path.isabs(entry) or entry.startswith("~") or os.path.splitdrive(entry)[0]:
        return "E220", f"`{entry}` is an absolute path; `uses` takes paths relative to this file"
    target = os.path.join(os.path.dirname(name), entry)
    real = os.path.realpath(target)
    if not inside(real, root):
        return "E220", f"`{entry}` is outside the repository root ({root}); a file may use only files of " \
                       "its own repository"
    if not os.path.exists(real):
        return "E221", f"`{entry}` does not exist (looked for {os.path.normpath(target)})"
    if os.path.isdir(real):
        return "E221", f"`{entry}` is a folder; `uses` names files"
    return None


def _cycles(parts: Mapping[str, Part]) -> None:
    """Report each `uses` entry that closes a cycle (at the entry), and drop it so the rest can compose.

    Depth-first with an explicit stack: a chain of thousands of files must not exhaust Python's.
    """
    state: dict[str, int] = {}   # 1 on the path, 2 done
    for start in parts:
        if start in state:
            continue
        path = [start]
        state[start] = 1
        todo = [iter(list(parts[start].uses))]
        while todo:
            step = next(todo[-1], None)
            if step is None:
                state[path.pop()] = 2
                todo.pop()
                continue
            index, used = step
            part = parts[path[-1]]
            if state.get(used) == 1:
                shown = " -> ".join(parts[k].name for k in path[path.index(used):] + [used])
                at = ("uses", index)
                span = part.document.source.locate(at) if part.document is not None else Span.point(1, 1)
                part.errors.append(_error(part.name, "E222", f"`uses` makes a cycle: {shown}; a file cannot "
                                          "build on itself", span, at))
                part.uses.remove((index, used))
            elif used not in state:
                state[used] = 1
                path.append(used)
                todo.append(iter(list(parts[used].uses)))


def groups(names: Sequence[str], load) -> list[list[Part]]:
    """The files to check, in groups checked together: files joined by `uses`, either way.

    A group's parts come in the order they were reached (the files given
    first, each followed by what it uses), so output does not depend on
    hashing or the file system.
    """
    loader = Loader(load)
    for name in names:
        loader.part(name)
    loader.load_all()
    parts = loader.parts
    _cycles(parts)
    leader = {key: key for key in parts}

    def find(key: str) -> str:
        while leader[key] != key:
            leader[key] = leader[leader[key]]
            key = leader[key]
        return key

    order = {key: index for index, key in enumerate(parts)}   # the earlier file leads, so groups keep file order
    for key, part in parts.items():
        for _, used in part.uses:
            a, b = sorted((find(key), find(used)), key=order.__getitem__)
            if a != b:
                leader[b] = a
    grouped: dict[str, list[Part]] = {}
    for key, part in parts.items():
        grouped.setdefault(find(key), []).append(part)
    return list(grouped.values())


def is_composed(group: Sequence[Part]) -> bool:
    return len(group) > 1 or any(p.uses or (p.errors and p.document is not None) for p in group)


# -- the composed model -------------------------------------------------------------------------------------

class Composition:
    """The parts of one group as one architecture's data, remembering where each piece was written."""

    def __init__(self, parts: Sequence[Part]) -> None:
        self.parts = [Member(p.name, p.key, p.document, p.uses) for p in parts if p.document is not None]
        self.by_key = {p.key: p for p in self.parts}
        self.owner: dict[str, Document] = {}          # resource name -> the document that defines it
        self.items: dict[str, list] = {top: [] for top in _TOP_LISTS}   # composed index -> (document, own index)
        self._kinds: Optional[dict[str, dict[str, str]]] = None            # each part's own name -> type

    def visible(self, part: Member) -> list[Member]:
        """The parts `part` uses, directly or through others (not itself)."""
        seen: dict[str, Member] = {}
        todo = deque(used for _, used in part.uses)
        while todo:
            key = todo.popleft()
            if key in seen or key == part.key or key not in self.by_key:
                continue
            seen[key] = self.by_key[key]
            todo.extend(used for _, used in self.by_key[key].uses)
        return list(seen.values())

    def external(self, part: Member) -> dict[str, str]:
        """Name -> type of what the files `part` uses define (the first definition wins)."""
        if self._kinds is None:
            self._kinds = {p.key: kinds_of([p.document]) for p in self.parts}
        out: dict[str, str] = {}
        for used in reversed(self.visible(part)):
            out.update(self._kinds[used.key])
        return out

    def clashes(self) -> list[Finding]:
        """A name defined in two files: an error at both places, each pointing at the other."""
        first: dict[str, Member] = {}
        out: list[Finding] = []
        for part in self.parts:
            for name in _resources(part.document):
                other = first.setdefault(name, part)
                if other is part:
                    continue
                here, there = part.document.source, other.document.source
                at = ("resources", name)
                for mine, theirs, source, far in ((part, other, here, there), (other, part, there, here)):
                    span = far.locate(at, on_key=True)
                    out.append(_error(mine.name, "E213", f"resource `{name}` is also defined in {theirs.name}:"
                                      f"{span.line}:{span.col}; names must be unique across the files that "
                                      "are checked together", source.locate(at, on_key=True), at))
        return out

    def data(self, requirements: Mapping[str, Any], organization: Mapping[str, Any]) -> dict:
        """The composed document: every part's resources, flows and assertions; shared blocks merged.

        A file's resources are judged against its own `requirements`, over
        those of the files that use it: a shared network must meet the
        highest availability target of the workloads on it.
        """
        from .results import merge_organization
        effective = self._requirements(requirements)
        used = {key for p in self.parts for _, key in p.uses}
        roots = [p for p in self.parts if p.key not in used]
        top = effective[roots[0].key] if roots else dict(requirements)
        composed: dict[str, Any] = {"version": 1, "requirements": top, "resources": {}, "flows": [],
                                    "assertions": []}
        merged_org: dict = dict(organization)
        for part in self.parts:
            data = part.document.data
            own = effective[part.key]
            for name, body in (data.get("resources") or {}).items():
                self.owner.setdefault(name, part.document)
                if name in composed["resources"]:
                    continue
                if own != top and isinstance(body, dict):
                    body = {**body, "requirements": {**own, **(body.get("requirements") or {})}}
                composed["resources"][name] = body
            for listed in _TOP_LISTS:
                for index, item in enumerate(data.get(listed) or ()):
                    self.items[listed].append((part.document, index))
                    composed[listed].append(item)
            for shared in ("name", "description", "dr"):
                if shared in data and shared not in composed:
                    composed[shared] = data[shared]
            if data.get("regions"):
                composed["regions"] = {**(composed.get("regions") or {}), **data["regions"]}
            if data.get("organization"):
                merged_org = merge_organization(merged_org, data["organization"])
        if merged_org:
            composed["organization"] = merged_org
        return composed

    def _requirements(self, base: Mapping[str, Any]) -> dict[str, dict]:
        """Each part's requirements: its own over the strictest of its users' (over `base`).

        Users come before the parts they use (the `uses` graph has no cycle
        left), so one pass in that order sees every user done.
        """
        users: dict[str, list[Member]] = {p.key: [] for p in self.parts}
        for part in self.parts:
            for _, used in part.uses:
                if used in users:
                    users[used].append(part)
        waiting = {key: len(found) for key, found in users.items()}
        ready = [p for p in self.parts if not waiting[p.key]]
        done: dict[str, dict] = {}
        while ready:
            part = ready.pop(0)
            inherited: dict = dict(base)
            for user in users[part.key]:
                for key, value in done[user.key].items():
                    if key == "availability" and isinstance(inherited.get(key), (int, float)):
                        inherited[key] = max(inherited[key], value)
                    elif key == "critical":
                        inherited[key] = bool(inherited.get(key)) or bool(value)
                    else:
                        inherited.setdefault(key, value)
            own = part.document.data.get("requirements") or {}
            merged = {**inherited, **own}
            if isinstance(inherited.get("availability"), (int, float)) and isinstance(own.get("availability"),
                                                                                       (int, float)):
                merged["availability"] = max(inherited["availability"], own["availability"])
            if inherited.get("critical") or own.get("critical"):
                merged["critical"] = True
            done[part.key] = merged
            for _, used in part.uses:
                if used in waiting:
                    waiting[used] -= 1
                    if not waiting[used]:
                        ready.append(self.by_key[used])
        return done

    def where(self, path: Path) -> tuple[Document, Path]:
        """The document a path of the composed model was written in, and the path there."""
        path = tuple(path)
        if len(path) > 1 and path[0] == "resources" and path[1] in self.owner:
            return self.owner[path[1]], path
        if len(path) > 1 and path[0] in self.items and isinstance(path[1], int) \
                and 0 <= path[1] < len(self.items[path[0]]):
            document, index = self.items[path[0]][path[1]]
            return document, (path[0], index) + path[2:]
        for part in self.parts:
            if path and isinstance(part.document.data, dict) and path[0] in part.document.data:
                return part.document, path
        return self.parts[0].document, path


def _resources(document: Document) -> Iterable[str]:
    data = document.data
    resources = data.get("resources") if isinstance(data, dict) else None
    return list(resources) if isinstance(resources, dict) else []


def kinds_of(documents: Iterable[Document]) -> dict[str, str]:
    """Name -> type of the resources the documents define (the first definition wins)."""
    out: dict[str, str] = {}
    for document in documents:
        for name, body in (document.data.get("resources") or {}).items():
            if isinstance(body, dict) and isinstance(body.get("type"), str):
                out.setdefault(name, body["type"])
    return out


def limits_loader(limits: Limits, readers: Mapping[str, Callable[[], str]] = {}):
    """Loads a file (its text from `readers[path]()` when there is one: a version from git); one found
    through `uses` (not named) must stay inside the repository root (files.py)."""
    from .inputs import parse_document
    from .loader import read_text

    def load(path: str, named: bool) -> Document:
        read = readers.get(path)
        return parse_document(path, read() if read is not None else read_text(path, limits, named), limits)
    return load
