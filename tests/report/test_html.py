"""`wavalidate report`: one self-contained, deterministic HTML page, with everything from the files escaped."""
from __future__ import annotations

import os
import re

from click.testing import CliRunner

from wavalidate.cli import main
from wavalidate.htmlreport import esc

from ..gate.test_suppress import RULES_FILE

HOSTILE = """\
version: 1
requirements: {availability: 99.95}
resources:
  "<script>alert('db')</script>":
    type: rds_instance
    engine: postgres
    multi_az: false
    description: "\\"quoted\\" & <b>bold</b>"
  admin-sg:
    type: security_group
    ingress:
      - {protocol: tcp, ports: 22, cidr: 0.0.0.0/0}
    suppress:
      - rule: SEC998
        reason: "<img src=x onerror=alert(1)> \\"quotes\\" 'single' \\x1b[31m red \\u202e bidi"
        expires: "2030-01-01"
        owner: "<owner>"
"""


def report(*args):
    return CliRunner().invoke(main, ["report", *args, "--rules", RULES_FILE, "--select", "SEC998,REL998"],
                              catch_exceptions=False)


def test_hostile_names_and_messages_are_escaped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(HOSTILE)
    result = report("arch.yaml", "-o", "review.html")
    assert result.exit_code == 1, result.output     # the REL998 finding is high, as `check`
    page = (tmp_path / "review.html").read_text()
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 1 and "alert" not in scripts[0]   # only the page's own script
    assert "<img" not in page and "<b>" not in page and "onerror=alert" in page  # shown as text, never markup
    assert "&lt;script&gt;alert(&#x27;db&#x27;)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\u202e" not in page and "\\x1b[31m" in page and "\\u202e" in page
    assert "&lt;owner&gt;" in page and "2030-01-01" in page


def test_escape_covers_markup_quotes_and_control_characters():
    assert esc("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"
    assert esc("a\x00b\u2028c\u202ed") == "a\\x00b\\u2028c\\u202ed"


def test_the_page_is_self_contained_and_the_same_on_every_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(HOSTILE)
    report("arch.yaml", "-o", "one.html")
    report("arch.yaml", "-o", "two.html")
    one, two = (tmp_path / "one.html").read_bytes(), (tmp_path / "two.html").read_bytes()
    assert one == two
    page = one.decode()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!#|data:)""", page)   # nothing fetched, no links out
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "@media print" in page


def test_the_page_shows_findings_by_pillar_with_rationale_fix_and_requirement(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(HOSTILE)
    report("arch.yaml", "-o", "review.html")
    page = (tmp_path / "review.html").read_text()
    reliability = page[page.index('id="pillar-reliability"'):page.index('id="pillar-performance-efficiency"')]
    assert 'data-code="REL998"' in reliability and "One AZ is one failure domain." in reliability
    assert "<dt>Fix</dt><dd>set `multi_az: true`.</dd>" in reliability
    assert "<code>REL10-BP01</code>" in reliability
    assert "<dt>Requirement</dt>" not in reliability   # the fixture rule reads no requirement
    suppressions = page[page.index('id="suppressions"'):page.index('id="baseline"')]
    assert "inline" in suppressions and "2030-01-01" in suppressions and 'data-code="SEC998"' in suppressions
    assert "No baseline was given" in page


def test_a_built_in_rule_names_the_requirement_it_rests_on(tmp_path):
    sample = os.path.join(os.path.dirname(__file__), "..", "..", "samples", "three-tier-web.yaml")
    out = tmp_path / "review.html"
    result = CliRunner().invoke(main, ["report", sample, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 1
    page = out.read_text()
    rel001 = page[page.index('data-code="REL001"'):]
    rel001 = rel001[:rel001.index("</article>")]
    assert "<dt>Requirement</dt><dd><code>availability: 99.95</code></dd>" in rel001


def test_baseline_status_and_usage_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(HOSTILE)
    CliRunner().invoke(main, ["check", "arch.yaml", "--rules", RULES_FILE, "--select", "SEC998,REL998",
                              "--write-baseline", "baseline.json"], catch_exceptions=False)
    result = report("arch.yaml", "-o", "review.html", "--baseline", "baseline.json")
    assert result.exit_code == 0
    page = (tmp_path / "review.html").read_text()
    assert "Baseline <code>baseline.json</code>: 1 in the baseline, 0 fixed since." in page
    assert page.count('class="finding suppressed" data-code="REL998"') == 1   # listed under the baseline
    missing = report("arch.yaml", "-o", "no/such/folder/review.html")
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_the_page_is_the_same_under_another_hash_seed():
    from ..conftest import under_another_hash_seed
    code = ("import sys\nfrom wavalidate.configured import Settings, check\nfrom wavalidate.htmlreport import build\n"
            "report, _, _ = check(['samples/hybrid-network.yaml'], Settings(fail_on='never'))\n"
            "sys.stdout.buffer.write(build(report).encode('utf-8'))\n")
    theirs = under_another_hash_seed(code)
    from wavalidate.configured import Settings, check
    from wavalidate.htmlreport import build

    from ..conftest import ROOT
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        report_, _, _ = check(["samples/hybrid-network.yaml"], Settings(fail_on="never"))
        ours = build(report_).encode("utf-8")
    finally:
        os.chdir(here)
    assert ours == theirs
