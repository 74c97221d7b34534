"""The command line: parses arguments and calls the library."""
from __future__ import annotations

import json
import os
import sys
from typing import Optional, Sequence

import click

from . import __version__
from .engine import Options
from .loader import DEFAULT_LIMITS, Limits
from .plugins import load_rules
from .vocabulary import SEVERITIES

FAIL_ON = list(SEVERITIES) + ["never"]


def _use_color(choice: Optional[bool], stream) -> bool:
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _rules(paths: Sequence[str]):
    from .configured import plugin_findings
    rules, errors = load_rules(paths)
    return rules, plugin_findings(errors)


class _Command(click.Command):
    """A command whose library errors about its arguments or outputs are usage errors (exit 2)."""

    def invoke(self, ctx: click.Context):
        from .configured import UsageProblem
        from .output import OutputError
        try:
            return super().invoke(ctx)
        except (UsageProblem, OutputError) as error:
            raise click.UsageError(str(error), ctx) from None


class _Group(click.Group):
    command_class = _Command
    group_class = type  # subgroups are _Groups too


select_option = click.option("--select", "-s", "select_terms", multiple=True,
                             help="Only these rules: code, code prefix, name or pillar.")
ignore_option = click.option("--ignore", "-i", "ignore_terms", multiple=True,
                             help="Skip these rules: code, code prefix, name or pillar.")
config_option = click.option("--config", "config_path", type=click.Path(dir_okay=False),
                             help="Read this configuration instead of ./.wavalidate.yaml or ./pyproject.toml.")
waivers_option = click.option("--waivers", "waiver_paths", multiple=True, type=click.Path(dir_okay=False),
                              help="A waiver file of accepted findings (repeatable; added to the config's).")
rules_option = click.option("--rules", "rule_paths", multiple=True, type=click.Path(),
                            help="Load rules from this folder or file too (repeatable). Nothing else "
                                 "outside installed packages is ever imported.")


def _confine(ctx: click.Context, param, value: bool) -> None:
    """Every command that reads files reads them only inside the repository root (see docs/security.md)."""
    from .files import confine, release
    token = confine(outside_ok=bool(value))
    ctx.call_on_close(lambda: release(token))


outside_root_option = click.option(
    "--allow-outside-root", is_flag=True, expose_value=False, callback=_confine,
    help="Read files named on the command line even when they lead outside the repository root (the git top "
         "level, or the current folder). Files a found configuration names never may.")

# Interrupted runs exit 128 + the signal, not 1 (which means "findings"); see docs/ci.md.
SIGNAL_EXITS = {"SIGINT": 130, "SIGTERM": 143}


