"""Reading a git ref for `wavalidate diff --base REF`: which files changed, and their old text.

git runs as a subprocess with its repository's hooks, pagers, fsmonitor and
system configuration turned off, and user data only ever after `--`. Files of
the ref are read with `git show REF:path` into memory, up to a size bound;
nothing is checked out and nothing from the repository is executed.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import Optional, Sequence

TIMEOUT = 60.0
# Settings that could run a program from the repository or the user's environment, turned off.
SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "core.pager=cat",
        "-c", "diff.external=", "-c", "core.quotePath=false", "-c", "diff.renames=true",
        "-c", "protocol.allow=never", "--no-pager")


class GitError(Exception):
    """git failed or is missing; the message says what to do (exit 2)."""


@dataclass(frozen=True)
class Change:
    """A file the working tree changed since the ref: `status` is added, deleted, renamed or modified."""

    status: str
    path: str                  # in the working tree (for deleted: the old path)
    old_path: Optional[str]    # in the ref (None when added)


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    return env


def run(args: Sequence[str], cwd: str = ".", limit: Optional[int] = None) -> bytes:
    """git's standard output; GitError with its message when it fails."""
    try:
        done = subprocess.run(["git", *SAFE, *args], cwd=cwd, env=_env(), capture_output=True,
                              timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("git is not installed; `diff --base` needs it (or compare two files: `diff BASE HEAD`)") \
            from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took over {TIMEOUT:g} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[0] if message else f'exit {done.returncode}'}")
    return done.stdout


def root(cwd: str = ".") -> str:
    """The top folder of the working tree that holds `cwd`."""
    return os.fsdecode(run(["rev-parse", "--show-toplevel"], cwd).strip())


def resolve(ref: str, cwd: str = ".") -> str:
    """The commit a ref names; GitError for a ref that names none (or looks like an option)."""
    if not ref or ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git ref")
    try:
        return run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd) \
            .decode().strip()
    except GitError:
        raise GitError(f"{ref!r} names no commit in this repository (in CI, fetch it: "
                       "`git fetch origin main` or checkout with fetch-depth: 0)") from None


def changes(commit: str, cwd: str = ".") -> list[Change]:
    """Every file the working tree (tracked changes and untracked, not ignored, files) changed since `commit`,
    with paths relative to the repository's top, sorted."""
    out = run(["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv", commit, "--"], cwd)
    fields = [os.fsdecode(part) for part in out.split(b"\0") if part]
    found: dict[str, Change] = {}
    index = 0
    while index < len(fields):
        status = fields[index]
        if status.startswith(("R", "C")):
            old, new = fields[index + 1], fields[index + 2]
            index += 3
            found[new] = Change("renamed" if status[0] == "R" else "added", new, old if status[0] == "R" else None)
            continue
        path = fields[index + 1]
        index += 2
        kind = {"A": "added", "D": "deleted"}.get(status[0], "modified")
        found[path] = Change(kind, path, None if kind == "added" else path)
    untracked = run(["ls-files", "--others", "--exclude-standard", "-z", "--full-name", "--", ":/"], cwd)
    for part in untracked.split(b"\0"):
        if part:
            path = os.fsdecode(part)
            found.setdefault(path, Change("added", path, None))
    return [found[path] for path in sorted(found)]


class TooLarge(Exception):
    """A file of the ref is over the size bound; its size in bytes is the argument."""


def show(commit: str, path: str, max_bytes: int, cwd: str = ".") -> bytes:
    """The bytes of `path` (relative to the repository's top) in `commit`; TooLarge over `max_bytes`,
    judged before the content is read."""
    size = int(run(["cat-file", "-s", f"{commit}:{path}"], cwd).strip() or 0)
    if size > max_bytes:
        raise TooLarge(size)
    return run(["cat-file", "blob", f"{commit}:{path}"], cwd)
