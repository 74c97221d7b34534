"""Small hostile inputs that used to take minutes: each runs on a large input within a generous bound.

The bounds are about ten times what these take on a loaded CI machine; the
quadratic versions took from 9 s to over 10 minutes on the same inputs.
"""
from __future__ import annotations

import time

from wavalidate.engine import check_text
from wavalidate.plugins import load_rules

BOUND = 15.0  # seconds


def timed(text: str, rules=()) -> tuple[list, float]:
    start = time.perf_counter()
    findings = check_text(text, list(rules), "big.yaml")
    return findings, time.perf_counter() - start



def test_many_unknown_keys_in_one_mapping():
    """cerberus re-sorted every error on each new one: 5,000 keys took 45 s, 20,000 took 618 s."""
    text = "version: 1\nresources:\n  v:\n    type: vpc\n    cidr: 10.0.0.0/16\n" + \
        "".join(f"    key{i}: 1\n" for i in range(20_000))
    findings, took = timed(text)
    assert len(findings) == 20_000 and {f.code for f in findings} == {"E200"}
    assert {f.line for f in findings} == set(range(6, 20_006))
    assert took < BOUND, took


def test_many_unknown_types_get_a_bounded_number_of_suggestions():
    """Did-you-mean over every type for each unknown one: 100,000 unknown types took 33-55 s."""
    from wavalidate.schema.types import RESOURCE_TYPES
    from wavalidate.schema.validate import SUGGESTION_BUDGET
    text = "version: 1\nresources:\n" + "".join(f"  r{i}: {{type: vpcx{i}}}\n" for i in range(10_000))
    findings, took = timed(text)
    assert len(findings) == 10_000 and findings[0].message == "unknown resource type `vpcx0` (did you mean `vpc`?)"
    hinted = sum("did you mean" in f.message for f in findings)
    assert hinted <= SUGGESTION_BUDGET // len(RESOURCE_TYPES) + 1 < len(findings)
    assert took < BOUND, took


def test_many_invalid_resources():
    """cerberus normalized a copy of the whole schema for each invalid resource: 10 ms each."""
    text = "version: 1\nresources:\n" + \
        "".join(f"  r{i}: {{type: vpc, cidr: 10.0.0.0/16, tenancy: shared}}\n" for i in range(4_000))
    findings, took = timed(text)
    assert len(findings) == 4_000 and findings[0].message.startswith("`tenancy` must be one of: default, dedicated")
    assert took < BOUND, took


def test_many_unknown_references():
    text = "version: 1\nresources:\n  vpc-main: {type: vpc, cidr: 10.0.0.0/16}\n" + "".join(
        f"  s{i}: {{type: subnet, vpc: vpc-mian, cidr: 10.0.0.0/24, az: us-east-1a}}\n" for i in range(4_000))
    findings, took = timed(text)
    assert len(findings) == 4_000 and "(did you mean `vpc-main`?)" in findings[0].message
    assert took < BOUND, took


def test_many_ignore_comments_each_matching_one_finding():
    """Each finding was tried against every suppression: 10,000 ignore comments meant 1e8 tries."""
    from wavalidate.findings import Finding
    from wavalidate.locations import Span
    from wavalidate.suppress import apply, comments, today
    count = 10_000
    text = "".join(f"x{i}: 1  # wavalidate: ignore[REL001] reporting can be down a day\n" for i in range(count))
    findings = [Finding("big.yaml", Span(i, 5, i, 9), "REL001", "high", "m", "rds-multi-az", "reliability", f"x{i}")
                for i in range(1, count + 1)]
    start = time.perf_counter()
    out = apply(findings, comments(text, "big.yaml"), [], on=today("2026-01-01"))
    took = time.perf_counter() - start
    assert len(out) == count and all(f.suppression is not None for f in out)
    assert took < BOUND, took


def test_many_unused_suppressions():
    """Each unused suppression was tried against every rule loaded."""
    from wavalidate.locations import Span
    from wavalidate.suppress import Entry, unused
    rules = load_rules()[0] * 20  # as many rules as a few large packs
    entries = [Entry(f"NOPE{i}", "a long enough reason", "file", "big.yaml", Span(1, 1, 1, 2), Span(1, 1, 1, 2))
               for i in range(20_000)]
    start = time.perf_counter()
    out = unused(entries, rules)
    took = time.perf_counter() - start
    assert len(out) == 20_000 and "names no known rule" in out[0].message
    assert took < BOUND, took


def test_a_line_of_quoted_hashes():
    """Every `#` on a line was checked against every scalar on it."""
    line = "  v: {type: vpc, cidr: 10.0.0.0/16, tags: {" + \
        ", ".join(f"k{i}: 'x # wavalidate: ignore[X]'" for i in range(12_000)) + "}}\n"
    findings, took = timed("version: 1\nresources:\n" + line)
    assert findings == []  # quoted, so none is a comment
    assert took < BOUND, took


def test_a_directive_with_a_long_run_of_blanks():
    """`.*?\\s*$` backtracked over trailing blanks: quadratic in their number."""
    text = "version: 1\nresources:\n  v: {type: vpc, cidr: 10.0.0.0/16}  # wavalidate: ignore[X]" + \
        " " * 300_000 + "x\n"
    findings, took = timed(text)
    assert [f.code for f in findings] == ["E300"]
    assert took < BOUND, took
