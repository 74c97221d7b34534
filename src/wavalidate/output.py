"""Writing files safely: atomically, never over an input, never into a missing folder."""
from __future__ import annotations

import os
import tempfile
from typing import Iterable, Union

import click


def write_atomic(path: str, content: Union[str, bytes], protect: Iterable[str] = ()) -> None:
    """Write via a temporary file and a rename, so an interrupted run leaves no half file."""
    target = os.path.abspath(path)
    for source in protect:
        if os.path.exists(source) and os.path.exists(target) and os.path.samefile(source, target):
            raise click.UsageError(f"refusing to overwrite the input file '{path}'")
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise click.UsageError(f"cannot write '{path}': the folder '{os.path.dirname(path) or '.'}' does not exist")
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".wavalidate-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private; give it the mode a plain open() would.
        os.chmod(temporary, _existing_mode(target) or (0o666 & ~_umask()))
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
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
