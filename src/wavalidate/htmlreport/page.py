"""The review page: one self-contained HTML file (inline CSS, SVG and script; no network), byte for byte the
same for the same input, and readable printed to PDF.

Everything from the checked files (names, messages, reasons, values) goes through `esc`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .. import __version__
from ..counts import headline, of, source
from ..finding_keys import path_text
from ..findings import RANK, Finding, Report
from ..vocabulary import PILLARS, SEVERITIES

# Nothing may be fetched: no scripts, styles, images or connections from anywhere but this file.
POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
          "base-uri 'none'; form-action 'none'")


def esc(text: Any) -> str:
    """Text for HTML content or a quoted attribute: markup and quotes escaped, control and format characters
    (a terminal escape, a bidi override) shown as `\\xNN`/`\\uNNNN` rather than passed on."""
    from ..formats.escape import html_text
    return html_text(str(text))


@dataclass
class FilePicture:
    file: str
    svg: Optional[str]              # the marked SVG, or None
    note: str = ""                  # why there is no picture
    resources: list[str] = field(default_factory=list)   # data-res indexes name these


@dataclass
class Page:
    report: Report
    pictures: list[FilePicture]
    triggers: dict = field(default_factory=dict)      # (file, code, path) -> {requirement: value}
    review: Any = None                                # a diff.Review against --base, or None
    title: str = "wavalidate: Well-Architected review"


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (RANK.get(f.severity, 99),) + f.sort_key())


def render(page: Page) -> str:
    report = page.report
    rules = {r.code: r for r in report.rules}
    ids: dict[int, str] = {id(f): f"f{n + 1}" for n, f in enumerate(report.findings)}
    resource_index = {(p.file, name): (i, j) for i, p in enumerate(page.pictures)
                      for j, name in enumerate(p.resources)}
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{esc(page.title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           f"<header><h1>{esc(page.title)}</h1>",
           f'<p class="meta">wavalidate {esc(__version__)} · '
           + ", ".join(f"<code>{esc(f)}</code>" for f in report.files) + "</p>",
           f'<p class="headline">{esc("; ".join(headline(of(report))))}</p></header>', "<main>"]
    out += _scorecard(report)
    out += _pictures(page, report, ids)
    out += _by_pillar(report, rules, ids, resource_index, page.triggers)
    out += _others(report, ids)
    out += _suppressions(report, ids, rules)
    out += _baseline(report, ids)
    if page.review is not None:
        out += _review(page.review)
    out += ["</main>", f"<script>{SCRIPT}</script>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _scorecard(report: Report) -> list[str]:
    table = report.pillar_counts()
    out = ['<section id="scorecard"><h2>Pillar scorecard</h2>', '<table class="score"><thead><tr><th>pillar</th>'
           '<th>status</th>' + "".join(f"<th>{s}</th>" for s in SEVERITIES) + "</tr></thead><tbody>"]
    for pillar in PILLARS:
        counts = table[pillar]
        status = "fail" if counts["critical"] or counts["high"] else "warn" if counts["medium"] else "pass"
        out.append(f'<tr><th><a href="#pillar-{pillar}">{pillar}</a></th><td class="status {status}">{status}</td>'
                   + "".join(f'<td class="n{" sev-" + s if counts[s] else ""}">{counts[s]}</td>' for s in SEVERITIES)
                   + "</tr>")
    out += ["</tbody></table></section>"]
    return out


def _pictures(page: Page, report: Report, ids: dict) -> list[str]:
    out = ['<section id="pictures"><h2>Architecture</h2>',
           '<p class="hint screen">Click a resource to see its findings.</p>']
    for i, picture in enumerate(page.pictures):
        out.append(f'<figure class="picture" id="picture-{i}"><figcaption><code>{esc(picture.file)}</code>'
                   "</figcaption>")
        out.append(picture.svg if picture.svg is not None else f'<p class="note">{esc(picture.note)}</p>')
        out.append("</figure>")
        out.append(f'<aside class="panel screen" id="panel-{i}" aria-live="polite"><p>No resource selected.</p>')
        for j, name in enumerate(picture.resources):
            mine = _sorted([f for f in report.findings if f.file == picture.file and f.resource == name])
            out.append(f'<div class="res-findings" id="rf-{i}-{j}" hidden><h3><code>{esc(name)}</code>: '
                       f"{len(mine)} finding{'s' if len(mine) != 1 else ''}</h3><ul>")
            out += [f'<li><a href="#{ids[id(f)]}"><span class="sev sev-{esc(f.severity)}">{esc(f.severity)}</span> '
                    f"{esc(f.code)} {esc(f.message)}</a>{' (suppressed)' if f.suppression else ''}</li>"
                    for f in mine]
            out.append("</ul></div>")
        out.append("</aside>")
    out.append("</section>")
    return out


def _finding(f: Finding, fid: str, rules: dict, resource_index: dict, triggers: dict) -> list[str]:
    rule = rules.get(f.code)
    file_res = resource_index.get((f.file, f.resource))
    data = f' data-file="{file_res[0]}" data-res="{file_res[1]}"' if file_res else ""
    title = f" — {esc(rule.title)}" if rule is not None and rule.title else ""
    out = [f'<article class="finding sev-{esc(f.severity)}" id="{fid}" data-code="{esc(f.code)}"{data}>',
           f'<h3><span class="sev sev-{esc(f.severity)}">{esc(f.severity)}</span> {esc(f.code)} '
           f"<small>{esc(f.name)}</small>{title}</h3>", f'<p class="msg">{esc(f.message)}</p>', "<dl>",
           f"<dt>Where</dt><dd><code>{esc(f.file)}:{f.line}:{f.col}</code>"
           + (f" · resource <code>{esc(f.resource)}</code>" if f.resource else "")
           + (f" · <code>{esc(path_text(f.path))}</code>" if f.path else "") + "</dd>"]
    if rule is not None:
        if rule.rationale:
            out.append(f"<dt>Why</dt><dd>{esc(' '.join(rule.rationale.split()))}</dd>")
        if rule.remediation:
            out.append(f"<dt>Fix</dt><dd>{esc(' '.join(rule.remediation.split()))}</dd>")
        if rule.best_practice:
            out.append(f"<dt>Well-Architected</dt><dd><code>{esc(rule.best_practice)}</code></dd>")
    needs = triggers.get((f.file, f.code, tuple(f.path)))
    if needs:
        out.append("<dt>Requirement</dt><dd>" + ", ".join(f"<code>{esc(k)}: {esc(_value(v))}</code>"
                                                         for k, v in needs.items()) + "</dd>")
    if f.suppression is not None:
        s = f.suppression
        out.append(f"<dt>Accepted</dt><dd>{esc(s.source)}: {esc(s.reason)}"
                   + (f" · until {esc(s.expires)}" if s.expires else "")
                   + (f" · owner {esc(s.owner)}" if s.owner else "") + "</dd>")
    out += ["</dl>", "</article>"]
    return out


def _value(value: Any) -> str:
    from ..formats.diff import value_text
    return value_text(value)


def _by_pillar(report: Report, rules: dict, ids: dict, resource_index: dict, triggers: dict) -> list[str]:
    out = ['<section id="findings"><h2>Findings by pillar</h2>']
    active = [f for f in report.active if f.pillar]
    for pillar in PILLARS:
        chosen = _sorted([f for f in active if f.pillar == pillar])
        out.append(f'<section class="pillar" id="pillar-{pillar}"><h2>{pillar} ({len(chosen)})</h2>')
        if not chosen:
            out.append('<p class="none">No findings.</p>')
        for f in chosen:
            out += _finding(f, ids[id(f)], rules, resource_index, triggers)
        out.append("</section>")
    out.append("</section>")
    return out


def _others(report: Report, ids: dict) -> list[str]:
    others = [f for f in report.active if not f.pillar]
    if not others:
        return []
    out = ['<section id="errors"><h2>Errors and notices</h2>']
    for f in _sorted(others):
        out += _finding(f, ids[id(f)], {}, {}, {})
    out.append("</section>")
    return out


def _suppressions(report: Report, ids: dict, rules: dict) -> list[str]:
    accepted = _sorted([f for f in report.suppressed if source(f) != "baseline"])
    out = [f'<section id="suppressions"><h2>Suppressions and waivers ({len(accepted)})</h2>']
    out += _accepted_table(accepted, ids) if accepted else ['<p class="none">No finding is suppressed.</p>']
    expired = [f for f in report.active if f.code == "W310"]
    if expired:
        out.append("<p>Expired suppressions (they no longer suppress): "
                   + ", ".join(f'<a href="#{ids[id(f)]}"><code>{esc(f.file)}:{f.line}</code></a>' for f in expired)
                   + "</p>")
    out.append("</section>")
    return out


def _accepted_table(accepted: list[Finding], ids: dict) -> list[str]:
    out = ['<table class="list"><thead><tr><th>finding</th><th>where</th><th>source</th><th>reason</th>'
           "<th>expires</th><th>owner</th></tr></thead><tbody>"]
    for f in accepted:
        s = f.suppression
        assert s is not None
        out.append(f'<tr id="{ids[id(f)]}" class="finding suppressed" data-code="{esc(f.code)}">'
                   f"<td>{esc(f.severity)} {esc(f.code)}: {esc(f.message)}</td>"
                   f"<td><code>{esc(f.file)}:{f.line}</code></td><td>{esc(s.source)}</td>"
                   f"<td>{esc(s.reason)}</td><td>{esc(s.expires or '—')}</td><td>{esc(s.owner or '—')}</td></tr>")
    out.append("</tbody></table>")
    return out


def _baseline(report: Report, ids: dict) -> list[str]:
    out = ['<section id="baseline"><h2>Baseline</h2>']
    if report.baseline is None:
        out.append('<p class="none">No baseline was given (<code>--baseline FILE</code>).</p>')
    else:
        c = of(report)
        out.append(f"<p>Baseline <code>{esc(report.baseline)}</code>: {c.baselined} in the baseline, "
                   f"{c.fixed} fixed since.</p>")
        known = _sorted([f for f in report.suppressed if source(f) == "baseline"])
        if known:
            out += _accepted_table(known, ids)
        if report.fixed:
            out.append("<ul>" + "".join(f"<li>fixed: <code>{esc(e['file'])}</code> {esc(e['code'])} on "
                                        f"<code>{esc(e['resource'] or e['path'])}</code>: {esc(e.get('message', ''))}"
                                        "</li>" for e in report.fixed) + "</ul>")
    out.append("</section>")
    return out


def _review(review: Any) -> list[str]:
    from ..formats.diff import value_text
    c = review.counts()
    out = [f'<section id="diff"><h2>Changes since <code>{esc(review.base)}</code></h2>',
           f"<p>{c['files']} file{'s' if c['files'] != 1 else ''} changed; resources: {c['resources']['added']} added, "
           f"{c['resources']['removed']} removed, {c['resources']['changed']} changed; findings: "
           f"{c['findings']['new']} new, {c['findings']['fixed']} fixed, {c['findings']['still']} still present.</p>"]
    for d in review.diffs:
        name = d.head if d.status != "renamed" else f"{d.base} → {d.head}"
        out.append(f"<h3><code>{esc(name)}</code> ({esc(d.status)})</h3><ul>")
        out += [f"<li>added <code>{esc(x.name)}</code> ({esc(x.type)})</li>" for x in d.added]
        out += [f"<li>removed <code>{esc(x.name)}</code> ({esc(x.type)})</li>" for x in d.removed]
        for x in d.changed:
            out.append(f"<li>changed <code>{esc(x.name)}</code> ({esc(x.type)}): "
                       + "; ".join(f"<code>{esc(v.field)}</code> {esc(value_text(v.old))} → {esc(value_text(v.new))}"
                                   for v in x.fields) + "</li>")
        out.append("</ul>")
    for label, chosen in (("New", review.new), ("Fixed", review.fixed)):
        if chosen:
            out.append(f"<h3>{label} findings ({len(chosen)})</h3><ul>")
            out += [f'<li><span class="sev sev-{esc(f.severity)}">{esc(f.severity)}</span> {esc(f.code)} '
                    f"<code>{esc(f.file)}:{f.line}</code> {esc(f.message)}</li>" for f in chosen]
            out.append("</ul>")
    out.append("</section>")
    return out


CSS = """
:root{--critical:#7b1fa2;--high:#c62828;--medium:#b26a00;--low:#00838f;--info:#1565c0;--error:#c62828}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d2329;margin:0;
background:#f6f7f9}
header,main{max-width:1200px;margin:0 auto;padding:0 24px}
header{padding-top:16px}
h1{font-size:1.6em;margin:.4em 0}
h2{font-size:1.25em;border-bottom:1px solid #d5dae0;padding-bottom:.2em;margin-top:1.6em}
h3{font-size:1.02em;margin:.2em 0}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
.meta{color:#56606b}
.headline{font-weight:600}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid #d5dae0;padding:4px 8px;text-align:left;vertical-align:top}
td.n{text-align:right}
.status.fail{color:var(--high);font-weight:700}.status.warn{color:var(--medium);font-weight:700}
.status.pass{color:#2e7d32;font-weight:700}
.sev{display:inline-block;min-width:4.6em;padding:0 .4em;border-radius:3px;color:#fff;font-size:.8em;
text-align:center;text-transform:uppercase;background:#56606b}
.sev-critical .sev,.sev.sev-critical{background:var(--critical)}.sev.sev-high{background:var(--high)}
.sev.sev-medium{background:var(--medium)}.sev.sev-low{background:var(--low)}.sev.sev-info{background:var(--info)}
.sev.sev-error{background:var(--error)}
td.sev-critical,td.sev-high{color:var(--high);font-weight:700}td.sev-medium{color:var(--medium);font-weight:700}
.picture{margin:0;background:#fff;border:1px solid #d5dae0;padding:8px;overflow:auto}
.picture svg{max-width:100%;height:auto}
.picture .res{cursor:pointer}
.picture .res:hover,.picture .res:focus,.picture .res.selected{outline:3px solid #1565c0;outline-offset:2px}
.panel{background:#fff;border:1px solid #d5dae0;border-top:0;padding:8px 12px;margin-bottom:16px}
.panel ul{margin:.3em 0;padding-left:1.2em}
.finding{background:#fff;border:1px solid #d5dae0;border-left:6px solid #56606b;padding:8px 12px;margin:10px 0}
article.sev-critical{border-left-color:var(--critical)}article.sev-high{border-left-color:var(--high)}
article.sev-medium{border-left-color:var(--medium)}article.sev-low{border-left-color:var(--low)}
article.sev-info{border-left-color:var(--info)}article.sev-error{border-left-color:var(--error)}
.finding:target{box-shadow:0 0 0 3px #1565c0}
.msg{margin:.3em 0;font-weight:500}
dl{display:grid;grid-template-columns:9em 1fr;gap:2px 12px;margin:.4em 0}
dt{color:#56606b}dd{margin:0}
.none,.note,.hint{color:#56606b}
@media print{
body{background:#fff;font-size:10.5pt}
header,main{max-width:none;padding:0}
.screen{display:none!important}
.finding,tr,figure{break-inside:avoid}
h2{break-after:avoid}
.picture{border:0;overflow:visible}
.picture svg{max-height:24cm}
a{color:inherit;text-decoration:none}
.sev{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@page{margin:14mm}
}
"""

SCRIPT = """
(function(){
  function show(shape){
    var file=shape.getAttribute('data-file');
    var panel=document.getElementById('panel-'+file);
    if(!panel){return;}
    var marked=document.querySelectorAll('#picture-'+file+' .res.selected');
    for(var i=0;i<marked.length;i++){marked[i].classList.remove('selected');}
    shape.classList.add('selected');
    var boxes=panel.querySelectorAll('.res-findings');
    for(var k=0;k<boxes.length;k++){boxes[k].hidden=true;}
    panel.firstElementChild.hidden=true;
    var res=shape.getAttribute('data-res').split(' ');
    for(var j=0;j<res.length;j++){
      var box=document.getElementById('rf-'+file+'-'+res[j]);
      if(box){box.hidden=false;}
    }
  }
  var shapes=document.querySelectorAll('.picture .res');
  for(var i=0;i<shapes.length;i++){
    shapes[i].addEventListener('click',function(e){show(e.currentTarget);});
    shapes[i].addEventListener('keydown',function(e){
      if(e.key==='Enter'||e.key===' '){e.preventDefault();show(e.currentTarget);}
    });
  }
})();
"""
