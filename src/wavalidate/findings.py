"""Findings and the report that gathers them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from .locations import Path, Span
from .vocabulary import PILLARS, SEVERITIES

if TYPE_CHECKING:
    from .api import Rule
    from .results import FileResult

# Input problems and internal errors are not judged by --fail-on.
ERROR = "error"
RANK = {name: index for index, name in enumerate(SEVERITIES)}  # critical = 0

INPUT_NAMES = {
    "E100": "yaml-syntax", "E101": "duplicate-key", "E102": "forbidden-tag", "E103": "encoding",
    "E104": "limit-exceeded", "E105": "not-an-architecture", "E106": "unreadable-file",
    "E200": "unknown-key", "E201": "wrong-type", "E202": "missing-key", "E203": "value-not-allowed",
    "E204": "bad-format", "E205": "out-of-range", "E210": "unknown-reference", "E211": "wrong-reference-type",
    "E212": "circular-reference",
    "E213": "name-defined-twice", "E220": "bad-uses-path", "E221": "used-file-missing", "E222": "uses-cycle",
    "E300": "suppression-without-reason", "E301": "bad-suppression",
    "W310": "suppression-expired", "W311": "unused-suppression", "W320": "untrusted-rule-pack",
    "W130": "template-tag-not-read", "W131": "template-duplicate-key",
    "E900": "rule-crashed", "E901": "rule-timeout", "E902": "rule-returned-garbage", "E903": "plugin-failed",
    "E904": "template-resource-failed", "W904": "rule-output",
}


@dataclass(frozen=True)
class Suppression:
    """Why a finding is accepted, and where that was said."""

    reason: str
    source: str            # inline, file, comment, waiver or baseline
    expires: Optional[str] = None
    owner: Optional[str] = None


@dataclass(frozen=True)
class Related:
    """Another place a finding involves (the far end of an overlap, the rule that hides another).

    `file` is empty when the place is in the finding's own file; a finding of
    a composed architecture may point into another file (see compose.py).
    """

    span: Span
    path: Path
    file: str = ""


@dataclass(frozen=True)
class Finding:
    file: str
    span: Span
    code: str
    severity: str
    message: str
    name: str = ""
    pillar: str = ""
    resource: str = ""
    path: Path = ()
    suppression: Optional[Suppression] = field(default=None, compare=False)
    related: tuple = ()    # Related locations, from the Violation's `related` paths

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def col(self) -> int:
        return self.span.col

    @property
    def is_input_error(self) -> bool:
        return self.code.startswith("E") and not self.is_internal_error

    @property
    def is_internal_error(self) -> bool:
        return self.code.startswith("E9")

    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.col, self.code, self.message)


@dataclass
class Report:
    findings: list[Finding]
    files: list[str]
    rules: list[Rule]
    diagram: Optional[str] = None
    # Baseline entries (dicts of file, code, resource, path, message) no longer found.
    fixed: list = field(default_factory=list)
    baseline: Optional[str] = None
    # What each file's check produced, by file name, for `render` and `diff`.
    results: dict[str, FileResult] = field(default_factory=dict)
    shard: Optional[tuple] = None   # (K, N) when only shard K of N of the files was checked

    def __post_init__(self) -> None:
        self.findings.sort(key=Finding.sort_key)

    def result(self, file: str) -> FileResult:
        """The checked file; KeyError when it was not checked in this report."""
        return self.results[file]

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is not None]

    def failing(self, fail_on: str) -> list[Finding]:
        """Active rule findings at or above `fail_on` (a severity, or 'never')."""
        if fail_on == "never":
            return []
        limit = RANK[fail_on]
        return [f for f in self.active if f.pillar and RANK.get(f.severity, 99) <= limit]

    def exit_code(self, fail_on: str) -> int:
        """0 clean, 1 findings at or above fail_on, 2 input errors, 3 internal errors."""
        if any(f.is_input_error for f in self.active):
            return 2
        if any(f.is_internal_error for f in self.active):
            return 3
        return 1 if self.failing(fail_on) else 0

    def pillar_counts(self) -> dict[str, dict[str, int]]:
        """For each pillar, the count of active findings per severity."""
        counts = {pillar: {severity: 0 for severity in SEVERITIES} for pillar in PILLARS}
        for finding in self.active:
            if finding.pillar in counts:
                counts[finding.pillar][finding.severity] += 1
        return counts
