"""Testing a rule pack the way the built-in pack is tested: YAML case files with exact positions.

A case file is `CODE.yaml` in a folder of cases, holding a list of cases:

    - name: queue-without-team-tag
      expect: [[4, 5]]           # [line, column] of each finding of rule CODE; [] for a passing case
      message: has no `team` tag # optional: a substring of one of those findings' messages
      severity: medium           # optional: the severity each of those findings has
      arch: |
        version: 1
        ...

and a pack's test module runs them with pytest:

    import pytest
    from wavalidate.testing import cases_in, pack_rules, run_case

    RULES = pack_rules("acme_rules")            # a folder, a file or an installed package
    @pytest.mark.parametrize("case", cases_in("tests/cases"), ids=str)
    def test_case(case):
        run_case(case, RULES)

`field_name_problems` (from `wavalidate.field_names`) checks that a pack's
code reads only fields the format declares, so a misspelt field fails a test
instead of crashing at run time.
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

import yaml

from .api import Rule
from .engine import check_text
from .field_names import field_name_problems
from .plugins import Pack, load_pack, load_rules


class CaseError(Exception):
    """A case file that cannot be read as a list of cases."""


@dataclass(frozen=True)
class Case:
    code: str
    name: str
    expect: tuple      # ((line, column), ...) of the rule's findings
    arch: str          # the architecture file's text
    message: Optional[str] = None
    file: str = ""     # the case file it comes from
    severity: Optional[str] = None   # optional: the severity every finding of the rule has

    def __str__(self) -> str:
        return f"{self.code}-{self.name}"


def cases_in(folder: str) -> list[Case]:
    """The cases of every `CODE.yaml` in a folder, sorted by code, in file order within one."""
    cases: list[Case] = []
    for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
        cases.extend(read_cases(path))
    return cases


def read_cases(path: str) -> list[Case]:
    """The cases of one case file, named after the rule code it tests."""
    code = os.path.basename(path).rsplit(".", 1)[0]
    with open(path, encoding="utf-8") as handle:
        items = yaml.safe_load(handle)
    if not isinstance(items, list):
        raise CaseError(f"{path}: a case file holds a list of cases")
    cases = []
    for index, item in enumerate(items):
        where = f"{path}: case {index + 1}"
        if not isinstance(item, dict) or not {"name", "expect", "arch"} <= item.keys():
            raise CaseError(f"{where} needs `name`, `expect` and `arch`")
        expect = item["expect"]
        if not isinstance(expect, list) or not all(isinstance(p, list) and len(p) == 2 for p in expect):
            raise CaseError(f"{where} ({item['name']}): `expect` is a list of [line, column]")
        if not isinstance(item["arch"], str):
            raise CaseError(f"{where} ({item['name']}): `arch` is the architecture as text (use `arch: |`)")
        cases.append(Case(code, str(item["name"]), tuple((p[0], p[1]) for p in expect), item["arch"],
                          item.get("message"), path, item.get("severity")))
    return cases


def run_case(case: Case, rules: Sequence[Rule]) -> None:
    """Check the case's architecture with `rules`; AssertionError when it does not turn out as expected."""
    codes = {r.code for r in rules}
    assert case.code in codes, f"{case.file}: case file for unknown rule {case.code}"
    findings = check_text(case.arch, list(rules), name="case.yaml")
    errors = [(f.line, f.col, f.message) for f in findings if not f.pillar]
    assert not errors, f"{case}: the case itself is invalid: {errors}"
    mine = [f for f in findings if f.code == case.code]
    got = tuple((f.line, f.col) for f in mine)
    assert got == case.expect, f"{case}: expected findings at {list(case.expect)}, got " + \
        ", ".join(f"{f.line}:{f.col} {f.message}" for f in mine)
    if case.message is not None:
        assert any(case.message in f.message for f in mine), \
            f"{case}: no finding says {case.message!r}: {[f.message for f in mine]}"
    if case.severity is not None:
        assert mine and all(f.severity == case.severity for f in mine), \
            f"{case}: expected severity {case.severity}, got {[f.severity for f in mine]}"


def case_kinds(cases: Iterable[Case]) -> dict[str, tuple[bool, bool]]:
    """For each rule code: (has a passing case, has a failing case)."""
    kinds: dict[str, list[bool]] = {}
    for case in cases:
        entry = kinds.setdefault(case.code, [False, False])
        entry[1 if case.expect else 0] = True
    return {code: (passing, failing) for code, (passing, failing) in kinds.items()}


def pack_rules(*targets: str) -> list[Rule]:
    """The built-in rules and those of the packs named (folders, files or installed packages).

    Cases run with the built-in rules too, so a pack's case is also checked
    for being a valid architecture file. A pack that fails to load fails here.
    """
    paths = [t for t in targets if os.path.exists(t)]
    rules, errors = load_rules(paths)
    if errors:
        raise AssertionError("; ".join(str(e) for e in errors))
    for name in (t for t in targets if t not in paths):
        found, failed = load_pack(Pack(name, "entry-point", name))
        if failed:
            raise AssertionError("; ".join(str(e) for e in failed))
        known = {r.code for r in rules}
        rules.extend(r for r in found if r.code not in known)
    return sorted(rules, key=lambda r: r.code)


__all__ = ["Case", "CaseError", "case_kinds", "cases_in", "field_name_problems", "pack_rules", "read_cases",
           "run_case"]
