"""Suppressions with reasons: inline, file-wide, comments and waiver files; expiry and unused ones."""
from __future__ import annotations

import json
import os
import textwrap

from click.testing import CliRunner

from wavalidate.cli import main
from wavalidate.engine import Options, check_files, check_text
from wavalidate.formats import render
from wavalidate.suppress import comments, load_waivers, today

from ..formats.common import fixture_rules_list

RULES = fixture_rules_list()
RULES_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "formats", "fixture_rules.py")
DAY = today("2026-06-01")

BASE = """\
version: 1
resources:
  main-db:
    type: rds_instance
    engine: postgres
    multi_az: false
  other-db:
    type: rds_instance
    engine: postgres
    multi_az: false
"""


def run(text: str, rules=RULES, on=DAY, waivers=(), name="arch.yaml"):
    options = Options(today=on, known_rules=tuple(RULES), waivers=tuple(waivers))
    return check_text(textwrap.dedent(text), rules, name=name, options=options)


def summary(findings):
    return sorted((f.code, f.line, f.col, f.resource, f.suppression.source if f.suppression else None)
                  for f in findings)


def with_inline(item: str, resource: str = "main-db") -> str:
    return BASE.replace(f"  {resource}:\n    type: rds_instance\n",
                        f"  {resource}:\n    type: rds_instance\n    suppress:\n      - {item}\n")


def test_inline_suppression_by_code_prefix_and_name():
    for term in ("REL998", "REL", "db-multi-az"):
        found = run(with_inline(f'{{rule: {term}, reason: "reporting replica, rebuilt nightly"}}'))
        assert summary(found) == [("REL998", 8, 15, "main-db", "inline"), ("REL998", 12, 15, "other-db", None)]
        accepted = next(f for f in found if f.suppression)
        assert accepted.suppression.reason == "reporting replica, rebuilt nightly"


def test_file_wide_suppression_with_and_without_resource():
    text = BASE + 'suppress:\n  - {rule: REL998, resource: other-db, reason: "staging database only"}\n'
    assert [f.resource for f in run(text) if f.suppression] == ["other-db"]
    text = BASE + 'suppress:\n  - {rule: REL998, reason: "single-AZ accepted for this workload"}\n'
    assert all(f.suppression and f.suppression.source == "file" for f in run(text))


def test_comment_on_the_line_or_the_line_above():
    trailing = BASE.replace("multi_az: false\n  other-db",
                            "multi_az: false  # wavalidate: ignore[REL998] replica rebuilt nightly\n  other-db")
    assert summary(run(trailing)) == [("REL998", 6, 15, "main-db", "comment"), ("REL998", 10, 15, "other-db", None)]
    above = BASE.replace("    multi_az: false\n  other-db",
                         "    # wavalidate: ignore[SEC998, REL998] replica rebuilt nightly\n"
                         "    multi_az: false\n  other-db")
    found = run(above)
    assert [f.suppression.reason for f in found if f.suppression] == ["replica rebuilt nightly"]
    notices = [(f.code, f.line) for f in found if f.code.startswith(("E", "W"))]
    assert notices == [("W311", 6)] and "SEC998" in next(f for f in found if f.code == "W311").message


def test_hash_inside_a_string_is_not_a_comment():
    text = BASE.replace("engine: postgres\n    multi_az: false\n  other-db",
                        "engine: postgres\n    description: \"x # wavalidate: ignore[REL998] fake reason here\"\n"
                        "    multi_az: false\n  other-db")
    assert not any(f.suppression for f in run(text))
    assert comments("a: 1  # wavalidate: ignore[X] some reason\n", "f")[0].lines == frozenset({1})


def test_missing_or_short_reason_is_an_error_at_the_reason():
    found = run(with_inline('{rule: REL998, reason: "ok"}'))
    error = next(f for f in found if f.code == "E300")
    assert (error.line, error.col) == (6, 32) and "at least 10 characters" in error.message
    assert not any(f.suppression for f in found)  # it does not suppress
    comment = BASE.replace("multi_az: false\n  other-db", "multi_az: false  # wavalidate: ignore[REL998]\n  other-db")
    error = next(f for f in run(comment) if f.code == "E300")
    assert error.line == 6 and "there is none" in error.message
    missing = run(with_inline("{rule: REL998}"))
    assert [f.code for f in missing] == ["E202"]  # the schema requires a reason


def test_malformed_directive_and_bad_date_are_errors():
    found = run(BASE.replace("multi_az: false\n  other-db", "multi_az: false  # wavalidate: ignroe[REL998] oops\n"
                                                             "  other-db"))
    assert [f.code for f in found if f.code.startswith("E")] == ["E301"]
    found = run(with_inline('{rule: REL998, reason: "accepted for the pilot", expires: "2026-02-30"}'))
    bad_date = [f for f in found if f.code.startswith("E")]
    assert [(f.code, f.line) for f in bad_date] == [("E301", 6)] and "is not a date" in bad_date[0].message


def test_expired_suppression_stops_and_says_so():
    text = with_inline('{rule: REL998, reason: "accepted for the pilot", expires: "2026-05-31", owner: dba}')
    found = run(text, on=today("2026-05-31"))
    assert any(f.suppression for f in found)  # the last day still holds
    found = run(text, on=today("2026-06-01"))
    assert not any(f.suppression for f in found)
    expired = next(f for f in found if f.code == "W310")
    assert (expired.line, expired.col) == (6, 9) and "expired on 2026-05-31 (owner: dba)" in expired.message
    assert expired.severity == "medium"