def _exit_on_signals(ctx: click.Context) -> None:
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum, frame) -> None:
        raise SystemExit(128 + signum)   # BaseException: rules and readers cannot swallow it
    for name in SIGNAL_EXITS:
        number = getattr(signal, name)
        previous = signal.signal(number, stop)
        ctx.call_on_close(lambda number=number, previous=previous: signal.signal(number, previous))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="wavalidate")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Check AWS architectures against the six Well-Architected pillars."""
    _exit_on_signals(ctx)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "-f", "fmt", multiple=True, metavar="FMT[:PATH]",
              help="Output format: text (default), json, sarif, junit, github, markdown or codequality; repeatable, "
                   "each to its own PATH (see docs/ci.md).")
@click.option("--output", "-o", multiple=True, type=click.Path(dir_okay=False),
              help="Write the next --format without a :PATH here instead of stdout (repeatable).")
@select_option
@ignore_option
@click.option("--fail-on", default=None, type=click.Choice(FAIL_ON),
              help="Exit 1 when a finding is at or above this severity.  [default: the config's, or high]")
@rules_option
@config_option
@waivers_option
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Fail only on findings not in this baseline; list the fixed ones.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False),
              help="Record the current findings as the baseline in this file, then exit 0 unless input errors.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), envvar="WAVALIDATE_TODAY", hidden=True,
              help="Judge suppression expiry on this date (for tests and reproducible runs).")
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
@click.option("--diagram", type=click.Path(dir_okay=False),
              help="Also draw the architecture with its findings here (.png, .svg, .pdf or .dot; one file).")
@click.option("--no-findings", is_flag=True, help="Draw the --diagram without findings.")
@click.option("--requirements", "requirements_path", type=click.Path(dir_okay=False),
              help="A YAML file with a `requirements:` mapping: defaults for every file (over the config's; "
                   "a file's own win). CloudFormation templates cannot state requirements.")
@click.option("--jobs", "-j", type=click.IntRange(0), default=0,
              help="Check files in this many processes (default 0: one per CPU; 1: in this process). "
                   "The output is the same.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False),
              help="Keep results in this folder, outside the repository, and reuse them for files that did not "
                   "change (see docs/ci.md).")
@click.option("--shard", "shard_text", metavar="K/N",
              help="Check only shard K of N of the files (balanced by size, the same on every machine), for a CI "
                   "matrix of N jobs; SARIF names the shard (see docs/ci.md).")
@outside_root_option
def check(files, fmt, output, select_terms, ignore_terms, fail_on, rule_paths, config_path, waiver_paths,
          baseline_path, write_baseline, today, color, max_file_size, max_resources, max_nodes, rule_timeout,
          diagram=None, no_findings=False, requirements_path=None, jobs=0, cache_dir=None, shard_text=None) -> None:
    """Check architecture files and report findings by pillar.

    Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
    2 usage or input errors, 3 a rule or plugin failed.
    """
    import gc
    gc.set_threshold(100_000, 50, 1000)  # a short-lived run that builds large trees: fewer full collections
    from . import configured
    from .formats import render, targets
    try:
        outputs = targets(fmt, output)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    limits = Limits(max_bytes=max_file_size, max_resources=max_resources, max_nodes=max_nodes)
    settings = configured.Settings(select_terms, ignore_terms, fail_on, rule_paths, config_path, waiver_paths,
                                   baseline_path, today.date() if today else None,
                                   Options(limits=limits, rule_timeout=rule_timeout,
                                           requirements=_side_requirements(requirements_path)))
    files = _inputs(files)
    from .parallel import cache_folder, default_jobs
    settings.jobs = jobs or default_jobs()
    settings.cache = cache_folder(cache_dir) if cache_dir else None
    settings.shard = _shard(shard_text) if shard_text else None
    report, fail_on, _ = configured.check(list(files), settings)
    from .output import probe_all, write_atomic
    if diagram:
        _picture_format(diagram)
    probe_all([diagram, write_baseline, *(path for _, path in outputs)], files)
    drawn = _draw_diagram(_one_per_architecture(files, report), report, diagram, not no_findings) if diagram \
        else True
    if write_baseline:
        try:
            write_atomic(write_baseline, configured.baseline_text(report), protect=files)
        except configured.NotRecorded as error:
            click.echo(f"wavalidate: {error}", err=True)
        fail_on = "never"
    for name, path in outputs:
        use_color = name == "text" and path is None and _use_color(color, sys.stdout)
        text = render(name, report, color=use_color)
        if path:
            write_atomic(path, text, protect=files)
        else:
            click.echo(text, nl=False, color=use_color)
    sys.exit(report.exit_code(fail_on) if drawn else max(2, report.exit_code(fail_on)))


def _inputs(files: Sequence[str]) -> list[str]:
    """The files named, each folder replaced by its architecture files (one without any stays, an E106)."""
    from .compose import expand
    return expand(files)


def _one_per_architecture(files: Sequence[str], report) -> list[str]:
    """Files composed with `uses` are one architecture: drawn once, under the first of them."""
    seen: set = set()
    out = []
    for file in files:
        result = report.results.get(file)
        arch = result._architecture if result is not None else None
        if arch is None or id(arch) not in seen:
            out.append(file)
        if arch is not None:
            seen.add(id(arch))
    return out


def _shard(text: str) -> tuple:
    from .parallel import parse_shard
    try:
        return parse_shard(text)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _picture_format(path: str, fmt: Optional[str] = None, can_choose: bool = False) -> str:
    from .render import picture_format
    try:
        return picture_format(path, fmt, can_choose)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _side_requirements(path: Optional[str]) -> dict:
    """`--requirements FILE`; its problems are reported with positions and exit 2."""
    if not path:
        return {}
    from .cloudformation.requirements import load
    requirements, problems = load(path)
    for problem in problems:
        click.echo(f"{path}:{problem}", err=True)
    if problems:
        sys.exit(2)
    return requirements or {}


def _draw_diagram(files, report, path: str, with_findings: bool) -> bool:
    """Draw the one checked file for `check --diagram`; on failure say why on stderr and return False."""
    from .render import draw_report
    from .render.drawing import RenderError
    if len(files) != 1:
        click.echo("wavalidate: --diagram draws one file; use `wavalidate render FILES --output-dir DIR`", err=True)
        return False
    if any(f.is_input_error and f.file == files[0] for f in report.active):
        click.echo(f"wavalidate: no diagram: {files[0]} has input errors", err=True)
        return False
    try:
        written = draw_report(report, files[0], path, with_findings, protect=files)
    except (RenderError, ValueError) as error:
        click.echo(f"wavalidate: {error}", err=True)
        return False
    report.diagram = written[0]
    return True


@main.command("rules")
@click.option("--format", "-f", "fmt", default="text", type=click.Choice(["text", "json"]), show_default=True)
@rules_option
def list_rules(fmt, rule_paths) -> None:
    """List every rule with its pillar and severity.

    Exit codes: 0 listed, 3 a rule pack given with --rules failed to load (the others are listed).
    """
    rules, plugin_errors = _rules(rule_paths)
    for error in plugin_errors:
        click.echo(f"wavalidate: {error.message}", err=True)
    from .formats.rules import FORMATS as RULE_FORMATS
    click.echo(RULE_FORMATS[fmt](rules), nl=False)
    if plugin_errors:  # as `check`: a pack that failed to load is exit 3, not a silently shorter list
        sys.exit(3)


@main.command()
@click.argument("code")
@rules_option
def explain(code, rule_paths) -> None:
    """Print a rule's documentation (a code or name), or a resource type's fields."""
    from .docs import rule_markdown
    from .schema.fielddocs import TOPICS, type_text
    from .schema.types import RESOURCE_TYPES
    if code in RESOURCE_TYPES or code in TOPICS:
        click.echo(type_text(code), nl=False)
        return
    rules, plugin_errors = _rules(rule_paths)
    for error in plugin_errors:
        click.echo(f"wavalidate: {error.message}", err=True)
    for r in rules:
        if code.upper() == r.code or code == r.name:
            click.echo(rule_markdown(r, heading="#"))
            return
    raise click.UsageError(f"no rule {code!r} (see `wavalidate rules`)")


@main.command("docs")
@click.argument("type_name", required=False, metavar="[TYPE]")
def docs_command(type_name) -> None:
    """List the resource types, or print one type's fields: nested shapes, meaning, allowed values,
    defaults and an example (also `common`, `requirements` and `file`)."""
    from .schema.fielddocs import TOPICS, type_list, type_text
    from .schema.types import RESOURCE_TYPES
    if type_name is None:
        click.echo(type_list(), nl=False)
        return
    if type_name not in RESOURCE_TYPES and type_name not in TOPICS:
        import difflib
        close = difflib.get_close_matches(type_name, list(RESOURCE_TYPES) + list(TOPICS), n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise click.UsageError(f"no resource type {type_name!r}{hint}; `wavalidate docs` lists them")
    click.echo(type_text(type_name), nl=False)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the architecture format (for editors)."""
    from .schema.jsonschema import json_schema
    click.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


