"""What checking one file produced: its findings and the checked document, for `render` and `diff` to reuse.

A `FileResult` is a plain value: it pickles (to cache it, or to send it from
a worker process) without its `Architecture`, which is rebuilt from the
document on first use.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Optional

from .findings import Finding

if TYPE_CHECKING:
    from .loader import Document
    from .model import Architecture


@dataclass(frozen=True)
class FileResult:
    file: str
    findings: tuple[Finding, ...] = ()
    document: Optional[Document] = None    # None: the file did not load
    valid: bool = False                     # the document validated, so the rules ran on it
    # defaults for `requirements:` from the config and --requirements, under the file's own
    requirements: Mapping[str, Any] = field(default_factory=dict)
    _architecture: Any = field(default=None, compare=False, repr=False)
    # the organisation context from the config, under the file's own `organization`
    organization: Mapping[str, Any] = field(default_factory=dict)

    @property
    def architecture(self) -> Optional[Architecture]:
        """The model the rules saw; None when the file did not load or validate."""
        if not self.valid or self.document is None:
            return None
        if self._architecture is None:
            object.__setattr__(self, "_architecture", architecture_of(self.document, self.requirements,
                                                                             self.organization))
        return self._architecture

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_architecture": None}   # indexes and caches are rebuilt, not shipped

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


def architecture_of(document: Document, requirements: Mapping[str, Any] = {},
                    organization: Mapping[str, Any] = {}) -> Architecture:
    """The model of a valid document, the requirements and organisation context given outside the file under its own."""
    from .model import Architecture
    data = document.data
    if requirements:
        data = {**data, "requirements": {**requirements, **(data.get("requirements") or {})}}
    if organization:
        data = {**data, "organization": merge_organization(organization, data.get("organization") or {})}
    return Architecture(data, document.name, document.unknown)


def merge_organization(inherited: Mapping[str, Any], own: Mapping[str, Any]) -> dict:
    """The repository's organisation context with the file's on top, capability by capability."""
    provides = {**(inherited.get("provides") or {}), **(own.get("provides") or {})}
    return {**inherited, **own, "provides": provides}