def test_unused_suppressions_are_reported_unless_their_rule_did_not_run():
    found = run(with_inline('{rule: SEC998, reason: "no security groups here yet"}'))
    assert [(f.code, f.line, f.col) for f in found if f.code == "W311"] == [("W311", 6, 9)]
    typo = run(with_inline('{rule: REL9999, reason: "a misspelt rule code"}'))
    assert "names no known rule" in next(f for f in typo if f.code == "W311").message
    only_rel = [r for r in RULES if r.code == "REL998"]
    assert not [f for f in run(with_inline('{rule: SEC998, reason: "no security groups here yet"}'), only_rel)
                if f.code == "W311"]


def test_suppressed_findings_stay_in_json_and_the_text_summary_counts_them(tmp_path):
    arch = tmp_path / "arch.yaml"
    arch.write_text(with_inline('{rule: REL998, reason: "reporting replica, rebuilt nightly"}'))
    report = check_files([str(arch)], RULES, Options(today=DAY, known_rules=tuple(RULES)))
    document = json.loads(render("json", report))
    accepted = [f for f in document["findings"] if f["suppressed"]]
    assert accepted[0]["suppression"] == {"reason": "reporting replica, rebuilt nightly", "source": "inline",
                                          "expires": None, "owner": None}
    assert document["summary"]["suppressed"] == 1
    assert "; 1 suppressed" in render("text", report)


WAIVERS = """\
version: 1
waivers:
  - file: "infra/*.yaml"
    resource: "other-*"
    rule: REL998
    reason: "approved by the architecture board, ticket ARB-12"
    expires: "2026-12-31"
    owner: arb@example.com
  - file: "infra/*.yaml"
    resource: main-db
    rule: SEC998
    reason: "kept to show an unused waiver"
  - file: "elsewhere/*.yaml"
    rule: REL998
    reason: "covers files this run does not check"
"""


def test_waiver_file_suppresses_and_reports_unused_waivers_of_checked_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "db.yaml").write_text(BASE)
    (tmp_path / "waivers.yaml").write_text(WAIVERS)
    waivers, problems = load_waivers(["waivers.yaml"], DAY)
    assert not problems and len(waivers) == 3
    report = check_files(["infra/db.yaml"], RULES, Options(today=DAY, known_rules=tuple(RULES),
                                                            waivers=tuple(waivers)))
    assert [(f.resource, f.suppression.source, f.suppression.owner) for f in report.findings if f.suppression] == \
        [("other-db", "waiver", "arb@example.com")]
    sarif = json.loads(render("sarif", report))["runs"][0]["results"]
    external = [r["suppressions"][0] for r in sarif if "suppressions" in r]
    assert external == [{"kind": "external", "status": "accepted",
                         "justification": "approved by the architecture board, ticket ARB-12",
                         "properties": {"source": "waiver", "expires": "2026-12-31", "owner": "arb@example.com"}}]
    unused = [f for f in report.findings if f.code == "W311"]
    assert [(f.file, f.line) for f in unused] == [("waivers.yaml", 9)]


def test_waiver_file_problems_have_positions(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("waivers:\n  - {rule: REL998, reason: short}\n  - {rule: REL998, reason: long enough here, "
                    "owner: x, expires: '2020-01-01'}\n  - {rul: REL998, reason: long enough here}\n")
    waivers, problems = load_waivers([str(path)], DAY)
    assert [(p.code, p.line) for p in problems] == [("E200", 4), ("E202", 4)]
    path.write_text("waivers:\n  - {rule: REL998, reason: short}\n  - {rule: REL998, reason: long enough here, "
                    "owner: x, expires: '2020-01-01'}\n")
    waivers, problems = load_waivers([str(path)], DAY)
    assert [(p.code, p.line, p.col) for p in problems] == [("E300", 2, 28), ("W310", 3, 5)]
    assert waivers == []


def test_cli_today_option_and_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(with_inline('{rule: REL998, reason: "accepted for the pilot", '
                                                    'expires: "2026-05-31"}'))
    args = ["check", "arch.yaml", "--rules", RULES_FILE, "--select", "REL998", "--fail-on", "never"]
    before = CliRunner().invoke(main, args + ["--today", "2026-05-01"])
    assert "W310" not in before.output and "; 1 suppressed" in before.output
    after = CliRunner().invoke(main, args, env={"WAVALIDATE_TODAY": "2026-07-01"})
    assert "W310" in after.output and "; 0 suppressed" in after.output
    assert after.exit_code == 0
    waived = CliRunner().invoke(main, ["check", "arch.yaml", "--rules", RULES_FILE, "--select", "REL998",
                                       "--waivers", "missing.yaml", "--today", "2026-05-01"])
    assert waived.exit_code == 2 and "E106" in waived.output


def test_a_directive_quoted_inside_a_comment_is_not_one():
    text = BASE + "# Example:\n#     multi_az: false  # wavalidate: ignore[REL998] a documented example\n"
    assert not [f for f in run(text) if f.code.startswith(("W", "E"))]
    assert comments("# wavalidate: ignore[REL998] reason long enough\nx: 1\n", "f")[0].lines == frozenset({2})
