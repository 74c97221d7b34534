"""`wavalidate diff --base REF [PATH...]`: the working tree against a git ref, every changed file at once.

The files compared are the architecture files and templates the working tree
added, deleted, renamed or modified since REF under the PATHs (folders,
globs, files; default: the whole repository). Both versions are checked as
the project configures it; the old one is read from git into memory (see
`wavalidate.git`). Paths are shown as the repository shows them: relative to
its top, with forward slashes.
"""
from __future__ import annotations

import fnmatch
import os
import re
from typing import Callable, Sequence

from . import git
from .diff import WORKTREE, Review, compare
from .inputs import _TEMPLATE_HINT
from .loader import LoadError, decode, read_text
from .locations import Span

SUFFIXES = (".yaml", ".yml", ".json", ".template")
_ARCHITECTURE = re.compile(r"^resources\s*:", re.MULTILINE)


def review(ref: str, paths: Sequence[str], settings, cwd: str = ".") -> tuple[Review, str]:
    """The Review of the working tree against `ref`, and the effective --fail-on.
    Raises git.GitError when git cannot answer."""
    from . import configured
    top = git.root(cwd)
    commit = git.resolve(ref, cwd)
    limit = settings.options.limits.max_bytes
    from .config import load as load_config
    config = load_config(settings.config, cwd)   # its problems are reported by the check below
    chosen = [c for c in git.changes(commit, cwd) if _under(c, paths, top, cwd)
              and _configured(c, config.include, config.exclude)]
    old_reader = {c.old_path: _old(commit, c.old_path, limit, top) for c in chosen if c.old_path}
    new_reader = {c.path: _new(os.path.join(top, c.path), settings.options.limits)
                  for c in chosen if c.status != "deleted"}
    chosen = [c for c in chosen if _named(c, paths, top, cwd) or _checkable(c, old_reader, new_reader)]
    old_files = [c.old_path for c in chosen if c.old_path]
    new_files = [c.path for c in chosen if c.status != "deleted"]
    base, fail_on, _ = configured.check(old_files, settings, readers={p: old_reader[p] for p in old_files})
    head, _, _ = configured.check(new_files, settings, readers={p: new_reader[p] for p in new_files})
    diffs = [compare(base if c.old_path else None, head if c.status != "deleted" else None,
                     c.old_path, c.path if c.status != "deleted" else None) for c in chosen]
    # a run-wide finding (a configuration problem, an unused waiver) belongs to no compared file
    extra = [f for f in head.findings if f.file not in new_files and not f.pillar and f.code.startswith("E")]
    if extra and diffs:
        diffs[0].errors += extra
        diffs[0].head_errors += extra
    rules = {r.code: r for r in head.rules or base.rules}
    return Review(diffs, ref, WORKTREE, rules), fail_on


def _old(commit: str, path: str, limit: int, top: str) -> Callable[[], str]:
    cache: dict = {}

    def read() -> str:
        if "text" not in cache:
            try:
                cache["text"] = decode(git.show(commit, path, limit, top))
            except git.TooLarge as big:
                raise LoadError("E104", f"file is {big.args[0]:,} bytes in the base, over the limit of "
                                f"{limit:,} (raise it with --max-file-size)", Span.point(1, 1)) from None
        return cache["text"]
    return read


def _new(path: str, limits) -> Callable[[], str]:
    cache: dict = {}

    def read() -> str:
        if "text" not in cache:
            cache["text"] = read_text(path, limits)
        return cache["text"]
    return read


def _relative(path: str, top: str, cwd: str) -> str:
    return os.path.relpath(os.path.join(top, path), os.path.abspath(cwd)).replace(os.sep, "/")


def _matches(path: str, spec: str) -> bool:
    spec = os.path.normpath(spec).replace(os.sep, "/")
    if spec == ".":
        return not path.startswith("../")
    if any(ch in spec for ch in "*?["):
        return fnmatch.fnmatchcase(path, spec) or fnmatch.fnmatchcase(path, spec.replace("**/", ""))
    return path == spec or path.startswith(spec + "/")


def _under(change: git.Change, paths: Sequence[str], top: str, cwd: str) -> bool:
    if not paths:
        return True   # the whole repository, wherever in it the command runs
    names = [_relative(p, top, cwd) for p in (change.path, change.old_path) if p]
    return any(_matches(name, spec) for name in names for spec in paths)


def _configured(change: git.Change, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """The config's `include` and `exclude` globs, matched against the paths in the repository."""
    names = [p for p in (change.path, change.old_path) if p]
    if include and not any(_matches(name, spec) for name in names for spec in include):
        return False
    return not any(_matches(name, spec) for name in names for spec in exclude)


def _named(change: git.Change, paths: Sequence[str], top: str, cwd: str) -> bool:
    """Named as a file on the command line: compared whatever it holds."""
    names = {_relative(p, top, cwd) for p in (change.path, change.old_path) if p}
    return any(os.path.normpath(spec).replace(os.sep, "/") in names for spec in paths)


def _checkable(change: git.Change, old: dict, new: dict) -> bool:
    """An architecture file or a template in either version (other YAML and JSON in the folders is left out)."""
    if not change.path.lower().endswith(SUFFIXES) and not (change.old_path or "").lower().endswith(SUFFIXES):
        return False
    for read in (new.get(change.path) if change.status != "deleted" else None,
                 old.get(change.old_path) if change.old_path else None):
        if read is None:
            continue
        try:
            text = read()
        except LoadError:
            return True   # too large or not UTF-8: compared, so the error is reported
        if _TEMPLATE_HINT.search(text, 0, 1 << 16) or _ARCHITECTURE.search(text):
            return True
    return False

