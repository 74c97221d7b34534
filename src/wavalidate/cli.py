"""The command line: parses arguments and calls the library."""
from __future__ import annotations

import json
import os
import sys
from typing import Optional, Sequence

import click

from . import __version__
from .api import SEVERITIES
from .engine import Options, check_files
from .findings import ERROR, Finding, Report
from .loader import DEFAULT_LIMITS, Limits
from .locations import START
from .plugins import load_rules
from .selection import select, unknown_terms

FAIL_ON = list(SEVERITIES) + ["never"]


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _use_color(choice: Optional[bool], stream) -> bool:
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _rules(paths: Sequence[str]):
    rules, errors = load_rules(paths)
    return rules, [Finding(e.pack, START, "E903", ERROR, str(e), "plugin-failed") for e in errors]


rules_option = click.option("--rules", "rule_paths", multiple=True, type=click.Path(),
                            help="Load rules from this folder or file too (repeatable). Nothing else "
                                 "outside installed packages is ever imported.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="wavalidate")
def main() -> None:
    """Check AWS architectures against the six Well-Architected pillars."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "-f", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json"]), help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here instead of stdout.")
@click.option("--select", "-s", "select_terms", multiple=True, help="Only these rules: code, code prefix, name or pillar.")
@click.option("--ignore", "-i", "ignore_terms", multiple=True, help="Skip these rules: code, code prefix, name or pillar.")
@click.option("--fail-on", default="high", show_default=True, type=click.Choice(FAIL_ON),
              help="Exit 1 when a finding is at or above this severity.")
@rules_option
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when a terminal, "
                                                       "unless NO_COLOR is set).")
@click.option("--max-file-size", type=click.IntRange(1), default=DEFAULT_LIMITS.max_bytes, show_default=True,
              help="Largest file read, in bytes.")
@click.option("--max-resources", type=click.IntRange(1), default=DEFAULT_LIMITS.max_resources,
              show_default=True, help="Most resources in one file.")
@click.option("--max-nodes", type=click.IntRange(1), default=DEFAULT_LIMITS.max_nodes, show_default=True,
              help="Most YAML values in one file after aliases are expanded.")
@click.option("--rule-timeout", type=click.FloatRange(0), default=10.0, show_default=True,
              help="Seconds one rule may run on one file before it is stopped (0: no limit).")
def check(files, fmt, output, select_terms, ignore_terms, fail_on, rule_paths, color, max_file_size, max_resources,
          max_nodes, rule_timeout) -> None:
    """Check architecture files and report findings by pillar.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
    2 usage or input errors, 3 a rule or plugin failed.
    """
    rules, plugin_errors = _rules(rule_paths)
    chosen, ignored = _split(select_terms), _split(ignore_terms)
    bad = unknown_terms(rules, chosen + ignored)
    if bad:
        raise click.UsageError(f"no rule matches {', '.join(repr(b) for b in bad)} "
                               "(see `wavalidate rules`)")
    limits = Limits(max_bytes=max_file_size, max_resources=max_resources, max_nodes=max_nodes)
    report = check_files(list(files), select(rules, chosen, ignored), Options(limits=limits, rule_timeout=rule_timeout))
    report.findings.extend(plugin_errors)
    report.findings.sort(key=Finding.sort_key)
    from .formats import render
    use_color = _use_color(color, sys.stdout) and not output
    text = render(fmt, report, color=use_color)
    if output:
        from .output import write_atomic
        write_atomic(output, text, protect=files)
    else:
        click.echo(text, nl=False, color=use_color)
    sys.exit(report.exit_code(fail_on))


@main.command("rules")
@click.option("--format", "-f", "fmt", default="text", type=click.Choice(["text", "json"]), show_default=True)
@rules_option
def list_rules(fmt, rule_paths) -> None:
    """List every rule with its pillar and severity."""
    rules, plugin_errors = _rules(rule_paths)
    for error in plugin_errors:
        click.echo(f"wavalidate: {error.message}", err=True)
    if fmt == "json":
        click.echo(json.dumps([{"code": r.code, "name": r.name, "title": r.title, "pillar": r.pillar,
                                "severity": r.severity, "notes": r.notes, "best_practice": r.best_practice,
                                "pack": r.pack} for r in rules], indent=2, ensure_ascii=False))
        return
    for r in rules:
        click.echo(f"{r.code:<8} {r.severity:<8} {r.pillar:<23} {r.name:<34} {r.title}")


@main.command()
@click.argument("code")
@rules_option
def explain(code, rule_paths) -> None:
    """Print a rule's documentation."""
    from .docs import rule_markdown
    rules, _ = _rules(rule_paths)
    for r in rules:
        if code.upper() == r.code or code == r.name:
            click.echo(rule_markdown(r, heading="#"))
            return
    raise click.UsageError(f"no rule {code!r} (see `wavalidate rules`)")


@main.command()
def schema() -> None:
    """Print the JSON Schema of the architecture format (for editors)."""
    from .schema.jsonschema import json_schema
    click.echo(json.dumps(json_schema(), indent=2, sort_keys=True))