@main.command("diff")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--base", "base_ref", metavar="REF",
              help="Compare the working tree with this git ref (a branch, tag or commit): every architecture "
                   "file and template changed under PATHS (folders, globs, files; default: the repository).")
@click.option("--format", "-f", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "markdown", "json", "sarif"]))
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the comparison here instead of stdout.")
@click.option("--diagram", "diagram_path", type=click.Path(dir_okay=False),
              help="Also draw HEAD with new findings coloured and changed resources marked (needs graphviz; "
                   "two files only; with --base use --pictures).")
@click.option("--pictures", "pictures_dir", type=click.Path(file_okay=False),
              help="Draw each changed file before and after (SVG) into this folder, for a CI artifact.")
@click.option("--artifact-url", metavar="URL",
              help="Where the CI artifacts are published: the Markdown links pictures and the full review there.")
@select_option
@ignore_option
@click.option("--fail-on", default=None, type=click.Choice(FAIL_ON),
              help="Exit 1 when a NEW finding is at or above this severity.  [default: the config's, or high]")
@rules_option
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Read this configuration.")
@waivers_option
@click.option("--max-file-size", type=click.IntRange(1), default=DEFAULT_LIMITS.max_bytes, show_default=True,
              help="Largest file read (from the disk or from git), in bytes.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), envvar="WAVALIDATE_TODAY", hidden=True)
@outside_root_option
def diff_command(paths, base_ref, fmt, output, diagram_path, pictures_dir, artifact_url, select_terms,
                 ignore_terms, fail_on, rule_paths, config_path, waiver_paths, max_file_size, today) -> None:
    """Compare versions of architectures: resources added, removed or changed (field by field, old -> new),
    and findings new, fixed or still present (for reviewing a pull request).

    `diff --base REF [PATH...]` compares the working tree with a git ref;
    `diff BASE HEAD` compares two files.

    Exit codes: 0 no new finding at or above --fail-on, 1 some, 2 usage or input errors, 3 a rule failed.
    """
    from . import configured
    from . import diff as diffs
    settings = configured.Settings(select_terms, ignore_terms, fail_on, rule_paths, config_path, waiver_paths,
                                   today=today.date() if today else None,
                                   options=Options(limits=Limits(max_bytes=max_file_size)))
    if base_ref is not None:
        if diagram_path:
            raise click.UsageError("--diagram draws one file of `diff BASE HEAD`; with --base use --pictures DIR")
        from . import against
        from .git import GitError
        try:
            review, fail_on = against.review(base_ref, list(paths), settings)
        except GitError as error:
            click.echo(f"wavalidate: {error}", err=True)
            sys.exit(2)
        protect: list = [d.head for d in review.diffs if d.status != "deleted"]
    else:
        if len(paths) != 2:
            raise click.UsageError("give two files (`diff BASE HEAD`), or --base REF and optional paths")
        base, head = paths
        base_report, fail_on, _ = configured.check([base], settings)
        head_report, _, _ = configured.check([head], settings)
        result = diffs.compare(base_report, head_report)
        review = diffs.Review([result], base, head, {r.code: r for r in head_report.rules})
        protect = [base, head]
        if diagram_path:
            _picture_format(diagram_path)
    from .output import probe_all
    probe_all([diagram_path, output], protect)
    if pictures_dir:
        _draw_pictures(review, pictures_dir, protect)
    if diagram_path:
        try:
            written = diffs.draw(result, head_report, diagram_path)
            result.diagram = written[0] if written else diagram_path
        except ImportError:
            click.echo("wavalidate: --diagram needs the render package; skipped", err=True)
        except Exception as error:  # graphviz missing, an invalid HEAD...: the comparison still stands
            click.echo(f"wavalidate: no diagram: {error}", err=True)
    from .formats.diff import FORMATS as DIFF_FORMATS
    text = DIFF_FORMATS[fmt](review, artifact_url=artifact_url)
    if output:
        from .output import write_atomic
        write_atomic(output, text, protect=protect)
    else:
        click.echo(text, nl=False)
    sys.exit(review.exit_code(fail_on))


def _draw_pictures(review, folder: str, protect) -> None:
    """`diff --pictures DIR`: each changed file before and after, as SVG; a failure is said on stderr."""
    from .diff import draw_versions
    if not os.path.isdir(folder):
        raise click.UsageError(f"--pictures: the folder '{folder}' does not exist")
    try:
        review.pictures = draw_versions(review, folder, protect)
    except Exception as error:  # graphviz missing: the comparison still stands
        click.echo(f"wavalidate: no pictures: {error}", err=True)


@main.command("report")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write (one self-contained page).")
@click.option("--base", "base_ref", metavar="REF", help="Also show the changes since this git ref (as `diff --base`).")
@select_option
@ignore_option
@rules_option
@config_option
@waivers_option
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Show which findings the baseline knows and which it lists as fixed.")
@click.option("--fail-on", default=None, type=click.Choice(FAIL_ON),
              help="Exit 1 when a finding is at or above this severity.  [default: the config's, or high]")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), envvar="WAVALIDATE_TODAY", hidden=True)
