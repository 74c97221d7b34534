"""Runs the checks: load, validate, then every rule, each isolated from the others."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Mapping, Optional, Sequence

from .api import Rule, Violation
from .findings import ERROR, INPUT_NAMES, Finding, Report
from .inputs import load_document, parse_document
from .isolation import run_rules
from .loader import DEFAULT_LIMITS, Document, Limits, LoadError
from .locations import Path, Span
from .model import Architecture
from .results import FileResult, architecture_of
from .schema import validate


@dataclass(frozen=True)
class Options:
    limits: Limits = DEFAULT_LIMITS
    rule_timeout: float = 10.0    # seconds per rule per file
    severity_overrides: dict = field(default_factory=dict)
    requirements: dict = field(default_factory=dict)   # defaults from the config, under the file's own
    organization: dict = field(default_factory=dict)   # the config's organisation context, under the file's own
    waivers: tuple = ()           # suppress.Entry from waiver files, already checked
    today: Optional[date] = None  # expiry of suppressions is judged on this day (None: the clock)
    known_rules: tuple = ()       # every rule loaded, to tell a misspelt suppression from an unselected rule


def check_files(paths: Sequence[str], rules: Sequence[Rule], options: Options = Options(),
                readers: Mapping[str, Callable[[], str]] = {}, jobs: int = 1, cache: Optional[str] = None) -> Report:
    """Check files; `readers` reads some by name (a version from git) instead of from the disk.
    `jobs` workers and a `cache` folder change nothing in the report but its speed (parallel.py), except that
    files checked in a worker or found in the cache carry no document for `render` or `diff`. Files joined by
    `uses` are checked together as one architecture, in this process (compose.py)."""
    from .compose import any_uses, groups, is_composed, limits_loader
    results: dict[str, FileResult] = {}
    if not any_uses(paths, options.limits, readers):
        from .parallel import check_all
        results = dict(zip(paths, check_all(paths, rules, options, jobs, cache, readers)))
    for group in groups(paths, limits_loader(options.limits, readers)) if not results else ():
        if is_composed(group):
            results.update(composed_results(group, rules, options))
        elif group[0].document is None:
            results[group[0].name] = FileResult(group[0].name, tuple(group[0].errors))
        else:
            results[group[0].name] = document_result(group[0].document, rules, options)
    for path in paths:   # a file given as `./a.yaml` and reached as `a.yaml` answers to both names
        real = os.path.normcase(os.path.realpath(path))
        if path not in results:
            results[path] = next(r for name, r in results.items() if os.path.normcase(os.path.realpath(name)) == real)
    files = list(dict.fromkeys(result.file for result in results.values()))
    findings = [finding for file in files for finding in results[file].findings]
    if options.waivers:
        from .suppress import unused_waivers
        findings.extend(unused_waivers(options.waivers, findings, files, rules, options.known_rules))
    return Report(findings, files, list(rules), results=results)


def check_file(path: str, rules: Sequence[Rule], options: Options = Options()) -> list[Finding]:
    return list(file_result(path, rules, options).findings)


def check_text(text: str, rules: Sequence[Rule], name: str = "<text>", options: Options = Options()) -> list[Finding]:
    """Check YAML given as a string; used by tests and editors."""
    try:
        document = parse_document(name, text, options.limits)
    except LoadError as error:
        return [input_error(name, error.code, error.message, error.span)]
    return check_document(document, rules, options)


def check_document(document: Document, rules: Sequence[Rule], options: Options = Options()) -> list[Finding]:
    return list(document_result(document, rules, options).findings)


def file_result(path: str, rules: Sequence[Rule], options: Options = Options(),
                read: Optional[Callable[[], str]] = None) -> FileResult:
    """Load and check one file (its text from `read()` when given, which may raise LoadError): its findings,
    and what was checked for `render` and `diff` to reuse."""
    try:
        document = load_document(path, options.limits) if read is None else \
            parse_document(path, read(), options.limits)
    except LoadError as error:
        return FileResult(path, (input_error(path, error.code, error.message, error.span),))
    return document_result(document, rules, options)


def document_result(document: Document, rules: Sequence[Rule], options: Options = Options()) -> FileResult:
    errors = input_errors(document, options)
    if errors:  # rules trust the shape, so they only run on valid documents
        return FileResult(document.name, tuple(errors), document)
    arch = architecture_of(document, options.requirements, options.organization)
    findings: list[Finding] = [Finding(document.name, span, code, severity, message, INPUT_NAMES.get(code, ""),
                                       path=tuple(path)) for code, severity, message, span, path in document.notes]
    findings.extend(run_rules(rules, arch, document, options))  # in one child process (isolation.py)
    if document.defaults:
        findings = [_on_defaults(f, document.defaults) for f in findings]
    from . import suppress  # after the rules: accepted findings stay in the report, marked
    findings = suppress.apply(findings, suppress.from_document(document), rules, options.known_rules,
                              options.today, options.waivers)
    return FileResult(document.name, tuple(findings), document, True, dict(options.requirements), arch,
                      organization=dict(options.organization))


def input_errors(document: Document, options: Options, external: Optional[dict] = None) -> list[Finding]:
    """What stops the rules: too many resources, or schema and reference problems.

    `external` names the resources of the files the document uses (compose.py).
    """
    resources = document.data.get("resources") if isinstance(document.data, dict) else None
    if isinstance(resources, dict) and len(resources) > options.limits.max_resources:
        return [input_error(
            document.name, "E104", f"{len(resources):,} resources is over the limit of "
            f"{options.limits.max_resources:,} (raise it with --max-resources)",
            document.source.locate(("resources",), on_key=True), ("resources",))]
    # A required value known only at deploy time is not missing.
    problems = [p for p in validate(document.data, document.unknown, external)
                if p.path[:3] not in document.unknown]
    located = [(p, document.locate(p.path, p.on_key)) for p in problems]
    return [input_error(file, p.code, p.message, span, p.path) for p, (file, span) in located]


def composed_results(group: Sequence, rules: Sequence[Rule], options: Options) -> dict[str, FileResult]:
    """Check the parts of a composition (compose.Part) as one architecture; each finding in its own file."""
    from . import suppress
    from .compose import Composition
    from .model import Architecture
    composition = Composition(group)
    errors = {part.name: list(part.errors) for part in group}
    if any(part.document is None or part.errors for part in group):
        # a file missing from the group would make every reference to its names an error too
        return {part.name: FileResult(part.name, tuple(errors[part.name]), part.document) for part in group}
    for part in composition.parts:
        errors[part.name] += input_errors(part.document, options, composition.external(part))
    if not any(errors.values()):
        for finding in composition.clashes():
            errors[finding.file].append(finding)
    if any(errors.values()):
        return {part.name: FileResult(part.name, tuple(errors[part.name]), part.document) for part in group}
    root = composition.parts[0].document
    data = composition.data(options.requirements, options.organization)
    arch = Architecture(data, root.name, frozenset().union(*(p.document.unknown for p in composition.parts)))
    findings = [Finding(part.name, span, code, severity, message, INPUT_NAMES.get(code, ""), path=tuple(path))
                for part in composition.parts for code, severity, message, span, path in part.document.notes]
    findings += run_rules(rules, arch, root, options, composition.where)
    for part in composition.parts:
        if part.document.defaults:
            findings = [_on_defaults(f, part.document.defaults) if f.file == part.name else f for f in findings]
    entries = [entry for part in composition.parts for entry in suppress.from_document(part.document)]
    findings = suppress.apply(findings, entries, rules, options.known_rules, options.today, options.waivers)
    return {part.name: FileResult(part.name, tuple(f for f in findings if f.file == part.name), part.document,
                                  True, dict(options.requirements), arch, organization=dict(options.organization))
            for part in composition.parts}


def _on_defaults(finding: Finding, defaults) -> Finding:
    """Say so when a finding rests on a template parameter's default (which a deployment may override)."""
    names = defaults.get(tuple(finding.path[:3])) or defaults.get(tuple(finding.path[:2]))
    if not names or not finding.pillar:
        return finding
    listed = ", ".join(f"`{name}`" for name in names)
    plural = "s" if len(names) > 1 else ""
    return replace(finding, message=f"{finding.message} (with the default of parameter{plural} {listed})")


