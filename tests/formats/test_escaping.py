"""Every format, fed names and messages written to break it: each output parses and renders nothing live."""
from __future__ import annotations

import html.parser
import json
import re
import shutil
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from wavalidate.findings import Finding, Report, Suppression
from wavalidate.formats import FORMATS, render
from wavalidate.formats.escape import (
    dot_html,
    dot_id,
    html_text,
    markdown_code,
    markdown_message,
    markdown_text,
    sarif_text,
    xml_text,
)
from wavalidate.locations import Span

from .common import SCHEMA, fixture_rules_list

# What a pull request can put in a resource name, a file name, a reason or a baseline entry.
NASTY = ("x` ![i](https://evil.example/p.png) @octocat <script>alert(1)</script> &#0; &amp; \"q\" 'y' "
         "\x00\x1b[31m\x07\x7f\x85\u202e #12 GH-7 www.evil.example a@b.example [l](https://e.example) `` "
         "**b** ~~s~~ $x$ | {0} \\ \r\nnext line \ufffe")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nasty_report() -> Report:
    rules = fixture_rules_list()
    file = f"dir/{NASTY[:40]}.yaml"
    span = Span(3, 5, 3, 9)
    path = ("resources", NASTY, "multi_az")

    def finding(code, severity, message, pillar="", suppression=None):
        return Finding(file, span, code, severity, message, "db-multi-az" if pillar else "unknown-key", pillar,
                       NASTY if pillar else "", path, suppression)
    findings = [
        finding("REL998", "high", f"RDS instance `{NASTY}` runs in 1 AZ", "reliability"),
        finding("REL998", "high", f"RDS instance `{NASTY}` runs in 1 AZ", "reliability",
                Suppression(NASTY, "comment", "2099-01-01", NASTY)),
        finding("E200", "error", f"unknown key `{NASTY}` (did you mean `{NASTY}`?)"),
        Finding(file, span, "E900", "error", f"rule X crashed: {NASTY}", "rule-crashed"),
        Finding(file, span, "W311", "low", f"ignore comment of {NASTY} matches no finding", "unused-suppression"),
    ]
    fixed = [{"file": file, "code": NASTY, "resource": NASTY, "path": NASTY, "message": NASTY}]
    return Report(findings, [file], rules, diagram="out/my diagram`[x](y).svg", fixed=fixed, baseline="b.json")


@pytest.fixture(scope="module")
def report():
    return nasty_report()