@outside_root_option
def report_command(files, output, base_ref, select_terms, ignore_terms, rule_paths, config_path, waiver_paths,
                   baseline_path, fail_on, today) -> None:
    """Write one self-contained HTML review of architecture files: the pillar scorecard, the picture (click
    a resource for its findings), findings by pillar with rationale and fix, suppressions, the baseline,
    and the changes since --base REF. No network is used to view it; it prints to PDF.

    Exit codes: as `check` (the page is written either way, unless the output cannot be).
    """
    from . import configured
    from .htmlreport import build
    from .output import probe_all, write_atomic
    settings = configured.Settings(select_terms, ignore_terms, fail_on, rule_paths, config_path, waiver_paths,
                                   baseline_path, today.date() if today else None)
    probe_all([output], files)
    report, fail_on, _ = configured.check(list(files), settings)
    review = None
    if base_ref is not None:
        from . import against
        from .git import GitError
        try:
            review, _ = against.review(base_ref, list(files), settings)
        except GitError as error:
            click.echo(f"wavalidate: {error}", err=True)
            sys.exit(2)
    write_atomic(output, build(report, review), protect=files)
    click.echo(f"wrote {output}", err=True)
    sys.exit(report.exit_code(fail_on))


@main.command()
@click.argument("path", default="architecture.yaml", type=click.Path(dir_okay=False))
@click.option("--landing-zone", is_flag=True,
              help="A landing-zone member: fill in what the organisation provides (trail, Config, GuardDuty, ...)")
