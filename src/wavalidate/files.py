"""Opening files a pull request controls: regular files only, inside the repository root, size-bounded.

A checkout can hold symlinks to secrets (`infra/x.yaml -> ~/.git-credentials`),
FIFOs that block a reader forever and links to `/dev/zero`. Every file
wavalidate reads goes through `read_bytes`: the name must resolve, after
symlinks, inside the repository root (the nearest folder above the current
directory that holds a `.git` entry, else the current directory), unless it
was named on the command line with `--allow-outside-root`; the file is opened
without blocking and must be a regular file (checked on the open descriptor,
so it cannot be swapped after the check); and no more than the limit is read.

The command line sets the policy (`confine`); library callers that set none
get every check but the root.
"""
from __future__ import annotations

import contextvars
import os
import stat
from dataclasses import dataclass
from typing import Optional

# Names of the process's own standard input, accepted when named on the command line (never through a link).
STDIN_NAMES = ("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")


class Refused(Exception):
    """A file that must not be read; `code` is the finding code (E106 unreadable, E104 over a limit)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Policy:
    root: str                  # the repository root, resolved
    outside_ok: bool = False   # --allow-outside-root: names given on the command line may lead outside it


_POLICY: contextvars.ContextVar[Optional[Policy]] = contextvars.ContextVar("wavalidate_file_policy", default=None)


def repository_root(start: str = ".") -> str:
    """The nearest folder at or above `start` with a `.git` entry (folder or file), else `start`, resolved.

    Found by looking, never by running git: a checkout's git configuration can run programs."""
    here = os.path.realpath(start)
    folder = here
    while True:
        if os.path.lexists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return here
        folder = parent


def confine(outside_ok: bool = False, root: Optional[str] = None) -> contextvars.Token:
    """Confine reads to the repository root from now on (the command line calls this); returns a reset token."""
    return _POLICY.set(Policy(root or repository_root(), outside_ok))


def release(token: contextvars.Token) -> None:
    _POLICY.reset(token)


def policy() -> Optional[Policy]:
    return _POLICY.get()


def inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def read_bytes(path: str, max_bytes: int, named: bool = True) -> bytes:
    """The content of `path`, read safely; raises Refused. `named`: given on the command line (or in a
    configuration chosen with --config), rather than found in the checkout."""
    current = _POLICY.get()
    is_stdin = named and os.path.abspath(path) in STDIN_NAMES
    resolved = None
    if current is not None and not is_stdin:
        resolved = os.path.realpath(path)
        if not inside(resolved, current.root) and not (named and current.outside_ok):
            how = "name it with --allow-outside-root to read it" if named else \
                "only files inside it are read for a configuration that was found rather than chosen"
            link = " (through a symbolic link)" if resolved != os.path.abspath(path) else ""
            raise Refused("E106", f"'{path}' leads outside the repository root{link}; {how}")
    return read_regular(path, max_bytes, resolved, is_stdin)


def read_regular(path: str, max_bytes: int, resolved: Optional[str] = None, is_stdin: bool = False) -> bytes:
    """A regular file's content, at most `max_bytes` (Refused otherwise), wherever it is: for files in
    trusted places (installed packages' metadata); `read_bytes` adds the repository root."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        raise Refused("E106", f"cannot read '{path}': {error.strerror or error}") from None
    try:
        info = os.fstat(handle)
        if resolved is not None and not _same(info, resolved):  # the name changed between check and open
            raise Refused("E106", f"'{path}' changed while it was opened; it is not read")
        if stat.S_ISDIR(info.st_mode):
            raise Refused("E106", f"'{path}' is a directory, not a file")
        if not stat.S_ISREG(info.st_mode) and not is_stdin:
            raise Refused("E106", f"'{path}' is {_kind(info.st_mode)}, not a regular file; it is not read")
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise Refused("E104", f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,}")
        if is_stdin:
            os.set_blocking(handle, True)  # the user's own pipe: wait for it
        data = _read_at_most(handle, max_bytes + 1)
    except OSError as error:
        raise Refused("E106", f"cannot read '{path}': {error.strerror or error}") from None
    finally:
        os.close(handle)
    if len(data) > max_bytes:  # it grew after the check, or a pipe
        raise Refused("E104", f"file is over the limit of {max_bytes:,} bytes")
    return data


def _same(info: os.stat_result, path: str) -> bool:
    try:
        other = os.stat(path)
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino)


def _read_at_most(handle: int, limit: int) -> bytes:
    parts, left = [], limit
    while left > 0:
        chunk = os.read(handle, min(left, 1 << 20))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"
