"""Writing files safely: atomically, never over an input, never into a missing folder, never through a
symbolic link and never over anything but a regular file."""
from __future__ import annotations

import os
import re
import stat
import tempfile
from typing import Iterable, Optional, Union


class OutputError(Exception):
    """An output cannot be written; the message names it and why (the CLI exits 2)."""


# The process's own streams, written straight to whatever they are (a terminal, a pipe, a redirect).
_STREAMS = re.compile(r"/dev/(stdout|stderr|fd/[0-9]+)|/proc/self/fd/[0-9]+")

NAME_MAX = 255   # bytes in one file name on Linux, macOS and Windows file systems


def is_stream(path: str) -> bool:
    """A character device named as the output (`/dev/null`, a terminal), or the process's own stream:
    written straight to, never replaced by a file."""
    if _STREAMS.fullmatch(os.path.abspath(path)):
        return True
    try:
        return stat.S_ISCHR(os.lstat(path).st_mode)
    except OSError:
        return False


def check_target(path: str, protect: Iterable[str] = ()) -> str:
    """Fail with one clear line unless `path` can be written: not an input, not a folder, not a symbolic link
    or other non-regular file, in an existing folder reached through no symbolic link inside the repository.

    Called for every output before any is written, so a bad one leaves no other half-done. A checkout
    can plant `wavalidate.sarif -> ~/.bashrc`; writing through it would replace the file it names."""
    if is_stream(path):
        return path
    target = os.path.abspath(path)
    if len(os.fsencode(os.path.basename(target))) > NAME_MAX:
        raise OutputError(f"cannot write '{path}': the file name is over {NAME_MAX} bytes")
    try:
        mode: Optional[int] = os.lstat(target).st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISLNK(mode):
        raise OutputError(f"cannot write '{path}': it is a symbolic link, and outputs are never written "
                               "through one; remove it or name the file itself")
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"cannot write '{path}': it is a folder")
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(f"cannot write '{path}': it is not a regular file")
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write '{path}': the folder '{os.path.dirname(path) or '.'}' does not exist")
    linked = _linked_folder(folder)
    if linked:
        raise OutputError(f"cannot write '{path}': the folder '{linked}' is a symbolic link inside the "
                               "repository; outputs are never written through one")
    for source in protect:
        if mode is not None and os.path.exists(source) and os.path.samefile(source, target):
            raise OutputError(f"refusing to overwrite the input file '{path}'")
    return target


def _linked_folder(folder: str) -> Optional[str]:
    """The first folder on the way to `folder` that is a symbolic link inside the repository root, if any
    (links above the root, such as macOS's /tmp, are the machine's, not the checkout's)."""
    from .files import inside, policy, repository_root
    current = policy()
    root = current.root if current is not None else repository_root()
    while inside(folder, root) and folder != root:
        if os.path.islink(folder):
            return folder
        folder = os.path.dirname(folder)
    return None


def probe_target(path: str, protect: Iterable[str] = ()) -> None:
    """`check_target`, then create and remove a scratch file next to `path` (permissions, read-only mounts)."""
    target = check_target(path, protect)
    if is_stream(path):
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".wavalidate-", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"cannot write '{path}': {error.strerror or error}") from None
    os.close(handle)
    os.unlink(temporary)


def probe_all(paths: Iterable[Optional[str]], protect: Iterable[str] = ()) -> None:
    """Before anything is written: every output can be written and no two share a file, or none is written."""
    protect = list(protect)
    seen: dict[str, str] = {}
    for path in paths:
        if not path:
            continue
        key = os.path.normcase(os.path.realpath(path))
        if key in seen and not is_stream(path):  # /dev/null can take every output
            raise OutputError(f"'{seen[key]}' and '{path}' are the same file; give each output its own")
        seen[key] = path
        probe_target(path, protect=protect)


def write_atomic(path: str, content: Union[str, bytes], protect: Iterable[str] = ()) -> None:
    """Write via a temporary file and a rename, so an interrupted run leaves no half file; a device or
    stream named as the output is written straight to (renaming over `/dev/null` would replace it)."""
    target = check_target(path, protect)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if is_stream(path):
        _write_straight(path, data)
        return
    folder = os.path.dirname(target)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".wavalidate-", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"cannot write '{path}': {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private; give it the mode a plain open() would.
        os.chmod(temporary, _existing_mode(target) or (0o666 & ~_umask()))
        if not _regular_or_missing(target):  # something was put there since the check
            raise OutputError(f"cannot write '{path}': it is no longer a regular file")
        os.replace(temporary, target)
    except BaseException as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write '{path}': {error.strerror or error}") from None
        raise


def _write_straight(path: str, data: bytes) -> None:
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if _STREAMS.fullmatch(os.path.abspath(path)):
        flags |= os.O_APPEND  # a shell redirect of our own output: after what is already there
    try:
        handle = os.open(path, flags)  # never O_CREAT: the device or stream exists
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)
    except OSError as error:
        raise OutputError(f"cannot write '{path}': {error.strerror or error}") from None


def _regular_or_missing(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _existing_mode(path: str) -> int:
    try:
        return os.lstat(path).st_mode & 0o777
    except OSError:
        return 0