def init(path, landing_zone) -> None:
    """Write a commented starter architecture file (never over an existing one)."""
    from .starter import starter
    if os.path.exists(path):
        raise click.UsageError(f"'{path}' already exists; choose another name or remove it first")
    from .output import write_atomic
    write_atomic(path, starter(landing_zone))
    click.echo(f"wrote {path}; check it with `wavalidate check {path}`")


@main.group("import")
def import_group() -> None:
    """Write an architecture file from infrastructure code."""


@import_group.command("cloudformation")
@click.argument("template", type=click.Path(dir_okay=False))
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="The architecture file to write  [default: stdout]")
@outside_root_option
def import_cloudformation(template, output) -> None:
    """Translate a CloudFormation template (YAML or JSON) into an architecture file.

    Values known only at deploy time are named in comments; requirements
    must be added by hand. Exit codes: 0 written, 2 unreadable template.
    """
    from .cloudformation import load_template
    from .cloudformation.export import architecture_text
    from .loader import LoadError
    try:
        document = load_template(template)
    except LoadError as error:
        click.echo(f"{template}:{error.span.line}:{error.span.col}: error {error.code} {error.message}", err=True)
        sys.exit(2)
    text = architecture_text(document, os.path.basename(template))
    if output:
        from .output import write_atomic
        write_atomic(output, text, protect=[template])
        click.echo(f"wrote {output}; check it with `wavalidate check {output}`", err=True)
    else:
        click.echo(text, nl=False)


@main.command("render")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="The picture (one input file); default: the input's name with the format's extension.")
@click.option("--output-dir", "-d", type=click.Path(file_okay=False),
              help="Write one picture per input file here, named after it (the folder must exist).")
@click.option("--format", "-f", "fmt", type=click.Choice(["png", "svg", "pdf", "dot"]),
              help="Output format  [default: from --output's extension, else png]")
@click.option("--no-findings", is_flag=True, help="Draw the plain architecture, without findings.")
@click.option("--split", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Large architectures: an overview plus one picture per VPC (auto: above a size).")
@click.option("--detail", type=click.Choice(["overview", "network", "full"]), default="network", show_default=True,
              help="overview: each VPC one box; network: flows, tiers, data stores, edge and hybrid links "
                   "(roles, alarms, logs listed under the picture); full: everything.")
@click.option("--view", type=click.Choice(["all", "network", "security", "data"]), default="all", show_default=True,
              help="Draw only what a network, security or data review is about (and what it links).")
@select_option
@ignore_option
@rules_option
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Read this configuration instead of ./.wavalidate.yaml or ./pyproject.toml.")
@outside_root_option
def render_command(files, output, output_dir, fmt, no_findings, split, detail, view, select_terms, ignore_terms,
                   rule_paths, config_path) -> None:
    """Draw architecture files, with their findings, as PNG, SVG, PDF or DOT.

    Needs graphviz (`dot`) for every format but DOT. Exit codes: 0 drawn,
    2 usage or input errors, or graphviz missing.
    """
    from . import configured
    from .render import draw_report, picture_targets
    from .render.drawing import DotMissing, RenderError
    if output and (output_dir or len(files) > 1):
        raise click.UsageError("--output takes one input file; use --output-dir for several")
    fmt = _picture_format(output, fmt, can_choose=True) if output else (fmt or "png")
    if fmt != "dot":
        import shutil
        if shutil.which("dot") is None:
            click.echo(f"wavalidate: {DotMissing()}", err=True)
            sys.exit(2)
    settings = configured.Settings(select_terms, ignore_terms, "never", rule_paths, config_path)
    files = _inputs(files)
    report, _, _ = configured.check(list(files), settings)
    files = _one_per_architecture(files, report)
    try:
        targets = picture_targets(files, output, output_dir, fmt)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    status = 0
    for file in files:
        errors = [f for f in report.active if f.is_input_error and f.file == file]
        if errors:
            for f in errors:
                click.echo(f"{f.file}:{f.line}:{f.col}: error {f.code} {f.message}", err=True)
            status = 2
            continue
        target = targets[file]
        try:
            written = draw_report(report, file, target, not no_findings, fmt, split, detail=detail, view=view)
        except (RenderError, ValueError) as error:
            click.echo(f"wavalidate: {file}: {error}", err=True)
            status = 2
            continue
        for name in written:
            click.echo(name)
    sys.exit(status)
