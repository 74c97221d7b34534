"""Writing files safely: atomically, never over an input, never into a missing folder."""
from __future__ import annotations

import os
import tempfile
from typing import Iterable, Optional, Union



class OutputError(Exception):
    """An output cannot be written; the message names it and why (the CLI exits 2)."""


def check_target(path: str, protect: Iterable[str] = ()) -> str:
    """Fail with one clear line unless `path` can be written: not an input, not a folder, in a writable folder.

    Called for every output before any is written, so a bad one leaves no other half-done."""
    # through a symlink to the file it names, as a shell redirect would (replacing the link would break it)
    target = os.path.realpath(path)
    for source in protect:
        if os.path.exists(source) and os.path.exists(target) and os.path.samefile(source, target):
            raise OutputError(f"refusing to overwrite the input file '{path}'")
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        shown = (os.path.dirname(path) or ".") if not os.path.islink(path) else folder  # a dangling link's
        raise OutputError(f"cannot write '{path}': the folder '{shown}' does not exist")
    if os.path.isdir(target):
        raise OutputError(f"cannot write '{path}': it is a folder")
    return target


def probe_target(path: str, protect: Iterable[str] = ()) -> None:
    """`check_target`, then create and remove a scratch file next to `path` (permissions, read-only mounts)."""
    folder = os.path.dirname(check_target(path, protect))
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".wavalidate-", suffix=".tmp")
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
        if key in seen:
            raise OutputError(f"'{seen[key]}' and '{path}' are the same file; give each output its own")
        seen[key] = path
        probe_target(path, protect=protect)


def write_atomic(path: str, content: Union[str, bytes], protect: Iterable[str] = ()) -> None:
    """Write via a temporary file and a rename, so an interrupted run leaves no half file."""
    target = check_target(path, protect)
    folder = os.path.dirname(target)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".wavalidate-", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"cannot write '{path}': {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private; give it the mode a plain open() would.
        os.chmod(temporary, _existing_mode(target) or (0o666 & ~_umask()))
        os.replace(temporary, target)
    except BaseException as error:
        if os.path.exists(temporary):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write '{path}': {error.strerror or error}") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _existing_mode(path: str) -> int:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return 0
