"""Markdown for a pull-request comment fits GitHub's 65,536-character limit, and says what it left out."""
from __future__ import annotations

from wavalidate.diff import Diff, Review
from wavalidate.findings import Finding, Report
from wavalidate.formats import markdown as check_markdown
from wavalidate.formats.diff import markdown
from wavalidate.locations import Span

LONG = "a message that goes on and on | with <html> and `ticks` " * 12


def _findings(n: int, file: str = "infra/big.yaml") -> list[Finding]:
    return [Finding(file, Span.point(i + 1, 1), f"REL{i % 900:03d}", ("high", "medium", "low")[i % 3],
                    f"{i}: {LONG}", "r", ("reliability", "security", "cost-optimization")[i % 3], f"res-{i}",
                    ("resources", f"res-{i}")) for i in range(n)]


def test_a_huge_diff_is_cut_with_a_note_and_a_link():
    d = Diff("infra/big.yaml", "infra/big.yaml", new=_findings(3000), still=_findings(500))
    text = markdown(Review([d], "main", "the working tree"), artifact_url="https://ci.example/runs/7")
    assert len(text) <= 65_536
    assert "Cut to fit GitHub's 65,536-character comment limit" in text
    assert "[the full review](https://ci.example/runs/7)" in text
    assert text.count("<details") == text.count("</details>")
    assert "<html>" not in text


def test_a_small_diff_is_whole():
    d = Diff("a.yaml", "a.yaml", new=_findings(3))
    text = markdown(Review([d], "main", "the working tree"))
    assert "Cut to fit" not in text and text.count("| high |") == 1


def test_check_markdown_fits_too():
    report = Report(_findings(400, "a.yaml") + _findings(400, "b.yaml"), ["a.yaml", "b.yaml"], [])
    text = check_markdown.render(report, max_items=10_000)
    assert len(text) <= 65_536 and "Cut to fit" in text
    assert text.count("<details") == text.count("</details>")
