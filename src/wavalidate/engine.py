"""Runs the checks: load, validate, then every rule, each isolated from the others."""
from __future__ import annotations

from datetime import date
from dataclasses import dataclass, field
from typing import Optional, Sequence

from .api import Rule
from .findings import ERROR, INPUT_NAMES, Finding, Report
from .inputs import load_document, parse_document
from .isolation import run_rules
from .loader import DEFAULT_LIMITS, Document, Limits, LoadError
from .locations import Span
from .model import UNKNOWN_READS, Architecture
from .schema import validate


@dataclass(frozen=True)
class Options:
    limits: Limits = DEFAULT_LIMITS
    rule_timeout: float = 10.0    # seconds per rule per file
    severity_overrides: dict = field(default_factory=dict)
    requirements: dict = field(default_factory=dict)   # defaults from the config, under the file's own
    waivers: tuple = ()           # suppress.Entry from waiver files, already checked
    today: Optional[date] = None  # expiry of suppressions is judged on this day (None: the clock)
    known_rules: tuple = ()       # every rule loaded, to tell a misspelt suppression from an unselected rule


def check_files(paths: Sequence[str], rules: Sequence[Rule], options: Options = Options()) -> Report:
    findings: list[Finding] = []
    for path in paths:
        findings.extend(check_file(path, rules, options))
    if options.waivers:
        from .suppress import unused_waivers
        findings.extend(unused_waivers(options.waivers, findings, paths, rules, options.known_rules))
    return Report(findings, list(paths), list(rules))


def check_file(path: str, rules: Sequence[Rule], options: Options = Options()) -> list[Finding]:
    try:
        document = load_document(path, options.limits)
    except LoadError as error:
        return [input_error(path, error.code, error.message, error.span)]
    return check_document(document, rules, options)


def check_text(text: str, rules: Sequence[Rule], name: str = "<text>", options: Options = Options()) -> list[Finding]:
    """Check YAML given as a string; used by tests and editors."""
    try:
        document = parse_document(name, text, options.limits)
    except LoadError as error:
        return [input_error(name, error.code, error.message, error.span)]
    return check_document(document, rules, options)


def check_document(document: Document, rules: Sequence[Rule], options: Options = Options()) -> list[Finding]:
    resources = document.data.get("resources") if isinstance(document.data, dict) else None
    if isinstance(resources, dict) and len(resources) > options.limits.max_resources:
        return [input_error(document.name, "E104", f"{len(resources):,} resources is over the limit of "
                            f"{options.limits.max_resources:,} (raise it with --max-resources)",
                            document.source.locate(("resources",), on_key=True), ("resources",))]
    # A required value known only at deploy time is not missing.
    problems = [p for p in validate(document.data, document.unknown) if p.path[:3] not in document.unknown]
    if problems:  # rules trust the shape, so they only run on valid documents
        return [input_error(document.name, p.code, p.message, document.source.locate(p.path, p.on_key), p.path)
                for p in problems]
    data = document.data
    if options.requirements:
        data = {**data, "requirements": {**options.requirements, **(data.get("requirements") or {})}}
    arch = Architecture(data, document.name, document.unknown)
    findings: list[Finding] = []
    findings.extend(run_rules(rules, arch, document, options))  # in one child process (isolation.py)
    from . import suppress  # after the rules: accepted findings stay in the report, marked
    return suppress.apply(findings, suppress.from_document(document), rules, options.known_rules,
                          options.today, options.waivers)


def input_error(file: str, code: str, message: str, span: Span, path=()) -> Finding:
    return Finding(file, span, code, ERROR, message, INPUT_NAMES.get(code, ""), path=tuple(path))


def run_rule(rule: Rule, arch: Architecture, document: Document, options: Options) -> list[Finding]:
    """One rule's findings; a crash, an exit, a hang, stray output or garbage becomes a finding (isolation.py)."""
    return run_rules([rule], arch, document, options)


def _known_violations(rule: Rule, arch: Architecture) -> list:
    """The rule's violations, less those that rest on a value known only at deploy time.

    Reads of unknown values between two yields are charged to the violation
    the second yield produces, when they are about its resource or one close
    to it in the reference graph (a rule loops over resources, so a read about
    an unrelated one belongs to an earlier, silent iteration). A violation
    that names no resource is dropped on any unknown read.
    """
    reads: list = []
    token = UNKNOWN_READS.set(reads)
    try:
        kept = []
        for violation in rule.check(arch) or ():
            if not reads or not _rests_on(violation, {name for name, _ in reads}, arch):
                kept.append(violation)
            reads.clear()
        return kept
    finally:
        UNKNOWN_READS.reset(token)


def _rests_on(violation, unknown: set, arch: Architecture) -> bool:
    path = getattr(violation, "path", ())
    if not (isinstance(path, (tuple, list)) and len(path) > 1 and path[0] == "resources"):
        return True
    return not unknown.isdisjoint(arch.neighbourhood(path[1]))