def input_error(file: str, code: str, message: str, span: Span, path=()) -> Finding:
    return Finding(file, span, code, ERROR, message, INPUT_NAMES.get(code, ""), path=tuple(path))


def run_rule(rule: Rule, arch: Architecture, document: Document, options: Options,
             where: Optional[Callable[[Path], tuple[Document, Path]]] = None) -> list[Finding]:
    """One rule's findings; a crash, an exit, a hang, stray output or garbage becomes a finding (isolation.py).

    `where` maps a path of a composed architecture to the document that wrote it and the path there.
    """
    return run_rules([rule], arch, document, options, where)


def _known_violations(rule: Rule, violations: list, arch: Architecture) -> list:
    """The rule's violations, less those that could rest on a value known only at deploy time.

    A violation could rest on a value when a field the rule's code could read
    (`reads.could_read`, found in its compiled code) is unknown on the violation's
    resource or one close to it in the reference graph; one that names no
    resource, on any unknown of the file. The verdict depends neither on the
    order of the rule's reads nor on reads happening inside it, so what a rule
    calls may be cached.
    """
    if not violations or not arch.has_unknowns:
        return violations
    from .reads import could_read
    fields = could_read(rule.check)
    return [v for v in violations if not _rests_on(v, fields, arch)]


def _rests_on(violation, fields: Optional[frozenset], arch: Architecture) -> bool:
    path = getattr(violation, "path", None)
    if not isinstance(violation, Violation) or not isinstance(path, (tuple, list)):
        return False  # garbage, kept for isolation to report as E902
    named = len(path) > 1 and path[0] == "resources" and isinstance(path[1], str)
    near = arch.unknown_near(path[1] if named else None)
    return bool(near if fields is None else near & fields)