def test_every_format_is_covered():
    assert set(FORMATS) == {"text", "json", "sarif", "junit", "github", "markdown", "codequality"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_raw_control_characters_in_any_format(fmt, report):
    out = render(fmt, report)
    if fmt in ("json", "sarif"):  # machine-readable: values stay exact, and JSON escapes C0 itself
        out = out.replace("\x7f", "").replace("\u202e", "").replace("\ufffe", "")
    assert not CONTROL.search(out), (fmt, CONTROL.search(out))
    assert "\u202e" not in out and "\ufffe" not in out


def test_json_formats_parse_and_sarif_is_valid(report):
    for fmt in ("json", "codequality"):
        json.loads(render(fmt, report))
    document = json.loads(render("sarif", report))
    with open(SCHEMA, encoding="utf-8") as handle:
        assert not list(jsonschema.Draft4Validator(json.load(handle)).iter_errors(document))
    messages = [r["message"]["text"] for r in document["runs"][0]["results"]]
    assert messages and not any("](" in m for m in messages)  # no embedded link a viewer would follow
    assert all(re.search(r"(?<!\{)\{0\}(?!\})", m) is None for m in messages)  # no placeholder


def test_junit_parses_and_keeps_the_names(report):
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    texts = [e.text or "" for e in root.iter()] + [v for e in root.iter() for v in e.attrib.values()]
    assert any("&#0;" in t for t in texts)  # the five characters, kept as text
    assert any("<script>" in t for t in texts)  # as text, not as markup


def test_github_annotations_stay_one_command_each(report):
    lines = render("github", report).splitlines()
    assert len(lines) == len(report.active)
    assert all(re.match(r"::(error|warning|notice) file=[^:]*::", line) for line in lines)


def test_text_stays_one_line_per_finding(report):
    out = render("text", report)
    assert len([line for line in out.splitlines() if line.startswith("dir/")]) == len(report.active)


class _Live(html.parser.HTMLParser):
    """Collects the tags of rendered Markdown, and its text outside code spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []  # outside code spans
        self.all: list[str] = []
        self.in_code = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.in_code += tag == "code"

    def handle_endtag(self, tag):
        self.in_code -= tag == "code"

    def handle_data(self, data):
        self.all.append(data)
        if not self.in_code:
            self.text.append(data)


def _diff_markdown(report) -> str:
    from wavalidate.diff import Change, Diff
    from wavalidate.formats.diff import markdown
    rule_findings = [f for f in report.findings if f.pillar]
    change = Change(NASTY, NASTY, (NASTY, "multi_az"))
    return markdown(Diff("main", "HEAD", [change], [change], [change], [NASTY], rule_findings, rule_findings,
                         rule_findings, [f for f in report.findings if not f.pillar]))


@pytest.mark.parametrize("which", ["check", "diff"])
def test_markdown_renders_nothing_live(report, which):
    cmarkgfm = pytest.importorskip("cmarkgfm")
    from cmarkgfm.cmark import Options
    source = render("markdown", report) if which == "check" else _diff_markdown(report)
    assert not CONTROL.search(source)
    # raw HTML let through, so any that escaped our escaping would show up here
    rendered = cmarkgfm.github_flavored_markdown_to_html(source, options=Options.CMARK_OPT_UNSAFE)
    live = _Live()
    live.feed(rendered)
    allowed = {"h2", "h3", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "code",
               "details", "summary", "a"}
    assert set(live.tags) <= allowed, set(live.tags) - allowed
    diagram = ["out/my%20diagram%60%5Bx%5D%28y%29.svg"] if which == "check" else []
    assert re.findall(r'<a href="([^"]*)"', rendered) == diagram  # the only link: the diagram check drew
    assert all(part in "".join(live.all) for part in ("<script>", "&#0;", "![i](https://evil", "@octocat"))  # shown
    text = "".join(live.text)
    assert not re.search(r"(?<![\w`])@[A-Za-z0-9]", text)  # no mention
    assert not re.search(r"(?<![\w&])#\d|GH-\d", text)  # no issue reference
    # URLs and www. hosts stay text: the only <a> above is the diagram's


def test_markdown_code_spans_cannot_be_closed():
    for text in ("a`b", "`", "``x``", " lead", "trail ", "a|b", "x\ny"):
        span = markdown_code(text)
        fence = re.match(r"`+", span).group(0)
        inner = span[len(fence):-len(fence)]
        assert span.endswith(fence) and fence not in inner
    assert markdown_code("a|b", table=True) == "`a\\|b`"
    assert markdown_message("VPC `a` and `b") == "VPC `a` and \\`b"
    assert markdown_message("x``y") == "x\\`\\`y"
    assert markdown_text("@me #1 https://e www.e") == "@\u200bme #\u200b1 https\\://e www\\.e"


def test_each_format_function_escapes_its_own_syntax():
    assert xml_text("a\x00b\x1bc\n\ud800") == "a\\x00b\\x1bc\n\\ud800"
    assert html_text("<a href='x'>&#0;\x00") == "&lt;a href=&#x27;x&#x27;&gt;&amp;#0;\\x00"
    assert sarif_text("see [x](1) {0}") == "see [x]\u200b(1) {{0}}"
    assert dot_html("&#0;<\x00") == "&amp;#0;&lt;\ufffd"
    assert "&" not in dot_id("a&#0;") and dot_id("a&#0;") != dot_id("a%26#0;")


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_svg_of_hostile_names_parses(tmp_path):
    from wavalidate.render import build_graph
    from wavalidate.render.drawing import run_dot, to_dot

    from ..render.helpers import arch_of
    name = json.dumps("v&#0;x&amp;--y&#x1b;<b>\"]]>`@me")
    arch = arch_of(f"version: 1\nresources:\n  {name}: {{type: vpc, cidr: 10.0.0.0/16}}\n"
                   f"  s: {{type: subnet, vpc: {name}, cidr: 10.0.0.0/24, az: us-east-1a}}\n")
    finding = Finding("a.yaml", Span(3, 3, 3, 4), "REL998", "high", f"VPC `{json.loads(name)}` &#0; broke", "x",
                      "reliability", json.loads(name), ("resources", json.loads(name)))
    svg = run_dot(to_dot(build_graph(arch, [finding])), "svg")
    ET.fromstring(svg)
