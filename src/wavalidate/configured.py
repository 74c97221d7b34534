"""A check as the project configures it: the configuration, waivers and the baseline around `engine.check_files`
(for `check`, `diff` and `render`)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Mapping, Optional, Sequence

from .config import Config
from .config import load as load_config
from .engine import Options, check_files
from .findings import ERROR, Finding, Report
from .locations import START
from .plugins import load_rules
from .selection import select, unknown_terms


class UsageProblem(Exception):
    """A mistake on the command line (exit 2)."""


class NotRecorded(Exception):
    """The baseline was not written; the message says why."""


@dataclass
class Settings:
    """What the command line said; None and empty mean "as configured"."""

    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    fail_on: Optional[str] = None
    rule_paths: Sequence[str] = ()
    config: Optional[str] = None
    waivers: Sequence[str] = ()
    baseline: Optional[str] = None
    today: Optional[date] = None
    options: Options = field(default_factory=Options)
    jobs: int = 1                   # worker processes (parallel.py)
    cache: Optional[str] = None     # folder of earlier results (cache.py)
    shard: Optional[tuple] = None   # (K, N): check only shard K of N (parallel.shard)


def check(files: Sequence[str], settings: Settings, cwd: str = ".",
          readers: Mapping[str, Callable[[], str]] = {}) -> tuple[Report, str, Config]:
    """Check files as configured; returns the report, the effective --fail-on and the config.
    `readers` read some files by name (versions from git) instead of from the disk.

    The command line wins over the configuration: `--select` replaces the
    configured list, `--ignore`, `--rules` and `--waivers` add to it.
    """
    from . import baseline as baselines
    from .suppress import load_waivers
    from .suppress import today as clock
    config = load_config(settings.config, cwd)
    extra: list[Finding] = list(config.problems)
    extra += config.untrusted_rules()
    trusted = list(config.rules) if config.explicit else []
    rules, errors = load_rules(_unique(trusted + list(settings.rule_paths)))
    extra += plugin_findings(errors)
    chosen = _split(settings.select) or list(config.select)
    ignored = list(config.ignore) + _split(settings.ignore)
    bad = unknown_terms(rules, _split(settings.select) + _split(settings.ignore))  # the config's: findings
    if bad:
        raise UsageProblem(f"no rule matches {', '.join(repr(b) for b in bad)} (see `wavalidate rules`)")
    if not config.problems and (config.explicit or not config.rules):
        extra += config.unknown_rules(rules)
    on = settings.today or clock()
    waivers, waiver_problems = load_waivers(_unique(list(config.waivers) + list(settings.waivers)), on,
                                            found=() if config.explicit else config.waivers)
    extra += waiver_problems
    base = settings.options
    options = Options(limits=base.limits, rule_timeout=base.rule_timeout,
                      severity_overrides={**config.severity, **base.severity_overrides},
                      requirements={**config.requirements, **base.requirements},
                      organization=config.organization or dict(base.organization),
                      waivers=tuple(waivers), today=on, known_rules=tuple(rules))
    # a file named twice (overlapping globs: `infra/*.yaml infra/**/*.yaml`) is checked and counted once
    files = _unique(files)
    if settings.shard:
        from .parallel import shard
        files = shard(files, *settings.shard)
    report = check_files(files, select(rules, chosen, ignored), options, readers,
                         jobs=settings.jobs, cache=settings.cache)
    report.shard = settings.shard
    report.findings.extend(extra)
    if settings.baseline:
        try:
            entries = baselines.load(settings.baseline, settings.options.limits)
        except baselines.BaselineError as error:
            raise UsageProblem(str(error)) from None
        baselines.apply(report, entries, settings.baseline)
    report.findings.sort(key=Finding.sort_key)
    return report, settings.fail_on or config.fail_on or "high", config


def plugin_findings(errors: Sequence) -> list[Finding]:
    """A rule pack that failed to load (a plugins.PluginError) as an internal-error finding (E903)."""
    return [Finding(e.pack, START, "E903", ERROR, str(e), "plugin-failed") for e in errors]


def baseline_text(report: Report) -> str:
    """The baseline of a report's findings; NotRecorded when a file has errors, as its findings would be missing."""
    broken = sorted({f.file for f in report.active if f.code.startswith("E") and not f.pillar})
    if broken:  # a file that did not load, or a rule that failed
        raise NotRecorded(f"baseline not written, as {', '.join(broken)} "
                          f"{'has errors' if len(broken) == 1 else 'have errors'}; fix them first")
    from .baseline import dumps
    return dumps(report.findings)


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _unique(paths: Sequence[str]) -> list[str]:
    """Paths named twice (in the config and on the command line) are used once."""
    seen: dict[str, str] = {}
    for path in paths:
        seen.setdefault(os.path.normcase(os.path.abspath(path)), path)
    return list(seen.values())
