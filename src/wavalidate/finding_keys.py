"""Line-independent identities of findings: the baseline key and the SARIF fingerprint."""
from __future__ import annotations

import hashlib
import os
import re
from typing import Iterable, Iterator

from .findings import Finding
from .locations import Path

FINGERPRINT = "wavalidate/v1"
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def path_text(path: Path) -> str:
    """A document path as people write it: `resources.db.ingress[2].cidr`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def file_key(name: str) -> str:
    """A file name as a stable key: normalised, with forward slashes, and relative to the current
    directory when it lies under it (so `infra/a.yaml` and `$PWD/infra/a.yaml` are one file)."""
    if not name:
        return name
    if os.path.isabs(name):
        here = os.getcwd()
        try:
            inside = os.path.commonpath([here, os.path.normpath(name)]) == here
        except ValueError:  # another drive
            inside = False
        if inside:
            name = os.path.relpath(name, here)
    return os.path.normpath(name).replace(os.sep, "/")


def key(finding: Finding, with_file: bool = True) -> tuple:
    """What identifies a finding across edits: rule, resource and path, never the line.

    `diff` compares two versions of one file under different names, so it
    leaves the file out.
    """
    base = (finding.code, finding.resource, path_text(finding.path))
    return ((file_key(finding.file),) + base) if with_file else base


def fingerprint(finding: Finding) -> str:
    """A hash that survives moved lines and changed numbers in the message.

    It covers the rule code, the file, the resource, the document path and
    the message with every number replaced by `#` (so a changed bandwidth or
    count is the same alert), and never the line or column.
    """
    message = _NUMBER.sub("#", finding.message)
    text = "\x00".join((finding.code, file_key(finding.file), finding.resource, path_text(finding.path), message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def fingerprints(findings: Iterable[Finding]) -> Iterator[str]:
    """Fingerprints in order, with `:2`, `:3`... appended to repeats so each is unique."""
    seen: dict[str, int] = {}
    for finding in findings:
        value = fingerprint(finding)
        seen[value] = seen.get(value, 0) + 1
        yield value if seen[value] == 1 else f"{value}:{seen[value]}"
