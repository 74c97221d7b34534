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
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
